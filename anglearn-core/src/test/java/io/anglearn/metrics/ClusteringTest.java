package io.anglearn.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClusteringTest {

    @Test
    void nmiOfIdenticalRenamedAndIndependentLabelings() {
        int[] a = {0, 0, 1, 1};
        assertEquals(1.0, MutualInformation.normalized(a, new int[] {0, 0, 1, 1}), 1e-12);
        assertEquals(1.0, MutualInformation.normalized(a, new int[] {5, 5, 2, 2}), 1e-12);
        assertEquals(0.0, MutualInformation.normalized(a, new int[] {0, 1, 0, 1}), 1e-12);
        assertEquals(1.0, MutualInformation.normalized(new int[] {3, 3}, new int[] {0, 0}), 1e-12);
    }

    @Test
    void nmiHandComputed() {
        // joint counts (0,0)=2 (0,1)=1 (1,1)=3 of n=6:
        // I = 1/3·ln2 + 1/6·ln(1/2) + 1/2·ln(3/2); H(a) = ln 2; H(b) = −(1/3 ln 1/3 + 2/3 ln 2/3)
        double nmi = MutualInformation.normalized(new int[] {0, 0, 0, 1, 1, 1}, new int[] {0, 0, 1, 1, 1, 1});
        assertEquals(0.47870397138567994, nmi, 1e-12);
    }

    @Test
    void kMeansFindsSeparatedBlobsDeterministically() {
        Random rnd = new Random(7);
        int perBlob = 50;
        double[][] centres = {{0, 0}, {10, 0}, {0, 10}, {10, 10}};
        float[] x = new float[centres.length * perBlob * 2];
        int[] y = new int[centres.length * perBlob];
        for (int c = 0; c < centres.length; c++) {
            for (int i = 0; i < perBlob; i++) {
                int p = c * perBlob + i;
                y[p] = c;
                x[2 * p] = (float) (centres[c][0] + rnd.nextGaussian() * 0.5);
                x[2 * p + 1] = (float) (centres[c][1] + rnd.nextGaussian() * 0.5);
            }
        }
        KMeans km = KMeans.builder().setClusters(4).optSeed(11).optRestarts(3).build();
        KMeans.Result r = km.fit(x, 2);
        assertEquals(1.0, MutualInformation.normalized(y, r.assignments()), 1e-12);
        assertArrayEquals(r.assignments(), km.fit(x, 2).assignments(), "same seed, same clustering");
        // each centre is within 0.3 of a true centre
        for (int j = 0; j < 4; j++) {
            double best = Double.MAX_VALUE;
            for (double[] c : centres) {
                best = Math.min(best, Math.hypot(r.centroids()[2 * j] - c[0], r.centroids()[2 * j + 1] - c[1]));
            }
            assertEquals(0, best, 0.3);
        }
    }

    @Test
    void kMeansInertiaOfATinyCaseByHand() {
        // Points 0, 1 and 10, 11 on a line, k = 2: centres 0.5 and 10.5, inertia 4 × 0.25 = 1.
        KMeans.Result r = KMeans.builder().setClusters(2).build().fit(new float[] {0, 1, 10, 11}, 1);
        assertEquals(1.0, r.inertia(), 1e-12);
        assertEquals(r.assignments()[0], r.assignments()[1]);
        assertEquals(r.assignments()[2], r.assignments()[3]);
    }

    @Test
    void embeddingQualityOfASeparatedEmbedding() {
        float[] f = RetrievalMetricsTest.circle(3, 0, 2, 4, 120, 122, 124, 240, 242, 244);
        int[] y = {0, 0, 0, 1, 1, 1, 2, 2, 2};
        EmbeddingQuality q = EmbeddingQuality.evaluate(f, 2, y, 1);
        assertEquals(1.0, q.nmi(), 1e-12);
        assertEquals(1.0, q.retrieval().mapAtR(), 1e-12);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> KMeans.builder().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KMeans.builder().setClusters(3).build().fit(new float[] {1, 2}, 1));
        assertEquals("k-means with k = 3 needs at least 3 points, got 2", e.getMessage());
    }
}
