/**
 * A trained run's embeddings in Apache SolrCloud, the distributed counterpart of the local index
 * ({@link io.anglearn.index.EmbeddingIndex}): {@link io.anglearn.solr.SolrCollection} creates a
 * collection with anglearn's schema (a dense vector field searched by Lucene's HNSW graph on each
 * shard), pushes embeddings to it in batches with stable document ids, refuses a collection of
 * other weights, and searches it; {@link io.anglearn.solr.SolrLocation} parses the collection's URL.
 * Solr is reached through its JSON HTTP API, failing over to the cluster's other live nodes.
 */
package io.anglearn.solr;
