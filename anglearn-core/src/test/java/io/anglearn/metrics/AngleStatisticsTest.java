package io.anglearn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AngleStatisticsTest {

    /** C unit vectors of a regular simplex in R^{C-1}... embedded in R^C as e_i − centroid. */
    static double[][] simplex(int c) {
        double[][] v = new double[c][c];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                v[i][j] = (i == j ? 1.0 : 0.0) - 1.0 / c;
            }
        }
        return v;
    }

    @Test
    void cosineAndAngleOfKnownVectors() {
        double[] a = {3, 4};
        assertEquals(24.0 / 25, AngleStatistics.cosine(a, new double[] {4, 3}), 1e-15);
        assertEquals(-1.0, AngleStatistics.cosine(a, new double[] {-6, -8}), 1e-15);
        assertEquals(0.0, AngleStatistics.cosine(a, new double[] {-4, 3}), 1e-15);
        assertEquals(0.0, AngleStatistics.cosine(a, new double[] {0, 0}), "a zero vector has cosine 0");
        assertEquals(Math.acos(24.0 / 25), AngleStatistics.angle(a, new double[] {4, 3}), 1e-15);
        // Parallel vectors whose rounded cosine exceeds 1 still have angle 0, not NaN.
        double[] b = {0.1, 0.2, 0.3};
        assertEquals(0.0, AngleStatistics.angle(b, b.clone()), 1e-7);
        assertEquals(Math.PI, AngleStatistics.angle(b, new double[] {-0.1, -0.2, -0.3}), 1e-7);
    }

    @Test
    void simplexWeightsGiveTheMaximalMeanAngle() {
        for (int c : new int[] {3, 10, 100}) {
            double[][] w = simplex(c);
            long[] counts = new long[c];
            java.util.Arrays.fill(counts, 5);
            double[][] sums = new double[c][];
            for (int i = 0; i < c; i++) {
                sums[i] = w[i].clone();
                for (int k = 0; k < c; k++) {
                    sums[i][k] *= 5; // five features equal to w_i
                }
            }
            AngleStatistics s = AngleStatistics.compute(w, sums, sums, counts);
            double expected = Math.acos(-1.0 / (c - 1));
            assertEquals(expected, s.wInter(), 1e-9, "W-Inter for C=" + c);
            assertEquals(expected, s.cInterRaw(), 1e-9);
            assertEquals(0.0, s.wcIntraRaw(), 1e-6);
            assertEquals(0.0, s.wcIntraNorm(), 1e-6);
        }
        assertEquals(1.6821, Math.acos(-1.0 / 9), 1e-4, "SPEC's value for C=10");
    }

    @Test
    void orthogonalCentresAndKnownOffsets() {
        double[][] w = {{1, 0}, {0, 1}};
        double[][] sums = {{Math.cos(0.3), Math.sin(0.3)}, {Math.cos(1.2), Math.sin(1.2)}};
        AngleStatistics s = AngleStatistics.compute(w, sums, sums, new long[] {1, 1});
        assertEquals(Math.PI / 2, s.wInter(), 1e-12);
        assertEquals(0.9, s.cInterRaw(), 1e-12);
        // class 0 centre at 0.3 rad from w_0, class 1 centre at π/2 − 1.2 = 0.3708 from w_1
        assertEquals((0.3 + (Math.PI / 2 - 1.2)) / 2, s.wcIntraRaw(), 1e-12);
    }

    @Test
    void accumulatorSeparatesRawAndNormalisedMeans() {
        EmbeddingAccumulator acc = new EmbeddingAccumulator(2, 2);
        // class 0: a long feature along x and a short one along y; raw mean leans to x, normalised mean is at 45°
        acc.add(new float[] {10, 0, 0, 1}, new float[] {1, 0, 1, 0}, new int[] {0, 0});
        acc.add(new float[] {0, 3}, new float[] {0, 1}, new int[] {1});
        AngleStatistics s = acc.angles(new double[][] {{1, 0}, {0, 1}});
        assertEquals((Math.atan2(1, 10) + 0) / 2, s.wcIntraRaw(), 1e-6);
        assertEquals((Math.PI / 4 + 0) / 2, s.wcIntraNorm(), 1e-6);
        assertEquals(0.0, acc.top1Error(), 1e-12);
    }
}
