package io.anglearn.cli;

import io.anglearn.index.EmbeddingIndex;
import io.anglearn.index.SearchableIndex;
import io.anglearn.solr.SolrCollection;
import io.anglearn.solr.SolrLocation;
import java.io.IOException;
import java.nio.file.Path;

/** Opens what {@code --index} names: a SolrCloud collection's URL, or a local index folder. */
final class Indexes {

    private Indexes() {}

    /**
     * Opens an index for searching.
     *
     * @param location {@code http(s)://HOST:PORT/solr/COLLECTION}, or a folder
     * @param candidates candidates the HNSW search explores (per shard for a collection), at least k is used
     * @return the index; the caller closes it
     * @throws IOException if it cannot be opened (the message names it)
     */
    static SearchableIndex open(String location, int candidates) throws IOException {
        return SolrLocation.isUrl(location) ? SolrCollection.open(location, candidates)
                : EmbeddingIndex.open(Path.of(location), candidates);
    }
}
