package io.anglearn.loss.miners;

import java.util.Arrays;

/**
 * Semi-hard triplet mining ({@code semi-hard}) of F. Schroff, D. Kalenichenko and J. Philbin,
 * "FaceNet: A Unified Embedding for Face Recognition and Clustering" (CVPR 2015): every positive
 * pair {@code (a, p)} with a negative that is farther from the anchor than the positive but within
 * the margin, {@code d(a, p) < d(a, n) < d(a, p) + margin}.
 *
 * <p>Of the semi-hard negatives of a pair the one nearest the anchor is taken (the hardest
 * semi-hard one, as in FaceNet's reference implementations), ties to the lowest index; a pair
 * without a semi-hard negative gives no triplet. Such triplets violate the margin without being
 * the hardest ones, which FaceNet found to collapse training early on.
 *
 * <p>Parameter: the margin, default {@value #DEFAULT_MARGIN}, in the units of the loss's distance;
 * set it to the triplet loss's margin.
 */
public final class SemiHardMiner implements Miner {

    /** Default margin. */
    public static final double DEFAULT_MARGIN = 0.2;

    private final double margin;

    private SemiHardMiner(Builder b) {
        margin = b.margin;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the margin. */
    public double margin() {
        return margin;
    }

    @Override
    public String name() {
        return "semi-hard";
    }

    @Override
    public MinedTriplets mine(double[] distances, int[] labels) {
        int n = Miner.checkSquare(name(), distances, labels);
        int cap = 16;
        int[] a = new int[cap];
        int[] p = new int[cap];
        int[] q = new int[cap];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (j == i || labels[j] != labels[i]) {
                    continue;
                }
                double dp = distances[i * n + j];
                int best = -1;
                for (int m = 0; m < n; m++) {
                    double dn = distances[i * n + m];
                    if (labels[m] != labels[i] && dn > dp && dn < dp + margin
                            && (best < 0 || dn < distances[i * n + best])) {
                        best = m;
                    }
                }
                if (best < 0) {
                    continue;
                }
                if (k == cap) {
                    cap *= 2;
                    a = Arrays.copyOf(a, cap);
                    p = Arrays.copyOf(p, cap);
                    q = Arrays.copyOf(q, cap);
                }
                a[k] = i;
                p[k] = j;
                q[k++] = best;
            }
        }
        return new MinedTriplets(Arrays.copyOf(a, k), Arrays.copyOf(p, k), Arrays.copyOf(q, k));
    }

    /** Builds a {@link SemiHardMiner}. */
    public static final class Builder {
        private double margin = DEFAULT_MARGIN;

        private Builder() {}

        /**
         * Sets the margin.
         *
         * @param margin a finite number &gt; 0, in the loss's distance units (default {@value #DEFAULT_MARGIN})
         * @return this builder
         */
        public Builder optMargin(double margin) {
            this.margin = margin;
            return this;
        }

        /**
         * Builds the miner.
         *
         * @return the miner
         * @throws IllegalArgumentException if the margin is out of range
         */
        public SemiHardMiner build() {
            if (!(margin > 0) || !Double.isFinite(margin)) {
                throw new IllegalArgumentException("semi-hard: margin must be a finite number > 0, got " + margin);
            }
            return new SemiHardMiner(this);
        }
    }
}
