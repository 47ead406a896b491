package io.anglearn.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Angle statistics, target angles and similarity matrices computed from a split's features. */
class SplitStatisticsTest {

    private static float[] flatten(double[][] rows, double scale) {
        int d = rows[0].length;
        float[] f = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < d; k++) {
                f[i * d + k] = (float) (rows[i][k] * scale);
            }
        }
        return f;
    }

    @Test
    void featuresEqualToTheirWeightsOnARegularSimplex() {
        int c = 10;
        double[][] w = AngleStatisticsTest.simplex(c);
        // three samples per class, each a positive multiple of its class weight
        double[][] rows = new double[3 * c][];
        int[] y = new int[3 * c];
        for (int i = 0; i < rows.length; i++) {
            y[i] = i % c;
            rows[i] = w[y[i]].clone();
            for (int k = 0; k < c; k++) {
                rows[i][k] *= 1 + i;
            }
        }
        AngleStatistics s = AngleStatistics.of(flatten(rows, 1), c, y, w);
        assertEquals(Math.acos(-1.0 / 9), s.wInter(), 1e-9);
        assertEquals(Math.acos(-1.0 / 9), s.cInterRaw(), 1e-6);
        assertEquals(Math.acos(-1.0 / 9), s.cInterNorm(), 1e-6);
        assertEquals(0, s.wcIntraRaw(), 1e-3);
        assertEquals(0, s.wcIntraNorm(), 1e-3);
        for (double t : TargetAngles.compute(flatten(rows, 1), c, y, w)) {
            assertEquals(0, t, 1e-3);
        }
    }

    @Test
    void rotatedFeaturesGiveTheRotationAsWcIntraAndTargetAngle() {
        // W = 4 axis directions in 2-D; every class's features sit 0.2 rad counter-clockwise of w_y.
        double[][] w = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
        double[][] rows = new double[8][];
        int[] y = new int[8];
        for (int i = 0; i < 8; i++) {
            y[i] = i % 4;
            double a = Math.atan2(w[y[i]][1], w[y[i]][0]) + 0.2;
            rows[i] = new double[] {Math.cos(a) * (1 + i), Math.sin(a) * (1 + i)};
        }
        AngleStatistics s = AngleStatistics.of(flatten(rows, 1), 2, y, w);
        assertEquals(Math.PI * 2 / 3, s.wInter(), 1e-12, "mean of 4×π/2 and 2×π over 6 pairs");
        assertEquals(Math.PI * 2 / 3, s.cInterRaw(), 1e-6);
        assertEquals(0.2, s.wcIntraRaw(), 1e-6);
        assertEquals(0.2, s.wcIntraNorm(), 1e-6);
        for (double t : TargetAngles.compute(flatten(rows, 1), 2, y, w)) {
            assertEquals(0.2, t, 1e-6);
        }
    }

    @Test
    void similarityMatrixPicksPerClassSamplesInClassOrder() {
        float[] f = RetrievalMetricsTest.circle(2, 0, 90, 10, 100, 20, 180);
        int[] y = {0, 1, 0, 1, 0, 1};
        SimilarityMatrix m = SimilarityMatrix.of(f, 2, y, 2);
        assertArrayEquals(new int[] {0, 2, 1, 3}, m.indices());
        assertArrayEquals(new int[] {0, 0, 1, 1}, m.labels());
        assertEquals(1.0, m.cosine()[0][0], 1e-6);
        assertEquals(Math.cos(Math.toRadians(10)), m.cosine()[0][1], 1e-6);
        assertEquals(0.0, m.cosine()[0][2], 1e-6);
        assertEquals(Math.cos(Math.toRadians(100)), m.cosine()[3][0], 1e-6);
        assertEquals(10, SimilarityMatrix.defaultPerClass(10));
        assertEquals(1, SimilarityMatrix.defaultPerClass(100));
    }

    @Test
    void confusionMatrixCounts() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 0, 1, 2}, new int[] {0, 1, 1, 2}, 3);
        assertEquals(1, m.counts()[0][1]);
        assertEquals(25.0, m.errorPercent(), 1e-12);
    }
}
