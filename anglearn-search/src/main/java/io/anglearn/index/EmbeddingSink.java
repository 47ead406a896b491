package io.anglearn.index;

import java.io.IOException;
import java.util.Set;

/**
 * Where {@link RunIndexer} puts the embeddings it makes: the local {@link EmbeddingIndex}, or a
 * collection of a search engine that other modules provide. What is added becomes searchable when
 * the implementation's own commit says so.
 */
public interface EmbeddingSink {

    /** Returns where the embeddings go, for messages: a folder, or a URL. */
    String location();

    /** Returns what produces the embeddings it holds; {@link RunIndexer} adds only the same weights'. */
    IndexProvenance provenance();

    /**
     * Returns the sources of the items it already holds, so that images indexed before are left out.
     *
     * @return the distinct sources
     * @throws IOException if they cannot be read
     */
    Set<String> sources() throws IOException;

    /**
     * Records the description of the image set whose items are being added.
     *
     * @param description e.g. {@code split test} or a folder path
     * @throws IOException if it cannot be recorded
     */
    void describeImageSet(String description) throws IOException;

    /**
     * Adds one item; its embedding is L2-normalised by the implementation.
     *
     * @param embedding d values, not all zero
     * @param label its class, or -1 for none
     * @param source where its image came from (a file path, {@code test#12})
     * @return the item's ordinal
     * @throws IOException if it cannot be added
     */
    long add(float[] embedding, int label, String source) throws IOException;
}
