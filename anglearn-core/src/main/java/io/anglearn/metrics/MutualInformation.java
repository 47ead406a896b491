package io.anglearn.metrics;

/**
 * Normalised mutual information between two labelings of the same samples, as used to score a
 * clustering against the classes (Strehl and Ghosh, "Cluster Ensembles", JMLR 2002; the
 * arithmetic-mean normalisation of Vinh, Epps and Bailey, JMLR 2010):
 * NMI(U, V) = I(U; V) / ((H(U) + H(V)) / 2), natural logarithms. It is 1 when the two labelings
 * are the same partition (up to renaming) and 0 when they are independent. When both labelings
 * put every sample in one group, both entropies are 0 and NMI is defined as 1.
 */
public final class MutualInformation {

    private MutualInformation() {}

    /**
     * Computes NMI.
     *
     * @param a the first labeling, non-negative integers
     * @param b the second labeling, the same length
     * @return NMI in [0, 1]
     */
    public static double normalized(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("labelings differ in length: " + a.length + " and " + b.length);
        }
        int n = a.length;
        if (n == 0) {
            throw new IllegalArgumentException("NMI needs at least one sample");
        }
        int ka = FeatureRows.numClasses(a);
        int kb = FeatureRows.numClasses(b);
        for (int v : b) {
            if (v < 0) {
                throw new IllegalArgumentException("labels must be non-negative, got " + v);
            }
        }
        long[][] joint = new long[ka][kb];
        long[] ca = new long[ka];
        long[] cb = new long[kb];
        for (int i = 0; i < n; i++) {
            joint[a[i]][b[i]]++;
            ca[a[i]]++;
            cb[b[i]]++;
        }
        double mi = 0;
        for (int i = 0; i < ka; i++) {
            for (int j = 0; j < kb; j++) {
                long nij = joint[i][j];
                if (nij > 0) {
                    mi += (double) nij / n * Math.log((double) nij * n / ((double) ca[i] * cb[j]));
                }
            }
        }
        double ha = entropy(ca, n);
        double hb = entropy(cb, n);
        if (ha + hb == 0) {
            return 1.0;
        }
        return Math.max(0, Math.min(1, mi / ((ha + hb) / 2)));
    }

    private static double entropy(long[] counts, int n) {
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                h -= p * Math.log(p);
            }
        }
        return h;
    }
}
