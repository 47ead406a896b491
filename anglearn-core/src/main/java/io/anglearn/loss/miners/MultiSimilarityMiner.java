package io.anglearn.loss.miners;

import java.util.ArrayList;
import java.util.List;

/**
 * The pair mining ({@code multi-similarity}) of X. Wang, X. Han, W. Huang, D. Dong and M. R. Scott,
 * "Multi-Similarity Loss with General Pair Weighting for Deep Metric Learning" (CVPR 2019, eq. 7
 * and 8): a negative pair is kept when it is more similar than the anchor's least similar positive
 * less ε, a positive pair when it is less similar than the anchor's most similar negative plus ε.
 *
 * <p>The paper states this with similarities S; with the loss's distance d (lower = more alike;
 * for the multi-similarity loss d = 1 − S, the same rule exactly) a negative {@code (a, n)} is kept
 * when {@code d(a, n) < max_p d(a, p) + ε} and a positive {@code (a, p)} when
 * {@code d(a, p) > min_n d(a, n) − ε}. An anchor without a positive keeps no negative pair, and one
 * without a negative keeps no positive pair: their rule has nothing to compare with.
 *
 * <p>Parameter: ε, default {@value #DEFAULT_EPSILON} (the paper's), in the loss's distance units.
 */
public final class MultiSimilarityMiner implements Miner {

    /** Default ε. */
    public static final double DEFAULT_EPSILON = 0.1;

    private final double epsilon;

    private MultiSimilarityMiner(Builder b) {
        epsilon = b.epsilon;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns ε. */
    public double epsilon() {
        return epsilon;
    }

    @Override
    public String name() {
        return "multi-similarity";
    }

    @Override
    public MinedPairs mine(double[] distances, int[] labels) {
        int n = Miner.checkSquare(name(), distances, labels);
        List<int[]> pos = new ArrayList<>();
        List<int[]> neg = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double farthestPositive = Double.NEGATIVE_INFINITY;
            double nearestNegative = Double.POSITIVE_INFINITY;
            boolean anyPositive = false;
            boolean anyNegative = false;
            for (int j = 0; j < n; j++) {
                double d = distances[i * n + j];
                if (j != i && labels[j] == labels[i]) {
                    anyPositive = true;
                    farthestPositive = Math.max(farthestPositive, d);
                } else if (labels[j] != labels[i]) {
                    anyNegative = true;
                    nearestNegative = Math.min(nearestNegative, d);
                }
            }
            if (!anyPositive || !anyNegative) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                double d = distances[i * n + j];
                if (j != i && labels[j] == labels[i] && d > nearestNegative - epsilon) {
                    pos.add(new int[] {i, j});
                } else if (labels[j] != labels[i] && d < farthestPositive + epsilon) {
                    neg.add(new int[] {i, j});
                }
            }
        }
        return MinedPairs.of(pos, neg);
    }

    /** Builds a {@link MultiSimilarityMiner}. */
    public static final class Builder {
        private double epsilon = DEFAULT_EPSILON;

        private Builder() {}

        /**
         * Sets ε.
         *
         * @param epsilon a finite number &ge; 0, in the loss's distance units (default {@value #DEFAULT_EPSILON})
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Builds the miner.
         *
         * @return the miner
         * @throws IllegalArgumentException if ε is out of range
         */
        public MultiSimilarityMiner build() {
            if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
                throw new IllegalArgumentException("multi-similarity: epsilon must be a finite number >= 0, got "
                        + epsilon);
            }
            return new MultiSimilarityMiner(this);
        }
    }
}
