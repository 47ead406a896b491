package io.anglearn.metrics;

/**
 * Small vector helpers shared by the embedding metrics: row-wise L2 normalisation and argument
 * checks for row-major {@code n×d} feature arrays.
 */
final class FeatureRows {

    private FeatureRows() {}

    /**
     * Checks that {@code features} holds {@code labels.length} rows of {@code dim} values.
     *
     * @param features n×d features, row-major
     * @param dim d
     * @param labels n labels
     * @return n
     */
    static int rows(float[] features, int dim, int[] labels) {
        if (dim <= 0) {
            throw new IllegalArgumentException("feature dimension must be positive, got " + dim);
        }
        if (features.length != (long) labels.length * dim) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected "
                    + labels.length + " rows × " + dim + " = " + (long) labels.length * dim);
        }
        for (int y : labels) {
            if (y < 0) {
                throw new IllegalArgumentException("labels must be non-negative, got " + y);
            }
        }
        return labels.length;
    }

    /**
     * Returns a copy of the rows scaled to unit length; all-zero rows stay zero.
     *
     * @param features n×d features, row-major
     * @param dim d
     * @return the normalised copy
     */
    static float[] normalizeRows(float[] features, int dim) {
        float[] out = new float[features.length];
        int n = features.length / dim;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < dim; k++) {
                double v = features[i * dim + k];
                s += v * v;
            }
            if (s == 0) {
                continue;
            }
            double inv = 1 / Math.sqrt(s);
            for (int k = 0; k < dim; k++) {
                out[i * dim + k] = (float) (features[i * dim + k] * inv);
            }
        }
        return out;
    }

    /** The number of classes implied by the labels: max label + 1. */
    static int numClasses(int[] labels) {
        int c = 0;
        for (int y : labels) {
            c = Math.max(c, y + 1);
        }
        return c;
    }
}
