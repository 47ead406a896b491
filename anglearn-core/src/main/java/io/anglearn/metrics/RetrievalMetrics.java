package io.anglearn.metrics;

import java.util.Arrays;

/**
 * Retrieval accuracy of an embedding, as defined by Musgrave, Belongie and Lim, "A Metric
 * Learning Reality Check" (ECCV 2020), with cosine similarity (computed in
 * float32) and every sample used once as the
 * query against all the others (the query itself is left out of its own ranking).
 *
 * <p>For a query q of class y, let R be the number of other samples of class y, and rank all
 * other samples by cosine similarity to q, highest first (ties broken by sample index):
 * <ul>
 *   <li>precision@1: 1 if the first retrieved sample has class y, else 0;
 *   <li>R-precision: the fraction of the first R retrieved samples that have class y;
 *   <li>MAP@R: (1/R)·Σ_{i=1..R} P(i)·[sample i has class y], with P(i) the precision of the
 *       first i retrieved samples.
 * </ul>
 * Each metric is the mean over queries. Queries whose class has no other sample (R = 0) have no
 * defined answer and are left out of all three means; {@link #queries()} counts those kept.
 *
 * <p>Cost: O(N²·d) time for N samples, computed in blocks of queries so that memory stays at
 * O(N·d + B·N) for a block of B queries rather than the N² of a full similarity matrix.
 *
 * @param precisionAt1 mean precision@1, in [0, 1]
 * @param rPrecision mean R-precision, in [0, 1]
 * @param mapAtR mean MAP@R, in [0, 1]
 * @param queries the number of queries averaged (samples whose class has another sample)
 */
public record RetrievalMetrics(double precisionAt1, double rPrecision, double mapAtR, int queries) {

    /** Queries scored together; a block holds {@value} rows of N similarities. */
    static final int BLOCK = 64;

    /**
     * Computes the three metrics.
     *
     * @param features n×d embedded features, row-major (any scale; they are L2-normalised here)
     * @param dim d
     * @param labels n class labels, non-negative
     * @return the metrics; NaN means with {@code queries() == 0} when no class has two samples
     */
    public static RetrievalMetrics compute(float[] features, int dim, int[] labels) {
        int n = FeatureRows.rows(features, dim, labels);
        float[] unit = FeatureRows.normalizeRows(features, dim);
        int[] classSize = new int[FeatureRows.numClasses(labels)];
        for (int y : labels) {
            classSize[y]++;
        }
        double sumP1 = 0;
        double sumRp = 0;
        double sumMap = 0;
        int queries = 0;
        float[][] sims = new float[Math.min(BLOCK, Math.max(1, n))][n];
        float[] scratch = new float[n];
        long[] keys = new long[n];
        int[] top = new int[n];
        for (int q0 = 0; q0 < n; q0 += BLOCK) {
            int b = Math.min(BLOCK, n - q0);
            similarities(unit, dim, q0, b, n, sims);
            for (int qi = 0; qi < b; qi++) {
                int q = q0 + qi;
                int y = labels[q];
                int r = classSize[y] - 1;
                if (r == 0) {
                    continue;
                }
                float[] row = sims[qi];
                row[q] = Float.NEGATIVE_INFINITY; // leave the query out of its own ranking
                int k = topK(row, n, r, scratch, keys, top);
                // k == r: the first r retrieved samples, best first.
                int hits = 0;
                double ap = 0;
                for (int i = 0; i < k; i++) {
                    if (labels[top[i]] == y) {
                        hits++;
                        ap += (double) hits / (i + 1);
                    }
                }
                sumP1 += labels[top[0]] == y ? 1 : 0;
                sumRp += (double) hits / r;
                sumMap += ap / r;
                queries++;
            }
        }
        if (queries == 0) {
            return new RetrievalMetrics(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        return new RetrievalMetrics(sumP1 / queries, sumRp / queries, sumMap / queries, queries);
    }

    /** Fills sims[0..b) with the cosine similarities of queries q0..q0+b to all n unit rows. */
    private static void similarities(float[] unit, int dim, int q0, int b, int n, float[][] sims) {
        for (int j = 0; j < n; j++) {
            int oj = j * dim;
            for (int qi = 0; qi < b; qi++) {
                int oq = (q0 + qi) * dim;
                // Four partial sums let the CPU overlap the multiply-adds.
                float s0 = 0;
                float s1 = 0;
                float s2 = 0;
                float s3 = 0;
                int k = 0;
                for (; k + 3 < dim; k += 4) {
                    s0 += unit[oq + k] * unit[oj + k];
                    s1 += unit[oq + k + 1] * unit[oj + k + 1];
                    s2 += unit[oq + k + 2] * unit[oj + k + 2];
                    s3 += unit[oq + k + 3] * unit[oj + k + 3];
                }
                for (; k < dim; k++) {
                    s0 += unit[oq + k] * unit[oj + k];
                }
                sims[qi][j] = (s0 + s1) + (s2 + s3);
            }
        }
    }

    /**
     * Writes into {@code top} the indices of the k largest values of row[0..n), best first, ties
     * by smaller index; returns k. Linear-time selection of the threshold, then a sort of k keys.
     */
    static int topK(float[] row, int n, int k, float[] scratch, long[] keys, int[] top) {
        System.arraycopy(row, 0, scratch, 0, n);
        float threshold = select(scratch, 0, n - 1, n - k);
        int m = 0;
        for (int j = 0; j < n; j++) {
            if (row[j] > threshold) {
                keys[m++] = key(row[j], j);
            }
        }
        for (int j = 0; j < n && m < k; j++) {
            if (row[j] == threshold) {
                keys[m++] = key(row[j], j);
            }
        }
        Arrays.sort(keys, 0, m);
        for (int i = 0; i < m; i++) {
            top[i] = (int) keys[i];
        }
        return m;
    }

    /** A long whose ascending order is similarity descending, then index ascending. */
    private static long key(float sim, int index) {
        int bits = Float.floatToIntBits(-sim);
        bits ^= (bits >> 31) & 0x7fffffff; // IEEE order → signed-int order
        return ((long) bits << 32) | (index & 0xffffffffL);
    }

    /** Quickselect: the value that would sit at index {@code rank} of a[lo..hi] sorted ascending. */
    private static float select(float[] a, int lo, int hi, int rank) {
        while (lo < hi) {
            float pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (rank <= j) {
                hi = j;
            } else if (rank >= i) {
                lo = i;
            } else {
                return a[rank];
            }
        }
        return a[rank];
    }
}
