package io.anglearn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.anglearn.loss.miners.BatchHardMiner;
import io.anglearn.loss.miners.MinedPairs;
import io.anglearn.loss.miners.MinedTriplets;
import io.anglearn.loss.miners.Miner;
import io.anglearn.loss.miners.Miners;
import io.anglearn.loss.miners.MultiSimilarityMiner;
import io.anglearn.loss.miners.SemiHardMiner;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pair losses' values on a case worked out by hand, and on random batches against the scalar
 * formulas of {@link PairLossReference}, with and without miners.
 *
 * <p>The worked case: four 2-D features with labels (0, 0, 1, 1), x_0 = (1, 0), x_1 = (1.6, 1.2)
 * (norm 2, direction (0.8, 0.6)), x_2 = (0, 1), x_3 = (−0.6, 0.8). Cosines: 0.8 within each class;
 * between classes cos(0,2) = 0, cos(0,3) = −0.6, cos(1,2) = 0.6, cos(1,3) = 0. Squared distances
 * of the normalised features, 2 − 2·cos: 0.4 within each class; 2, 3.2, 0.8 and 2 between.
 */
class PairLossValuesTest {

    static final double[][] X = {{1, 0}, {1.6, 1.2}, {0, 1}, {-0.6, 0.8}};
    static final int[] Y = {0, 0, 1, 1};
    private static final double[][] NO_WEIGHTS = {{0, 0}};

    private static double value(EmbeddingLoss loss, double[][] x, int... labels) {
        try (LossHarness h = new LossHarness(DataType.FLOAT64)) {
            return h.value(loss, x, NO_WEIGHTS, labels);
        }
    }

    @Test
    void contrastivePullsPositivesAndPushesNegativesInsideTheMargin() {
        // Positives: ½·0.4 each. Negatives: only (1, 2) and (2, 1), at √0.8 < 1, are inside the margin.
        double expected = 0.2 + 0.5 * Math.pow(1 - Math.sqrt(0.8), 2);
        assertEquals(0.205572809, expected, 1e-9);
        assertEquals(expected, value(ContrastiveLoss.builder().build(), X, Y), 1e-12);
    }

    @Test
    void contrastiveWithTheCosineDistanceAndBothMargins() {
        // Distances 1 − cos: 0.2 within each class, 1, 1.6, 0.4, 1 between. Positives ½·0.1², negative (1, 2) ½·0.1².
        ContrastiveLoss loss = ContrastiveLoss.builder().optCosine(true).optPositiveMargin(0.1).optNegativeMargin(0.5).build();
        assertEquals(0.005 + 0.005, value(loss, X, Y), 1e-12);
    }

    @Test
    void theDistanceIsAStrategyTheLossIsGiven() {
        ContrastiveLoss viaFlag = ContrastiveLoss.builder().optCosine(true).optPositiveMargin(0.1).optNegativeMargin(0.5)
                .build();
        ContrastiveLoss given = ContrastiveLoss.builder().optDistance(Distance.cosine()).optPositiveMargin(0.1)
                .optNegativeMargin(0.5).build();
        assertEquals(value(viaFlag, X, Y), value(given, X, Y), 0);
        assertEquals("cosine", given.distance().describe());
        assertEquals("euclidean, normalised", ContrastiveLoss.builder().build().distance().describe());
        assertEquals("squared euclidean, normalised", TripletMarginLoss.builder().build().distance().describe());
        // The triplet loss with the cosine distance: (1, 0, 2) has d(1,0) = 0.2 and d(1,2) = 1 − cos, and so on.
        TripletMarginLoss cosineTriplet = TripletMarginLoss.builder().optDistance(Distance.cosine()).optMargin(0.5).build();
        assertEquals("cosine", cosineTriplet.distance().describe());
        assertEquals(value(TripletMarginLoss.builder().optMargin(1.0).build(), X, Y) / 2,
                value(cosineTriplet, X, Y), 1e-12, "on unit features the squared Euclidean distance is 2(1 − cos θ)");
        assertEquals("cosine", MultiSimilarityLoss.builder().build().distance().describe());
    }

    @Test
    void contrastiveOnRawFeaturesIsHadsellsForm() {
        // Raw distances: √1.8 and √0.4 within the classes; √2, √3.2, √2.6, √5 between. Margin 2: three pairs inside.
        ContrastiveLoss loss = ContrastiveLoss.builder().optNormalize(false).optNegativeMargin(2).build();
        double pos = 0.5 * (1.8 + 0.4) / 2;
        double neg = 0.5 * (Math.pow(2 - Math.sqrt(2), 2) + Math.pow(2 - Math.sqrt(3.2), 2) + Math.pow(2 - Math.sqrt(2.6), 2)) / 3;
        assertEquals(pos + neg, value(loss, X, Y), 1e-12);
    }

