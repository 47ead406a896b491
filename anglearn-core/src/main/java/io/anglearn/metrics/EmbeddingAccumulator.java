package io.anglearn.metrics;

/**
 * Collects, over an evaluation pass, what the metrics need: top-1 and top-5 hits, and per-class
 * sums of raw and L2-normalised features for the angle statistics. Memory is O(C·d), whatever
 * the number of samples. Batches without scores (a network without a classifier head) count
 * towards the feature sums only; the errors are NaN when no batch had scores.
 */
public final class EmbeddingAccumulator {

    private final int numClasses;
    private final int dim;
    private final double[][] rawSums;
    private final double[][] normSums;
    private final long[] counts;
    private long seen;
    private long ranked;
    private long top1;
    private long top5;

    /**
     * Creates an empty accumulator.
     *
     * @param numClasses C
     * @param dim d, the feature dimension
     */
    public EmbeddingAccumulator(int numClasses, int dim) {
        this.numClasses = numClasses;
        this.dim = dim;
        rawSums = new double[numClasses][dim];
        normSums = new double[numClasses][dim];
        counts = new long[numClasses];
    }

    /**
     * Adds a batch.
     *
     * @param features {@code n×d} features, row-major
     * @param scores {@code n×C} head outputs, row-major (higher = more likely), or empty when the
     *     network has no head
     * @param labels {@code n} labels
     */
    public void add(float[] features, float[] scores, int[] labels) {
        int n = labels.length;
        boolean scored = scores.length > 0;
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            double norm = 0;
            for (int k = 0; k < dim; k++) {
                double v = features[i * dim + k];
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            double[] r = rawSums[y];
            double[] s = normSums[y];
            for (int k = 0; k < dim; k++) {
                double v = features[i * dim + k];
                r[k] += v;
                if (norm > 0) {
                    s[k] += v / norm;
                }
            }
            counts[y]++;
            if (!scored) {
                continue;
            }
            // Rank of the true class: the number of classes scoring strictly higher.
            float target = scores[i * numClasses + y];
            int higher = 0;
            for (int j = 0; j < numClasses; j++) {
                if (scores[i * numClasses + j] > target) {
                    higher++;
                }
            }
            if (higher == 0) {
                top1++;
            }
            if (higher < 5) {
                top5++;
            }
        }
        seen += n;
        ranked += scored ? n : 0;
    }

    /** Returns the number of samples added. */
    public long count() {
        return seen;
    }

    /** Returns the top-1 error in percent. */
    public double top1Error() {
        return ranked == 0 ? Double.NaN : 100.0 * (ranked - top1) / ranked;
    }

    /**
     * Returns the top-5 error in percent, or NaN when there are 5 classes or fewer: then every
     * class is among the top five and the error is 0 whatever the network does, which says nothing.
     *
     * @return the error, or NaN when not applicable
     */
    public double top5Error() {
        return ranked == 0 || numClasses <= 5 ? Double.NaN : 100.0 * (ranked - top5) / ranked;
    }

    /**
     * Computes the angle statistics against the given class weights.
     *
     * @param weights C×d class weights
     * @return the statistics
     */
    public AngleStatistics angles(double[][] weights) {
        return AngleStatistics.compute(weights, rawSums, normSums, counts);
    }
}
