package io.anglearn.metrics;

import java.util.SplittableRandom;

/**
 * k-means clustering (Lloyd's algorithm) seeded with k-means++ (Arthur and Vassilvitskii,
 * "k-means++: The Advantages of Careful Seeding", SODA 2007), deterministic for a given seed.
 *
 * <p>Hyperparameters: the number of clusters k (required); the seed (default 0); the maximum
 * number of Lloyd iterations (default 100; iteration also stops as soon as no assignment
 * changes); the number of restarts from fresh seedings, of which the one with the smallest
 * within-cluster sum of squares is kept (default 1). A cluster that loses all its points is
 * re-seeded at the point farthest from its centre, so k clusters always come back when there are
 * at least k distinct points.
 */
public final class KMeans {

    private final int clusters;
    private final long seed;
    private final int maxIterations;
    private final int restarts;

    private KMeans(Builder b) {
        clusters = b.clusters;
        seed = b.seed;
        maxIterations = b.maxIterations;
        restarts = b.restarts;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A clustering.
     *
     * @param assignments the cluster of each point
     * @param centroids k×d centres, row-major
     * @param inertia the sum of squared distances of points to their centre
     * @param iterations the Lloyd iterations run by the kept restart
     */
    public record Result(int[] assignments, double[] centroids, double inertia, int iterations) {}

    /**
     * Clusters n points.
     *
     * @param points n×d points, row-major
     * @param dim d
     * @return the clustering with the smallest inertia over the restarts
     */
    public Result fit(float[] points, int dim) {
        if (dim <= 0 || points.length % dim != 0) {
            throw new IllegalArgumentException("points hold " + points.length + " values, not a multiple of d = " + dim);
        }
        int n = points.length / dim;
        if (n < clusters) {
            throw new IllegalArgumentException("k-means with k = " + clusters + " needs at least " + clusters
                    + " points, got " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Result best = null;
        for (int r = 0; r < restarts; r++) {
            Result res = lloyd(points, dim, n, seedPlusPlus(points, dim, n, rng), rng);
            if (best == null || res.inertia() < best.inertia()) {
                best = res;
            }
        }
        return best;
    }

    /** k-means++: the first centre uniformly, each next one with probability ∝ D(x)². */
    private double[] seedPlusPlus(float[] x, int dim, int n, SplittableRandom rng) {
        double[] c = new double[clusters * dim];
        int first = rng.nextInt(n);
        for (int k = 0; k < dim; k++) {
            c[k] = x[first * dim + k];
        }
        double[] d2 = new double[n];
        for (int i = 0; i < n; i++) {
            d2[i] = dist2(x, i, c, 0, dim);
        }
        for (int j = 1; j < clusters; j++) {
            double total = 0;
            for (double v : d2) {
                total += v;
            }
            int pick;
            if (total == 0) {
                pick = rng.nextInt(n); // all points coincide with chosen centres
            } else {
                double u = rng.nextDouble() * total;
                pick = n - 1;
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += d2[i];
                    if (acc > u) {
                        pick = i;
                        break;
                    }
                }
            }
            for (int k = 0; k < dim; k++) {
                c[j * dim + k] = x[pick * dim + k];
            }
            for (int i = 0; i < n; i++) {
                d2[i] = Math.min(d2[i], dist2(x, i, c, j, dim));
            }
        }
        return c;
    }

    private Result lloyd(float[] x, int dim, int n, double[] c, SplittableRandom rng) {
        int[] assign = new int[n];
        java.util.Arrays.fill(assign, -1);
        int[] counts = new int[clusters];
        double inertia = 0;
        int it = 0;
        while (it < maxIterations) {
            it++;
            boolean changed = false;
            inertia = 0;
            for (int i = 0; i < n; i++) {
                int bestJ = 0;
                double bestD = Double.POSITIVE_INFINITY;
                for (int j = 0; j < clusters; j++) {
                    double d = dist2(x, i, c, j, dim);
                    if (d < bestD) {
                        bestD = d;
                        bestJ = j;
                    }
                }
                if (assign[i] != bestJ) {
                    assign[i] = bestJ;
                    changed = true;
                }
                inertia += bestD;
            }
            if (!changed) {
                break;
            }
            java.util.Arrays.fill(c, 0);
            java.util.Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                int j = assign[i];
                counts[j]++;
                for (int k = 0; k < dim; k++) {
                    c[j * dim + k] += x[i * dim + k];
                }
            }
            for (int j = 0; j < clusters; j++) {
                for (int k = 0; k < dim && counts[j] > 0; k++) {
                    c[j * dim + k] /= counts[j];
                }
            }
            for (int j = 0; j < clusters; j++) {
                if (counts[j] == 0) {
                    reseedEmpty(x, dim, n, c, j, assign);
                }
            }
        }
        return new Result(assign, c, inertia, it);
    }

    /** Moves an empty cluster's centre onto the point farthest from its own centre. */
    private static void reseedEmpty(float[] x, int dim, int n, double[] c, int empty, int[] assign) {
        int far = 0;
        double farD = -1;
        for (int i = 0; i < n; i++) {
            double d = dist2(x, i, c, assign[i], dim);
            if (d > farD) {
                farD = d;
                far = i;
            }
        }
        for (int k = 0; k < dim; k++) {
            c[empty * dim + k] = x[far * dim + k];
        }
        assign[far] = -1; // forces another iteration
    }

    private static double dist2(float[] x, int i, double[] c, int j, int dim) {
        if (j < 0) {
            return 0;
        }
        double s = 0;
        int oi = i * dim;
        int oj = j * dim;
        for (int k = 0; k < dim; k++) {
            double d = x[oi + k] - c[oj + k];
            s += d * d;
        }
        return s;
    }

    /** Builds a {@link KMeans}. */
    public static final class Builder {
        private int clusters;
        private long seed;
        private int maxIterations = 100;
        private int restarts = 1;

        private Builder() {}

        /**
         * Sets the number of clusters k (required, ≥ 1).
         *
         * @param k the number of clusters
         * @return this builder
         */
        public Builder setClusters(int k) {
            this.clusters = k;
            return this;
        }

        /**
         * Sets the seed of the k-means++ seeding (default 0).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the maximum number of Lloyd iterations (default 100).
         *
         * @param maxIterations at least 1
         * @return this builder
         */
        public Builder optMaxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /**
         * Sets the number of restarts, the best kept (default 1).
         *
         * @param restarts at least 1
         * @return this builder
         */
        public Builder optRestarts(int restarts) {
            this.restarts = restarts;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the clusterer
         */
        public KMeans build() {
            if (clusters < 1) {
                throw new IllegalArgumentException("k-means needs setClusters(k) with k ≥ 1, got " + clusters);
            }
            if (maxIterations < 1) {
                throw new IllegalArgumentException("maxIterations must be ≥ 1, got " + maxIterations);
            }
            if (restarts < 1) {
                throw new IllegalArgumentException("restarts must be ≥ 1, got " + restarts);
            }
            return new KMeans(this);
        }
    }
}
