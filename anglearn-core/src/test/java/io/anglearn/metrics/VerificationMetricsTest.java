package io.anglearn.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Verification metrics on similarity lists whose AUC, EER, TAR at FAR and best threshold are known by hand. */
class VerificationMetricsTest {

    private static VerificationMetrics of(double[] pos, double[] neg, double... fars) {
        double[] s = new double[pos.length + neg.length];
        boolean[] same = new boolean[s.length];
        for (int i = 0; i < pos.length; i++) {
            s[i] = pos[i];
            same[i] = true;
        }
        System.arraycopy(neg, 0, s, pos.length, neg.length);
        return VerificationMetrics.compute(s, same, fars);
    }

    @Test
    void sixPairsByHand() {
        // Positives 0.9 0.8 0.4, negatives 0.7 0.3 0.2: 8 of the 9 (positive, negative) orderings are right.
        VerificationMetrics m = of(new double[] {0.9, 0.8, 0.4}, new double[] {0.7, 0.3, 0.2}, 1.0, 0.34, 0.01);
        assertEquals(8.0 / 9, m.auc(), 1e-15);
        // At t = 0.7: FAR 1/3 and TAR 2/3, so FRR 1/3 = FAR.
        assertEquals(1.0 / 3, m.eer(), 1e-15);
        // t = 0.8 and t = 0.4 both decide 5 of 6 right; the higher is kept.
        assertEquals(0.8, m.bestThreshold());
        assertEquals(5.0 / 6, m.bestAccuracy(), 1e-15);
        assertEquals(1.0, m.tarAtFar()[0]);
        assertEquals(0.2, m.thresholdAtFar()[0]);
        assertEquals(1.0, m.tarAtFar()[1], 1e-15); // FAR <= 0.34 allows the negative 0.7: down to t = 0.4
        assertEquals(0.4, m.thresholdAtFar()[1]);
        assertTrue(Double.isNaN(m.tarAtFar()[2]), "3 negatives cannot measure a FAR of 1%");
        assertEquals(3, m.positives());
        assertEquals(3, m.negatives());
        List<double[]> roc = m.roc();
        assertEquals(7, roc.size());
        assertArrayEquals(new double[] {0, 0}, new double[] {roc.get(0)[0], roc.get(0)[1]});
        assertArrayEquals(new double[] {1, 1}, new double[] {roc.get(6)[0], roc.get(6)[1]});
    }

    @Test
    void eerIsInterpolatedOnTheSegmentWhereItCrosses() {
        // 0.5 is shared by a positive and a negative: the ROC goes straight from (0, 1/2) to (1/2, 1),
        // crossing FAR = FRR half-way, at 1/4. The tie counts one half in the AUC: (2 + 1.5) / 4.
        VerificationMetrics m = of(new double[] {0.8, 0.5}, new double[] {0.5, 0.2});
        assertEquals(0.25, m.eer(), 1e-15);
        assertEquals(0.875, m.auc(), 1e-15);
    }

    @Test
    void tarAtFarOnAHundredNegatives() {
        double[] neg = new double[100];
        for (int i = 0; i < 100; i++) {
            neg[i] = i / 100.0; // FAR(t) = share of these >= t
        }
        VerificationMetrics m = of(new double[] {1.0, 0.995, 0.985, 0.5, 0.2}, neg, 1e-2, 1e-3, 2e-2);
        // FAR <= 0.01 allows only the negative 0.99: down to t = 0.985, three of five positives pass.
        assertEquals(0.6, m.tarAtFar()[0], 1e-15);
        assertEquals(0.985, m.thresholdAtFar()[0]);
        assertTrue(Double.isNaN(m.tarAtFar()[1]));
        assertEquals(0.6, m.tarAtFar()[2], 1e-15); // 0.98 and 0.99 accepted; no positive between 0.98 and 0.985
        assertEquals(0.98, m.thresholdAtFar()[2]);
    }

    @Test
    void perfectAndInvertedSeparation() {
        VerificationMetrics good = of(new double[] {0.9, 0.8}, new double[] {0.1, 0.2});
        assertEquals(1.0, good.auc());
        assertEquals(0.0, good.eer());
        assertEquals(1.0, good.bestAccuracy());
        assertEquals(0.8, good.bestThreshold());
        VerificationMetrics bad = of(new double[] {0.1, 0.2}, new double[] {0.9, 0.8});
        assertEquals(0.0, bad.auc());
        assertEquals(1.0, bad.eer());
        assertEquals(0.5, bad.bestAccuracy());
        assertEquals(Double.POSITIVE_INFINITY, bad.bestThreshold(), "accepting nothing is best");
    }

    @Test
    void aucIsTheShareOfCorrectlyOrderedPairsWithTies() {
        Random r = new Random(5);
        double[] pos = new double[300];
        double[] neg = new double[200];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = Math.round((0.3 + r.nextGaussian() * 0.3) * 20) / 20.0; // coarse values: many ties
        }
        for (int i = 0; i < neg.length; i++) {
            neg[i] = Math.round((r.nextGaussian() * 0.3) * 20) / 20.0;
        }
        double wins = 0;
        for (double p : pos) {
            for (double n : neg) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        assertEquals(wins / (pos.length * neg.length), of(pos, neg).auc(), 1e-12);
    }

    @Test
    void invalidInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> of(new double[] {0.5}, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> of(new double[] {Double.NaN}, new double[] {0.1}));
        assertThrows(IllegalArgumentException.class, () -> of(new double[] {0.5}, new double[] {0.1}, 0.0));
    }

    @Test
    void thinningKeepsBothEnds() {
        double[] pos = new double[500];
        double[] neg = new double[500];
        for (int i = 0; i < 500; i++) {
            pos[i] = 0.5 + i / 1000.0;
            neg[i] = i / 1000.0 + 0.0005;
        }
        VerificationMetrics m = of(pos, neg);
        List<double[]> thin = m.rocThinned(50);
        assertEquals(50, thin.size());
        assertEquals(0.0, thin.get(0)[0]);
        assertEquals(1.0, thin.get(49)[0]);
        assertEquals(1.0, thin.get(49)[1]);
    }
}
