package io.anglearn.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Verification accuracy of an embedding: how well a threshold on the cosine similarity of two
 * samples decides whether they are of the same class, as face-verification work reports it (e.g.
 * Deng et al., "ArcFace: Additive Angular Margin Loss for Deep Face Recognition", CVPR 2019, and
 * the IJB benchmarks' TAR at fixed FAR).
 *
 * <p>A pair is accepted ("same") when its similarity is at least the threshold t. Over all
 * thresholds, TAR(t) is the fraction of positive pairs accepted and FAR(t) the fraction of negative
 * pairs accepted; the ROC curve joins the points (FAR, TAR) from t = +∞ (0, 0) down to the lowest
 * similarity (1, 1), one point per distinct similarity.
 * <ul>
 *   <li>ROC AUC: the probability that a random positive pair scores above a random negative one,
 *       ties counting one half (the Mann–Whitney statistic), which is the area under that curve;
 *   <li>EER: the error rate where FAR equals FRR = 1 − TAR, on the straight segment of the ROC
 *       curve where FAR − FRR changes sign;
 *   <li>TAR at FAR = f: the highest TAR of a threshold whose FAR is at most f, with that threshold;
 *       NaN when there are fewer than 1/f negative pairs, too few to measure a rate of f;
 *   <li>best accuracy: the threshold (one of the similarities, or +∞ accepting nothing) with the
 *       highest fraction of pairs decided right; the highest such threshold on ties.
 * </ul>
 *
 * @param auc ROC AUC, in [0, 1]
 * @param eer equal error rate, in [0, 1]
 * @param tarAtFar TAR at each requested FAR, in the order of {@link #fars}
 * @param thresholdAtFar the threshold achieving each TAR (NaN where TAR is NaN)
 * @param fars the FARs requested
 * @param bestThreshold the best-accuracy threshold on the cosine similarity
 * @param bestAccuracy the accuracy at it, in [0, 1]
 * @param positives the number of positive pairs
 * @param negatives the number of negative pairs
 * @param roc the ROC curve's points, {FAR, TAR, threshold}, FAR ascending
 */
public record VerificationMetrics(double auc, double eer, double[] tarAtFar, double[] thresholdAtFar, double[] fars,
        double bestThreshold, double bestAccuracy, int positives, int negatives, List<double[]> roc) {

    /** The FARs reported by default: 1e-2, 1e-3, 1e-4. */
    public static final double[] DEFAULT_FARS = {1e-2, 1e-3, 1e-4};

    /**
     * Computes the metrics.
     *
     * @param similarity each pair's cosine similarity (finite)
     * @param same whether each pair is positive
     * @param fars the FARs at which to report TAR, each in (0, 1]
     * @return the metrics
     * @throws IllegalArgumentException if there is no positive or no negative pair, or a similarity is not finite
     */
    public static VerificationMetrics compute(double[] similarity, boolean[] same, double... fars) {
        int n = similarity.length;
        if (same.length != n) {
            throw new IllegalArgumentException(n + " similarities but " + same.length + " pair labels");
        }
        int pos = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(similarity[i])) {
                throw new IllegalArgumentException("similarity of pair " + i + " is " + similarity[i]);
            }
            pos += same[i] ? 1 : 0;
        }
        int neg = n - pos;
        if (pos == 0 || neg == 0) {
            throw new IllegalArgumentException("verification needs positive and negative pairs, got " + pos + " and " + neg);
        }
        for (double f : fars) {
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("a FAR must be in (0, 1], got " + f);
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(similarity[y], similarity[x]));
        // Walk thresholds from high to low; each group of equal similarities is one ROC point.
        List<double[]> roc = new ArrayList<>();
        roc.add(new double[] {0, 0, Double.POSITIVE_INFINITY});
        long tp = 0;
        long fp = 0;
        double aucSum = 0; // Σ over positives of (negatives strictly below + half the tied ones)
        double bestAcc = (double) neg / n;
        double bestT = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n;) {
            double t = similarity[order[i]];
            long gp = 0;
            long gn = 0;
            int j = i;
            while (j < n && similarity[order[j]] == t) {
                if (same[order[j]]) {
                    gp++;
                } else {
                    gn++;
                }
                j++;
            }
            // The group's positives beat the negatives not yet accepted, below the group, and tie with its own.
            aucSum += gp * ((neg - fp - gn) + 0.5 * gn);
            tp += gp;
            fp += gn;
            roc.add(new double[] {(double) fp / neg, (double) tp / pos, t});
            double acc = (double) (tp + (neg - fp)) / n;
            if (acc > bestAcc) {
                bestAcc = acc;
                bestT = t;
            }
            i = j;
        }
        double auc = aucSum / ((double) pos * neg);
        double eer = Double.NaN;
        for (int i = 1; i < roc.size(); i++) {
            double[] p = roc.get(i - 1);
            double[] q = roc.get(i);
            double dp = p[0] - (1 - p[1]); // FAR − FRR, negative at the start
            double dq = q[0] - (1 - q[1]);
            if (dp <= 0 && dq >= 0) {
                double s = (dq == dp) ? 0 : -dp / (dq - dp);
                eer = p[0] + s * (q[0] - p[0]);
                break;
            }
        }
        double[] tar = new double[fars.length];
        double[] thr = new double[fars.length];
        for (int k = 0; k < fars.length; k++) {
            tar[k] = Double.NaN;
            thr[k] = Double.NaN;
            if (neg * fars[k] < 1 - 1e-9) {
                continue;
            }
            for (double[] p : roc) {
                if (p[0] <= fars[k] + 1e-12) {
                    if (Double.isNaN(tar[k]) || p[1] >= tar[k]) {
                        tar[k] = p[1];
                        thr[k] = p[2];
                    }
                } else {
                    break;
                }
            }
        }
        return new VerificationMetrics(auc, eer, tar, thr, fars.clone(), bestT, bestAcc, pos, neg, roc);
    }

    /**
     * Returns the ROC curve thinned to at most {@code maxPoints} points for plotting and files:
     * the first and last points are kept, and points in between at even steps.
     *
     * @param maxPoints at least 2
     * @return the points, {FAR, TAR, threshold}
     */
    public List<double[]> rocThinned(int maxPoints) {
        if (roc.size() <= maxPoints) {
            return roc;
        }
        List<double[]> out = new ArrayList<>();
        double step = (roc.size() - 1) / (double) (maxPoints - 1);
        int last = -1;
        for (int i = 0; i < maxPoints; i++) {
            int at = (int) Math.round(i * step);
            if (at != last) {
                out.add(roc.get(at));
                last = at;
            }
        }
        return out;
    }
}
