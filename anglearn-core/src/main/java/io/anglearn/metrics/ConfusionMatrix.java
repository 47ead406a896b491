package io.anglearn.metrics;

/**
 * Counts of (true class, predicted class) pairs over a split.
 *
 * @param counts C×C counts, row = true class, column = predicted class
 */
public record ConfusionMatrix(long[][] counts) {

    /**
     * Tallies predictions.
     *
     * @param labels true classes
     * @param predictions predicted classes, the same length
     * @param numClasses C; every label and prediction must be below it
     * @return the matrix
     */
    public static ConfusionMatrix of(int[] labels, int[] predictions, int numClasses) {
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predictions.length + " predictions");
        }
        long[][] m = new long[numClasses][numClasses];
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            int p = predictions[i];
            if (y < 0 || y >= numClasses || p < 0 || p >= numClasses) {
                throw new IllegalArgumentException("sample " + i + " has label " + y + " and prediction " + p
                        + ", expected both in [0, " + numClasses + ")");
            }
            m[y][p]++;
        }
        return new ConfusionMatrix(m);
    }

    /** Returns C. */
    public int numClasses() {
        return counts.length;
    }

    /** Returns the error in percent: off-diagonal counts over all counts. */
    public double errorPercent() {
        long all = 0;
        long right = 0;
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts.length; j++) {
                all += counts[i][j];
            }
            right += counts[i][i];
        }
        return all == 0 ? Double.NaN : 100.0 * (all - right) / all;
    }
}