    @Test
    void tripletAveragesTheTripletsThatViolateTheMargin() {
        // Squared distances, margin 0.5: (1, 0, 2) and (2, 3, 1) give 0.4 − 0.8 + 0.5 = 0.1; the six others 0.
        assertEquals(0.1, value(TripletMarginLoss.builder().optMargin(0.5).build(), X, Y), 1e-12);
        // At FaceNet's 0.2 every triplet satisfies the margin.
        assertEquals(0, value(TripletMarginLoss.builder().build(), X, Y), 0);
        // Plain distances, margin 0.3: the same two triplets give 0.3 + √0.4 − √0.8.
        assertEquals(0.3 + Math.sqrt(0.4) - Math.sqrt(0.8),
                value(TripletMarginLoss.builder().optSquared(false).optMargin(0.3).build(), X, Y), 1e-12);
    }

    @Test
    void tripletWithBatchHardMiningUsesOneTripletPerAnchor() {
        // Batch-hard: (0, 1, 2) −1.1, (1, 0, 2) 0.1, (2, 3, 1) 0.1, (3, 2, 1) −1.1 with margin 0.5.
        TripletMarginLoss loss = TripletMarginLoss.builder().optMargin(0.5).optMiner(new BatchHardMiner()).build();
        assertEquals(0.1, value(loss, X, Y), 1e-12);
        // Margin 1.7: all four are active: (0.4 − 2 + 1.7, 0.4 − 0.8 + 1.7, 0.4 − 0.8 + 1.7, 0.4 − 2 + 1.7)/4.
        TripletMarginLoss wide = TripletMarginLoss.builder().optMargin(1.7).optMiner(new BatchHardMiner()).build();
        assertEquals((0.1 + 1.3 + 1.3 + 0.1) / 4, value(wide, X, Y), 1e-12);
    }

    @Test
    void multiSimilarityFollowsEquationEleven() {
        double a = 2;
        double b = 50;
        double l = 0.5;
        double pos = Math.log1p(Math.exp(-a * (0.8 - l))) / a;
        double[] neg = {
            Math.log1p(Math.exp(b * (0 - l)) + Math.exp(b * (-0.6 - l))) / b,
            Math.log1p(Math.exp(b * (0.6 - l)) + Math.exp(b * (0 - l))) / b,
            Math.log1p(Math.exp(b * (0 - l)) + Math.exp(b * (0.6 - l))) / b,
            Math.log1p(Math.exp(b * (-0.6 - l)) + Math.exp(b * (0 - l))) / b,
        };
        double expected = pos + (neg[0] + neg[1] + neg[2] + neg[3]) / 4;
        assertEquals(expected, value(MultiSimilarityLoss.builder().build(), X, Y), 1e-12);
    }

    @Test
    void multiSimilarityDoesNotOverflowWithALargeBeta() {
        // β = 1e4: e^{β(S − λ)} would be e^{5000} for S = 1, λ = 0.5; the stable form gives S − λ + log(count)/β.
        MultiSimilarityLoss loss = MultiSimilarityLoss.builder().optBeta(1e4).build();
        double[][] same = {{1, 0}, {1, 0}, {2, 0}, {3, 0}};
        double v = value(loss, same, 0, 0, 1, 1);
        double pos = Math.log1p(Math.exp(-2 * 0.5)) / 2;
        double neg = 0.5 + Math.log(2) / 1e4;
        assertEquals(pos + neg, v, 1e-9);
    }

    @Test
    void everyLossMatchesItsFormulaOnRandomBatchesWithAndWithoutMiners() {
        Random r = new Random(11);
        int[] labels = {0, 1, 2, 0, 1, 2, 0, 1};
        for (int trial = 0; trial < 5; trial++) {
            double[][] x = FiniteDifferenceTest.gaussian(r, labels.length, 3);
            for (Miner miner : new Miner[] {null, new BatchHardMiner(), SemiHardMiner.builder().optMargin(0.5).build(),
                MultiSimilarityMiner.builder().optEpsilon(0.2).build()}) {
                String where = "trial " + trial + ", miner " + (miner == null ? "none" : miner.name());
                double[][] de = PairLossReference.euclidean(x, true, false);
                MinedPairs pairs = miner == null ? MinedPairs.all(labels)
                        : miner.mine(PairLossReference.flat(de), labels).pairs();
                assertEquals(PairLossReference.contrastive(de, pairs, 0.1, 1.2),
                        value(ContrastiveLoss.builder().optPositiveMargin(0.1).optNegativeMargin(1.2).optMiner(miner)
                                .build(), x, labels), 1e-12, "contrastive, " + where);
                double[][] dt = PairLossReference.euclidean(x, true, true);
                MinedTriplets triplets = miner == null ? MinedTriplets.all(labels)
                        : miner.mine(PairLossReference.flat(dt), labels).triplets();
                assertEquals(PairLossReference.triplet(dt, triplets, 0.4),
                        value(TripletMarginLoss.builder().optMargin(0.4).optMiner(miner).build(), x, labels), 1e-12,
                        "triplet, " + where);
                double[][] s = PairLossReference.cosine(x);
                double[][] ds = new double[s.length][s.length];
                for (int i = 0; i < s.length; i++) {
                    for (int j = 0; j < s.length; j++) {
                        ds[i][j] = 1 - s[i][j];
                    }
                }
                MinedPairs msPairs = miner == null ? MinedPairs.all(labels)
                        : miner.mine(PairLossReference.flat(ds), labels).pairs();
                assertEquals(PairLossReference.multiSimilarity(s, msPairs, 2, 10, 0.5),
                        value(MultiSimilarityLoss.builder().optBeta(10).optMiner(miner).build(), x, labels), 1e-12,
                        "multi-similarity, " + where);
            }
        }
    }

