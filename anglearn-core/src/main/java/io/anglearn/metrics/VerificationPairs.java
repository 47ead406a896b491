package io.anglearn.metrics;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Pairs of samples for verification ("are these two the same class?"), built from a labelled
 * split as face-verification benchmarks build them: every positive pair (two samples of one
 * class) up to a cap — when there are more, the cap is drawn uniformly without repetition — and as
 * many negative pairs (two samples of different classes), drawn uniformly without repetition. The
 * draw depends only on the labels, the cap and the seed.
 *
 * @param first the first sample of each pair
 * @param second the second sample of each pair
 * @param same whether the pair is positive (same class)
 */
public record VerificationPairs(int[] first, int[] second, boolean[] same) {

    /** Default cap on positive pairs. */
    public static final int DEFAULT_MAX_POSITIVES = 100_000;

    /** Checks the lengths. */
    public VerificationPairs {
        if (first.length != second.length || first.length != same.length) {
            throw new IllegalArgumentException("pair arrays of different lengths");
        }
    }

    /** Returns the number of pairs. */
    public int size() {
        return first.length;
    }

    /** Returns the number of positive pairs. */
    public int positives() {
        int n = 0;
        for (boolean s : same) {
            n += s ? 1 : 0;
        }
        return n;
    }

    /**
     * Builds the pairs.
     *
     * @param labels the class of each sample (negative labels are left out)
     * @param maxPositives the cap on positive pairs, at least 1
     * @param seed the draw's seed
     * @return positives first (in order of the first sample, then the second, when all are used),
     *     then the negatives
     * @throws IllegalArgumentException if there is no positive pair or no negative pair
     */
    public static VerificationPairs build(int[] labels, int maxPositives, long seed) {
        if (maxPositives < 1) {
            throw new IllegalArgumentException("the cap on positive pairs must be >= 1, got " + maxPositives);
        }
        int classes = 0;
        for (int y : labels) {
            classes = Math.max(classes, y + 1);
        }
        int[][] members = new int[classes][];
        int[] sizes = new int[classes];
        for (int y : labels) {
            if (y >= 0) {
                sizes[y]++;
            }
        }
        for (int c = 0; c < classes; c++) {
            members[c] = new int[sizes[c]];
        }
        int[] fill = new int[classes];
        int labelled = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0) {
                members[labels[i]][fill[labels[i]]++] = i;
                labelled++;
            }
        }
        long[] pairsOf = new long[classes];
        long totalPositive = 0;
        long sameClassOrdered = 0;
        for (int c = 0; c < classes; c++) {
            pairsOf[c] = (long) sizes[c] * (sizes[c] - 1) / 2;
            totalPositive += pairsOf[c];
            sameClassOrdered += (long) sizes[c] * sizes[c];
        }
        long totalNegative = ((long) labelled * labelled - sameClassOrdered) / 2;
        if (totalPositive == 0) {
            throw new IllegalArgumentException("no class has two samples, so there is no positive pair to verify");
        }
        if (totalNegative == 0) {
            throw new IllegalArgumentException("all samples are of one class, so there is no negative pair to verify");
        }
        Random rnd = new Random(seed);
        int nPos = (int) Math.min(maxPositives, totalPositive);
        int nNeg = (int) Math.min(nPos, totalNegative);
        int[] a = new int[nPos + nNeg];
        int[] b = new int[nPos + nNeg];
        boolean[] same = new boolean[nPos + nNeg];
        int at = 0;
        if (nPos == totalPositive) {
            for (int c = 0; c < classes; c++) {
                int[] m = members[c];
                for (int i = 0; i < m.length; i++) {
                    for (int j = i + 1; j < m.length; j++) {
                        a[at] = m[i];
                        b[at] = m[j];
                        same[at++] = true;
                    }
                }
            }
            sortPositives(a, b, nPos);
        } else {
            // A class is drawn with probability proportional to its pair count, then two distinct members:
            // every positive pair is equally likely; repeats are drawn again.
            long[] cumulative = new long[classes];
            long run = 0;
            for (int c = 0; c < classes; c++) {
                run += pairsOf[c];
                cumulative[c] = run;
            }
            Set<Long> seen = new HashSet<>();
            while (at < nPos) {
                long r = (long) (rnd.nextDouble() * totalPositive);
                int c = Arrays.binarySearch(cumulative, r + 1);
                c = c >= 0 ? c : -c - 1;
                int[] m = members[c];
                int i = m[rnd.nextInt(m.length)];
                int j = m[rnd.nextInt(m.length)];
                if (i == j || !seen.add(key(i, j))) {
                    continue;
                }
                a[at] = Math.min(i, j);
                b[at] = Math.max(i, j);
                same[at++] = true;
            }
        }
        int[] all = new int[labelled];
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0) {
                all[k++] = i;
            }
        }
        Set<Long> seen = new HashSet<>();
        while (at < nPos + nNeg) {
            int i = all[rnd.nextInt(labelled)];
            int j = all[rnd.nextInt(labelled)];
            if (labels[i] == labels[j] || !seen.add(key(i, j))) {
                continue;
            }
            a[at] = Math.min(i, j);
            b[at] = Math.max(i, j);
            same[at++] = false;
        }
        return new VerificationPairs(a, b, same);
    }

    private static void sortPositives(int[] a, int[] b, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) a[i] << 32) | b[i];
        }
        Arrays.sort(keys);
        for (int i = 0; i < n; i++) {
            a[i] = (int) (keys[i] >>> 32);
            b[i] = (int) keys[i];
        }
    }

    private static long key(int i, int j) {
        return ((long) Math.min(i, j) << 32) | Math.max(i, j);
    }

    /**
     * The cosine similarity of each pair's embeddings.
     *
     * @param features n×d features, row-major (any scale)
     * @param dim d
     * @return one cosine per pair, in pair order
     */
    public double[] cosines(float[] features, int dim) {
        double[] out = new double[size()];
        for (int p = 0; p < out.length; p++) {
            int oa = first[p] * dim;
            int ob = second[p] * dim;
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int k = 0; k < dim; k++) {
                double x = features[oa + k];
                double y = features[ob + k];
                dot += x * y;
                na += x * x;
                nb += y * y;
            }
            out[p] = na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
        }
        return out;
    }
}
