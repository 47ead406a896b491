package io.anglearn.metrics;

/**
 * The target angle θ_y of each sample, the angle between its embedded feature x and its class
 * weight w_y, in radians (Wu and Wang, arXiv:1912.07819, Figure 7 plots its per-epoch
 * histograms).
 */
public final class TargetAngles {

    private TargetAngles() {}

    /**
     * Computes θ_y = arccos(x̂·ŵ_y) for every sample.
     *
     * @param features n×d features, row-major
     * @param dim d
     * @param labels n labels, each below the number of weight rows
     * @param weights C×d class weights
     * @return n angles in [0, π]; 0 for a zero feature
     */
    public static double[] compute(float[] features, int dim, int[] labels, double[][] weights) {
        int n = FeatureRows.rows(features, dim, labels);
        double[] out = new double[n];
        double[] x = new double[dim];
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y >= weights.length || weights[y].length != dim) {
                throw new IllegalArgumentException("label " + y + " has no class weight of dimension " + dim
                        + " (weights are " + weights.length + "×" + (weights.length == 0 ? 0 : weights[0].length) + ")");
            }
            for (int k = 0; k < dim; k++) {
                x[k] = features[i * dim + k];
            }
            out[i] = AngleStatistics.angle(x, weights[y]);
        }
        return out;
    }
}