    @Test
    void aBatchWithoutPairsHasALossOfZeroAndAZeroGradient() {
        for (String name : Losses.PAIR_NAMES) {
            try (LossHarness h = new LossHarness(DataType.FLOAT64)) {
                // One sample: no pair at all.
                double[][] g = h.gradients(Losses.create(name), new double[][] {{1, 2}}, NO_WEIGHTS, 0);
                assertEquals(0, g[0][0], 0, name);
                for (double v : g[1]) {
                    assertEquals(0, v, 0, name + " gradient");
                }
            }
        }
        try (LossHarness h = new LossHarness(DataType.FLOAT64)) {
            // Three classes, one sample each: negative pairs, but no triplet.
            double[][] g = h.gradients(Losses.create("triplet"), new double[][] {{1, 2}, {3, 1}, {0, 1}}, NO_WEIGHTS, 0, 1, 2);
            assertEquals(0, g[0][0], 0);
            for (double v : g[1]) {
                assertEquals(0, v, 0, "triplet gradient");
            }
        }
    }

    @Test
    void pairLossesHaveNoHeadNoLogitsAndTwoTermsOrOne() {
        for (String name : Losses.PAIR_NAMES) {
            EmbeddingLoss loss = Losses.create(name);
            assertEquals(HeadKind.NONE, loss.headKind(), name);
            assertTrue(loss instanceof PairLoss, name);
            try (LossHarness h = new LossHarness(DataType.FLOAT64)) {
                NDArray x = h.matrix(X);
                NDArray head = ClassifierHead.scores(x, null, HeadKind.NONE, 1);
                assertEquals(0, head.getShape().get(1));
                assertThrows(UnsupportedOperationException.class, () -> loss.logits(head, x, h.labels(Y)));
                Map<String, NDArray> terms = loss.terms(new NDList(h.labels(Y)), new NDList(x, head));
                double sum = terms.values().stream().mapToDouble(t -> t.getDouble()).sum();
                assertEquals(loss.evaluate(new NDList(h.labels(Y)), new NDList(x, head)).getDouble(), sum, 1e-15, name);
                assertEquals(name.equals("triplet") ? 1 : 2, terms.size(), name + " " + terms.keySet());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> loss.evaluate(new NDList(h.labels(0, 1)), new NDList(x, head)));
                assertTrue(e.getMessage().contains("4 features but labels of shape (2)"), e.getMessage());
            }
        }
    }

    @Test
    void float32ValuesAgreeWithFloat64() {
        for (String name : Losses.PAIR_NAMES) {
            EmbeddingLoss loss = Losses.create(name, Map.of(), Miners.create("batch-hard", Map.of()));
            double v64 = value(loss, X, Y);
            try (LossHarness h = new LossHarness(DataType.FLOAT32)) {
                assertEquals(v64, h.value(loss, X, NO_WEIGHTS, Y), 1e-5 * Math.max(1, v64), name);
            }
        }
    }

    @Test
    void factoryParametersAndMinersReachTheLoss() {
        ContrastiveLoss c = (ContrastiveLoss) Losses.create("contrastive",
                Map.of("pos_margin", 0.1, "neg_margin", 0.7, "cosine", 1.0));
        assertEquals(0.1, c.positiveMargin());
        assertEquals(0.7, c.negativeMargin());
        assertTrue(c.cosine());
        TripletMarginLoss t = (TripletMarginLoss) Losses.create("triplet", Map.of("margin", 0.3, "squared", 0.0),
                Miners.create("semi-hard", Map.of("margin", 0.3)));
        assertEquals(0.3, t.margin());
        assertEquals(false, t.squared());
        assertEquals(0.3, ((SemiHardMiner) t.miner()).margin());
        MultiSimilarityLoss m = (MultiSimilarityLoss) Losses.create("multi-similarity", Map.of("beta", 40.0));
        assertEquals(40, m.beta());
        assertEquals(null, m.miner());
        assertEquals(java.util.List.of("contrastive", "triplet", "multi-similarity"), Losses.PAIR_NAMES);
        assertTrue(Losses.isPairLoss("Triplet"));
        assertTrue(!Losses.isPairLoss("arc"));
    }
}
