package io.anglearn.data;

import java.util.Arrays;

/**
 * Per-channel z-score normalisation, {@code (pixel/255 − mean_c) / std_c}, with the statistics
 * computed from the training split (never the test split) and stored in the run's configuration.
 *
 * @param mean per-channel mean of pixel/255
 * @param std per-channel standard deviation of pixel/255
 */
public record Normalization(double[] mean, double[] std) {

    /** Validates the statistics. */
    public Normalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalisation needs one mean and one std per channel, got "
                    + mean.length + " and " + std.length);
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("normalisation std must be positive and finite, got "
                        + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * Computes the statistics of a dataset, per channel, over every pixel of every image.
     *
     * @param data the training split
     * @return the statistics
     */
    public static Normalization of(ImageDataset data) {
        int c = data.channels();
        int plane = data.height() * data.width();
        long[] sum = new long[c];
        long[] sumSq = new long[c];
        byte[] px = data.pixelsUnsafe();
        int img = data.imageSize();
        for (int i = 0; i < data.size(); i++) {
            int base = i * img;
            for (int ch = 0; ch < c; ch++) {
                long s = 0;
                long s2 = 0;
                int off = base + ch * plane;
                for (int k = 0; k < plane; k++) {
                    int v = px[off + k] & 0xFF;
                    s += v;
                    s2 += v * v;
                }
                sum[ch] += s;
                sumSq[ch] += s2;
            }
        }
        double n = (double) data.size() * plane;
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            double var = sumSq[ch] / n - m * m;
            mean[ch] = m / 255.0;
            std[ch] = Math.sqrt(Math.max(var, 1e-12)) / 255.0;
        }
        return new Normalization(mean, std);
    }

    /** Returns the number of channels. */
    public int channels() {
        return mean.length;
    }
}
