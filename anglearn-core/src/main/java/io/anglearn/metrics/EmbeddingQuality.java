package io.anglearn.metrics;

/**
 * What metric-learning users measure on a test split's embeddings beside accuracy: the retrieval
 * metrics of {@link RetrievalMetrics} and the NMI ({@link MutualInformation}) between the classes
 * and a k-means clustering ({@link KMeans}, k = number of classes, k-means++ seeding) of the
 * L2-normalised embeddings. Clustering the normalised embeddings matches the cosine similarity
 * the retrieval metrics use.
 *
 * @param retrieval precision@1, R-precision, MAP@R
 * @param nmi NMI of k-means against the classes, in [0, 1]
 */
public record EmbeddingQuality(RetrievalMetrics retrieval, double nmi) {

    /**
     * Measures an embedding.
     *
     * @param features n×d features, row-major
     * @param dim d
     * @param labels n class labels
     * @param seed the k-means++ seed
     * @return the measurements
     */
    public static EmbeddingQuality evaluate(float[] features, int dim, int[] labels, long seed) {
        FeatureRows.rows(features, dim, labels);
        RetrievalMetrics retrieval = RetrievalMetrics.compute(features, dim, labels);
        int present = 0;
        boolean[] seen = new boolean[FeatureRows.numClasses(labels)];
        for (int y : labels) {
            if (!seen[y]) {
                seen[y] = true;
                present++;
            }
        }
        KMeans.Result km = KMeans.builder().setClusters(present).optSeed(seed).build()
                .fit(FeatureRows.normalizeRows(features, dim), dim);
        return new EmbeddingQuality(retrieval, MutualInformation.normalized(labels, km.assignments()));
    }
}
