package io.anglearn.loss;

import io.anglearn.loss.miners.MinedPairs;
import io.anglearn.loss.miners.MinedTriplets;
import java.util.LinkedHashSet;
import java.util.Set;

/** The pair losses in plain scalar arithmetic, written from their papers' formulas: the tests' oracle. */
final class PairLossReference {

    private PairLossReference() {}

    static double[][] unit(double[][] x) {
        double[][] u = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double n = 0;
            for (double v : x[i]) {
                n += v * v;
            }
            n = Math.sqrt(n);
            u[i] = new double[x[i].length];
            for (int k = 0; k < x[i].length; k++) {
                u[i][k] = n == 0 ? 0 : x[i][k] / n;
            }
        }
        return u;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    /** Euclidean distances, n×n. */
    static double[][] euclidean(double[][] x, boolean normalize, boolean squared) {
        double[][] v = normalize ? unit(x) : x;
        int n = v.length;
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < v[i].length; k++) {
                    s += (v[i][k] - v[j][k]) * (v[i][k] - v[j][k]);
                }
                d[i][j] = squared ? s : Math.sqrt(s);
            }
        }
        return d;
    }

    /** Cosine similarities, n×n. */
    static double[][] cosine(double[][] x) {
        double[][] u = unit(x);
        double[][] s = new double[u.length][u.length];
        for (int i = 0; i < u.length; i++) {
            for (int j = 0; j < u.length; j++) {
                s[i][j] = dot(u[i], u[j]);
            }
        }
        return s;
    }

    static double[] flat(double[][] m) {
        int n = m.length;
        double[] f = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], 0, f, i * n, n);
        }
        return f;
    }

    /** Mean of the positive values (0 if none). */
    private static double meanOfPositive(double[] v) {
        double sum = 0;
        int count = 0;
        for (double x : v) {
            if (x > 0) {
                sum += x;
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    static double contrastive(double[][] d, MinedPairs p, double posMargin, double negMargin) {
        double[] pos = new double[p.positiveCount()];
        for (int k = 0; k < pos.length; k++) {
            double h = Math.max(0, d[p.positiveAnchors()[k]][p.positives()[k]] - posMargin);
            pos[k] = 0.5 * h * h;
        }
        double[] neg = new double[p.negativeCount()];
        for (int k = 0; k < neg.length; k++) {
            double h = Math.max(0, negMargin - d[p.negativeAnchors()[k]][p.negatives()[k]]);
            neg[k] = 0.5 * h * h;
        }
        return meanOfPositive(pos) + meanOfPositive(neg);
    }

    static double triplet(double[][] d, MinedTriplets t, double margin) {
        double[] h = new double[t.size()];
        for (int k = 0; k < h.length; k++) {
            h[k] = Math.max(0, d[t.anchors()[k]][t.positives()[k]] - d[t.anchors()[k]][t.negatives()[k]] + margin);
        }
        return meanOfPositive(h);
    }

    static double multiSimilarity(double[][] s, MinedPairs p, double alpha, double beta, double lambda) {
        int n = s.length;
        Set<Long> pos = new LinkedHashSet<>();
        Set<Long> neg = new LinkedHashSet<>();
        for (int k = 0; k < p.positiveCount(); k++) {
            pos.add((long) p.positiveAnchors()[k] * n + p.positives()[k]);
        }
        for (int k = 0; k < p.negativeCount(); k++) {
            neg.add((long) p.negativeAnchors()[k] * n + p.negatives()[k]);
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            double sp = 0;
            double sn = 0;
            for (int k = 0; k < n; k++) {
                if (pos.contains((long) i * n + k)) {
                    sp += Math.exp(-alpha * (s[i][k] - lambda));
                }
                if (neg.contains((long) i * n + k)) {
                    sn += Math.exp(beta * (s[i][k] - lambda));
                }
            }
            total += Math.log1p(sp) / alpha + Math.log1p(sn) / beta;
        }
        return total / n;
    }
}
