/**
 * Using trained embeddings as a search engine: {@link io.anglearn.index.EmbeddingIndex}, an
 * on-disk Apache Lucene HNSW vector index of L2-normalised embeddings with their labels and
 * sources, built atomically and tied to the run and checkpoint that produced it
 * ({@link io.anglearn.index.IndexProvenance}); {@link io.anglearn.index.RunIndexer}, which embeds a
 * dataset split or a folder of images with a trained run into an index; and
 * {@link io.anglearn.index.IndexRetrieval}, the retrieval metrics of Musgrave et al. (2020)
 * measured through the index's own search.
 */
package io.anglearn.index;
