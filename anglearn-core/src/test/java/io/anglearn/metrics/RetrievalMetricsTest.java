package io.anglearn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {

    /** Unit vectors at the given angles in degrees, scaled by {@code scale}. */
    static float[] circle(double scale, double... degrees) {
        float[] f = new float[degrees.length * 2];
        for (int i = 0; i < degrees.length; i++) {
            f[2 * i] = (float) (scale * Math.cos(Math.toRadians(degrees[i])));
            f[2 * i + 1] = (float) (scale * Math.sin(Math.toRadians(degrees[i])));
        }
        return f;
    }

    @Test
    void handComputedFivePointCase() {
        // class 0 at 0°, 20°, 35°; class 1 at 12°, 90°. Worked by hand:
        // q=0°:  ranking 12°(1) 20°(0) ...; R=2 → P@1 0, R-prec 1/2, AP (0 + 1/2)/2 = 1/4
        // q=20°: 12°(1) 35°(0) ...;          R=2 → 0, 1/2, 1/4
        // q=35°: 20°(0) 12°(1) ...;          R=2 → 1, 1/2, (1 + 0)/2 = 1/2
        // q=12°: 20°(0);  q=90°: 35°(0);     R=1 → 0, 0, 0
        float[] f = circle(1, 0, 20, 12, 90, 35);
        int[] y = {0, 0, 1, 1, 0};
        RetrievalMetrics m = RetrievalMetrics.compute(f, 2, y);
        assertEquals(5, m.queries());
        assertEquals(1.0 / 5, m.precisionAt1(), 1e-12);
        assertEquals(1.5 / 5, m.rPrecision(), 1e-12);
        assertEquals(1.0 / 5, m.mapAtR(), 1e-12);
        // Cosine similarity: scaling the features changes nothing.
        RetrievalMetrics scaled = RetrievalMetrics.compute(circle(7.5, 0, 20, 12, 90, 35), 2, y);
        assertEquals(m, scaled);
    }

    @Test
    void mapAtRRewardsOrderWithinTheFirstR() {
        // Query at 0° of class 0 with R = 3 same-class samples; retrieved order: hit, miss, hit, (hit beyond R).
        float[] f = circle(1, 0, 5, 10, 15, 50);
        int[] y = {0, 0, 1, 0, 0};
        RetrievalMetrics m = RetrievalMetrics.compute(f, 2, y);
        // The class-1 sample alone in its class is no query: 4 queries remain.
        assertEquals(4, m.queries());
        // q=0°:  5(0) 10(1) 15(0)    → P@1 1, R-prec 2/3, AP (1 + 2/3)/3
        // q=5°:  0 or 10 tie at 5° → ties go to the smaller index: 0°(0), 10°(1), 15°(0) → same as above
        // q=15°: 10(1) 5(0) 0(0)     → P@1 0, R-prec 2/3, AP (0 + 1/2 + 2/3)/3
        // q=50°: 15(0) 10(1) 5(0)    → P@1 1, R-prec 2/3, AP (1 + 0 + 2/3)/3
        double ap = (2 * (1 + 2.0 / 3) + (0.5 + 2.0 / 3) + (1 + 2.0 / 3)) / 3;
        assertEquals(3.0 / 4, m.precisionAt1(), 1e-6);
        assertEquals(2.0 / 3, m.rPrecision(), 1e-6);
        assertEquals(ap / 4, m.mapAtR(), 1e-6);
    }

    @Test
    void perfectlySeparatedClassesScoreOne() {
        float[] f = circle(1, 0, 1, 2, 90, 91, 92, 180, 181);
        int[] y = {0, 0, 0, 1, 1, 1, 2, 2};
        RetrievalMetrics m = RetrievalMetrics.compute(f, 2, y);
        assertEquals(1.0, m.precisionAt1(), 1e-12);
        assertEquals(1.0, m.rPrecision(), 1e-12);
        assertEquals(1.0, m.mapAtR(), 1e-12);
    }

    @Test
    void blockedComputationMatchesAFullSortOnRandomData() {
        Random rnd = new Random(3);
        int n = 3 * RetrievalMetrics.BLOCK + 17;
        int d = 5;
        float[] f = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(6);
            for (int k = 0; k < d; k++) {
                f[i * d + k] = (float) (rnd.nextGaussian() + (k == y[i] % d ? 1.5 : 0));
            }
        }
        RetrievalMetrics fast = RetrievalMetrics.compute(f, d, y);
        double[] naive = naive(f, d, y);
        assertEquals(naive[0], fast.precisionAt1(), 1e-9);
        assertEquals(naive[1], fast.rPrecision(), 1e-9);
        assertEquals(naive[2], fast.mapAtR(), 1e-9);
    }

    /** The definitions applied literally: full sort of all other samples per query. */
    private static double[] naive(float[] f, int d, int[] y) {
        int n = y.length;
        double p1 = 0;
        double rp = 0;
        double map = 0;
        int q = 0;
        for (int i = 0; i < n; i++) {
            final int qi = i;
            int r = (int) Arrays.stream(y).filter(v -> v == y[qi]).count() - 1;
            if (r == 0) {
                continue;
            }
            double[] sim = new double[n];
            for (int j = 0; j < n; j++) {
                sim[j] = cos(f, d, i, j);
            }
            Integer[] order = IntStream.range(0, n).filter(j -> j != qi).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -sim[j]).thenComparingInt(j -> j));
            int hits = 0;
            double ap = 0;
            for (int k = 0; k < r; k++) {
                if (y[order[k]] == y[i]) {
                    hits++;
                    ap += (double) hits / (k + 1);
                }
            }
            p1 += y[order[0]] == y[i] ? 1 : 0;
            rp += (double) hits / r;
            map += ap / r;
            q++;
        }
        return new double[] {p1 / q, rp / q, map / q};
    }

    private static double cos(float[] f, int d, int a, int b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int k = 0; k < d; k++) {
            dot += f[a * d + k] * f[b * d + k];
            na += f[a * d + k] * f[a * d + k];
            nb += f[b * d + k] * f[b * d + k];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void noClassWithTwoSamplesGivesNaN() {
        RetrievalMetrics m = RetrievalMetrics.compute(circle(1, 0, 90), 2, new int[] {0, 1});
        assertEquals(0, m.queries());
        assertEquals(Double.NaN, m.mapAtR());
    }

    @Test
    void mismatchedShapesAreRejectedWithTheSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetrievalMetrics.compute(new float[5], 2, new int[] {0, 1, 1}));
        assertEquals("features hold 5 values, expected 3 rows × 2 = 6", e.getMessage());
    }

    @Test
    void fourThousandBySixtyFourFinishesInSeconds() {
        Random rnd = new Random(1);
        int n = 4_000;
        int d = 64;
        float[] f = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
            for (int k = 0; k < d; k++) {
                f[i * d + k] = (float) (rnd.nextGaussian() * 0.3 + (k % 10 == y[i] ? 1 : 0));
            }
        }
        long t0 = System.nanoTime();
        RetrievalMetrics m = RetrievalMetrics.compute(f, d, y);
        double s = (System.nanoTime() - t0) / 1e9;
        assertEquals(n, m.queries());
        assertEquals(1.0, m.precisionAt1(), 0.01);
        org.junit.jupiter.api.Assertions.assertTrue(s < 30, "took " + s + " s");
    }
}
