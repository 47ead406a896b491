package io.anglearn.record.tensorboard;

/**
 * The summary of a sample that TensorBoard's histogram dashboard draws, matching the fields of
 * TensorFlow's {@code HistogramProto}: min, max, count, sum, sum of squares, and bucket counts
 * with each bucket's right edge. Bucket i holds the values in (limit[i−1], limit[i]]; the first
 * bucket also holds its left edge.
 *
 * @param min the smallest value
 * @param max the largest value
 * @param num the number of values
 * @param sum their sum
 * @param sumSquares the sum of their squares
 * @param bucketLimits the right edges, increasing
 * @param bucketCounts the count in each bucket
 */
public record Histogram(double min, double max, double num, double sum, double sumSquares, double[] bucketLimits,
        double[] bucketCounts) {

    /**
     * Builds a histogram with equal-width buckets over [lo, hi]; values outside are clamped
     * into the first or last bucket.
     *
     * @param values the sample, at least one value, all finite
     * @param lo the left edge of the first bucket
     * @param hi the right edge of the last bucket, above lo
     * @param buckets the number of buckets, at least 1
     * @return the histogram
     */
    public static Histogram of(double[] values, double lo, double hi, int buckets) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a histogram needs at least one value");
        }
        if (!(hi > lo) || buckets < 1) {
            throw new IllegalArgumentException("histogram range [" + lo + ", " + hi + "] with " + buckets
                    + " buckets: need hi > lo and at least one bucket");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sq = 0;
        double[] limits = new double[buckets];
        double[] counts = new double[buckets];
        double width = (hi - lo) / buckets;
        for (int i = 0; i < buckets; i++) {
            limits[i] = i == buckets - 1 ? hi : lo + (i + 1) * width;
        }
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("histogram value " + v + " is not finite");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sq += v * v;
            // (limit[i−1], limit[i]]: the bucket is ceil((v − lo)/width) − 1, clamped.
            int b = (int) Math.ceil((v - lo) / width) - 1;
            counts[Math.max(0, Math.min(buckets - 1, b))]++;
        }
        return new Histogram(min, max, values.length, sum, sq, limits, counts);
    }
}
