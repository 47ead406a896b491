package io.anglearn.loss.miners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each miner on a constructed batch whose hard pairs are known: six points on a line, labels
 * (0, 0, 0, 1, 1, 2) at positions (0, 1, 4, 1.5, 6, 3), distances |p_i − p_j|. Class 2 has one
 * sample, so it is an anchor of nothing.
 */
class MinersTest {

    private static final int[] LABELS = {0, 0, 0, 1, 1, 2};
    private static final double[] POSITIONS = {0, 1, 4, 1.5, 6, 3};

    private static double[] distances(double[] positions) {
        int n = positions.length;
        double[] d = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i * n + j] = Math.abs(positions[i] - positions[j]);
            }
        }
        return d;
    }

    private static List<String> triplets(MinedTriplets t) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < t.size(); k++) {
            out.add(t.anchors()[k] + "," + t.positives()[k] + "," + t.negatives()[k]);
        }
        return out;
    }

    private static List<String> pairs(int[] a, int[] b) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < a.length; k++) {
            out.add(a[k] + "," + b[k]);
        }
        return out;
    }

    @Test
    void batchHardTakesTheFarthestPositiveAndTheNearestNegative() {
        // Anchor 0: positives at 1 and 4 (sample 2 farthest), negatives at 1.5, 6, 3 (sample 3 nearest); and so on.
        MinedTriplets t = new BatchHardMiner().mine(distances(POSITIONS), LABELS);
        assertEquals(List.of("0,2,3", "1,2,3", "2,0,5", "3,4,1", "4,3,2"), triplets(t));
    }

    @Test
    void batchHardBreaksTiesByTheLowestIndex() {
        // Anchor 0 at 0: positives 1 and 2 both at distance 2, negatives 3 and 4 both at distance 1.
        MinedTriplets t = new BatchHardMiner().mine(distances(new double[] {0, 2, -2, 1, -1}), new int[] {0, 0, 0, 1, 1});
        assertEquals("0,1,3", triplets(t).get(0));
    }

    @Test
    void semiHardTakesTheNearestNegativeBeyondThePositiveWithinTheMargin() {
        // Margin 2. (0, 1): d = 1, negatives in (1, 3): sample 3 at 1.5 (sample 5 at 3 is not < 3).
        // (1, 0): d = 1, negatives from 1 in (1, 3): sample 5 at 2. (4, 3): d = 4.5, in (4.5, 6.5): samples 1 (5)
        // and 0 (6), nearest 1. Every other positive pair has no semi-hard negative.
        MinedTriplets t = SemiHardMiner.builder().optMargin(2).build().mine(distances(POSITIONS), LABELS);
        assertEquals(List.of("0,1,3", "1,0,5", "4,3,1"), triplets(t));
        // A tiny margin leaves nothing semi-hard.
        assertEquals(0, SemiHardMiner.builder().optMargin(0.01).build().mine(distances(POSITIONS), LABELS).size());
    }

    @Test
    void multiSimilarityKeepsThePairsNearTheAnchorsDecisionBoundary() {
        // ε = 0.5. Anchor 0: farthest positive 4, nearest negative 1.5: positives beyond 1.0 (sample 2; sample 1
        // at exactly 1.0 is not), negatives before 4.5 (samples 3 and 5). Anchor 4: farthest positive 4.5,
        // nearest negative 2: positive 3 (4.5 > 1.5), negatives before 5.0 (samples 2 and 5; sample 1 at 5 is not).
        MinedPairs p = MultiSimilarityMiner.builder().optEpsilon(0.5).build().mine(distances(POSITIONS), LABELS);
        assertEquals(List.of("0,2", "1,0", "1,2", "2,0", "2,1", "3,4", "4,3"), pairs(p.positiveAnchors(), p.positives()));
        assertEquals(List.of("0,3", "0,5", "1,3", "1,5", "2,3", "2,4", "2,5", "3,0", "3,1", "3,2", "3,5", "4,2", "4,5"),
                pairs(p.negativeAnchors(), p.negatives()));
    }

    @Test
    void multiSimilarityWithEpsilonZeroKeepsOnlyViolatingPairs() {
        // Two clusters far apart: every positive is nearer than every negative, so nothing is kept.
        MinedPairs p = MultiSimilarityMiner.builder().optEpsilon(0).build()
                .mine(distances(new double[] {0, 0.1, 10, 10.1}), new int[] {0, 0, 1, 1});
        assertEquals(0, p.positiveCount());
        assertEquals(0, p.negativeCount());
    }

    @Test
    void pairsAndTripletsConvertIntoEachOther() {
        MinedTriplets t = new MinedTriplets(new int[] {0, 0, 1}, new int[] {1, 1, 0}, new int[] {2, 3, 2});
        MinedPairs p = t.pairs();
        assertEquals(List.of("0,1", "1,0"), pairs(p.positiveAnchors(), p.positives()), "distinct positive pairs");
        assertEquals(List.of("0,2", "0,3", "1,2"), pairs(p.negativeAnchors(), p.negatives()));
        MinedTriplets back = p.triplets();
        assertEquals(List.of("0,1,2", "0,1,3", "1,0,2"), triplets(back));
        MinedPairs mixed = new MinedPairs(new int[] {2, 0, 0}, new int[] {3, 1, 4}, new int[] {0, 5, 2}, new int[] {6, 7, 8});
        // Anchor 0: positives 1, 4 × negative 6; anchor 2: positive 3 × negative 8; anchor 5 has no positive.
        assertEquals(List.of("0,1,6", "0,4,6", "2,3,8"), triplets(mixed.triplets()));
    }

    @Test
    void allPairsAndAllTripletsOfABatch() {
        int[] labels = {0, 1, 0};
        MinedPairs p = MinedPairs.all(labels);
        assertEquals(List.of("0,2", "2,0"), pairs(p.positiveAnchors(), p.positives()));
        assertEquals(List.of("0,1", "1,0", "1,2", "2,1"), pairs(p.negativeAnchors(), p.negatives()));
        assertEquals(List.of("0,2,1", "2,0,1"), triplets(MinedTriplets.all(labels)));
        // n = 256 in two classes: 256·127·128 triplets, under the cap; 2048 in two classes is over it.
        int[] big = new int[2048];
        for (int i = 0; i < big.length; i++) {
            big[i] = i % 2;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MinedTriplets.all(big));
        assertTrue(e.getMessage().contains("--miner batch-hard or semi-hard"), e.getMessage());
        assertEquals(256 * 127 * 128, MinedTriplets.all(java.util.Arrays.copyOf(big, 256)).size());
    }

    @Test
    void minersAreCreatedByNameAndCheckTheirInput() {
        assertEquals("batch-hard", Miners.create("batch-hard", Map.of()).name());
        assertEquals(0.3, ((SemiHardMiner) Miners.create("semi-hard", Map.of("margin", 0.3))).margin());
        assertEquals(0.05, ((MultiSimilarityMiner) Miners.create("multi-similarity", Map.of("epsilon", 0.05))).epsilon());
        assertEquals(Map.of("margin", 0.2), Miners.parameters("semi-hard"));
        rejects("batch-hrad", Map.of(), "did you mean 'batch-hard'?");
        rejects("batch-hard", Map.of("margin", 1.0), "takes none");
        rejects("semi-hard", Map.of("margn", 1.0), "did you mean 'margin'?");
        rejects("semi-hard", Map.of("margin", 0.0), "margin must be a finite number > 0");
        rejects("multi-similarity", Map.of("epsilon", -1.0), "epsilon must be a finite number >= 0");
        rejects("multi-similarity", Map.of("epsilon", Double.NaN), "needs a number");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchHardMiner().mine(new double[5], new int[] {0, 1}));
        assertTrue(e.getMessage().contains("expected 2×2 distances"), e.getMessage());
        assertArrayEquals(new int[0], new BatchHardMiner().mine(new double[0], new int[0]).anchors());
    }

    private static void rejects(String name, Map<String, Double> params, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Miners.create(name, params));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
