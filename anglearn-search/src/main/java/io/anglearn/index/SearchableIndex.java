package io.anglearn.index;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * An index of one checkpoint's L2-normalised embeddings that {@code anglearn search}, {@code serve}
 * and {@code index info} read: the local {@link EmbeddingIndex}, or a collection of a search engine
 * that other modules provide. Similarities are cosines, in [-1, 1].
 */
public interface SearchableIndex extends Closeable {

    /** Returns where the index is, for messages: its folder, or its URL. */
    String location();

    /** Returns the index's short name, without a path or host: its folder's or its collection's name. */
    String name();

    /** Returns what produced the embeddings. */
    IndexProvenance provenance();

    /**
     * Returns the number of items that can be found.
     *
     * @return the count
     * @throws IOException if the index cannot be read
     */
    int size() throws IOException;

    /**
     * Returns the image sets added, in order ({@code split test}, {@code folder /abs/path}).
     *
     * @return the descriptions
     * @throws IOException if the index cannot be read
     */
    List<String> imageSets() throws IOException;

    /**
     * Counts the items of each class.
     *
     * @return counts by label (index = label)
     * @throws IOException if the index cannot be read
     */
    int[] countsPerClass() throws IOException;

    /**
     * Counts the items without a label.
     *
     * @return the count
     * @throws IOException if the index cannot be read
     */
    int unlabelledCount() throws IOException;

    /**
     * Finds the k nearest items by cosine similarity with the index's approximate (HNSW) search.
     *
     * @param query the query embedding, d values (normalised here)
     * @param k how many, at least 1
     * @return up to k hits, most similar first
     * @throws IOException if the index cannot be searched
     */
    List<SearchHit> search(float[] query, int k) throws IOException;

    /**
     * Finds the k nearest items by comparing the query with every item (exact).
     *
     * @param query the query embedding, d values (normalised here)
     * @param k how many, at least 1
     * @return up to k hits, most similar first
     * @throws IOException if the index cannot be searched
     */
    List<SearchHit> searchExact(float[] query, int k) throws IOException;
}
