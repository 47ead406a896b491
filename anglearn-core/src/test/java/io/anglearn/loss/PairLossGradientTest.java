package io.anglearn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import io.anglearn.loss.miners.Miner;
import io.anglearn.loss.miners.Miners;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Autograd gradients of the pair losses with respect to the features, with and without miners,
 * against central finite differences in float64 (as {@link FiniteDifferenceTest}: h = 1e-6,
 * |autograd − FD| ≤ 1e-6·max(1, |FD|)). Six samples of three classes in three dimensions; the mined
 * tuples do not change within ±h of these random features.
 */
class PairLossGradientTest {

    private static final int[] LABELS = {0, 0, 1, 1, 2, 2};
    private static final double[][] NO_WEIGHTS = {{0, 0, 0}};

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("contrastive", Map.of(), null),
                Arguments.of("contrastive", Map.of("cosine", 1.0, "pos_margin", 0.1, "neg_margin", 1.2), null),
                Arguments.of("contrastive", Map.of("normalize", 0.0, "neg_margin", 3.0), null),
                Arguments.of("contrastive", Map.of("neg_margin", 1.5), "multi-similarity"),
                Arguments.of("contrastive", Map.of("neg_margin", 1.5), "batch-hard"),
                Arguments.of("triplet", Map.of("margin", 0.5), null),
                Arguments.of("triplet", Map.of("squared", 0.0, "margin", 0.5), null),
                Arguments.of("triplet", Map.of("normalize", 0.0, "margin", 1.0), null),
                Arguments.of("triplet", Map.of("margin", 1.0), "batch-hard"),
                Arguments.of("triplet", Map.of("margin", 1.0), "semi-hard"),
                Arguments.of("triplet", Map.of("margin", 1.0), "multi-similarity"),
                Arguments.of("multi-similarity", Map.of("beta", 10.0), null),
                Arguments.of("multi-similarity", Map.of(), "multi-similarity"),
                Arguments.of("multi-similarity", Map.of("beta", 10.0), "batch-hard"));
    }

    @ParameterizedTest(name = "{0} {1} miner {2}")
    @MethodSource("cases")
    void autogradMatchesCentralDifferences(String name, Map<String, Double> params, String minerName) {
        Miner miner = minerName == null ? null
                : Miners.create(minerName, minerName.equals("semi-hard") ? Map.of("margin", 1.0) : Map.of());
        EmbeddingLoss loss = Losses.create(name, params, miner);
        double[][] x = FiniteDifferenceTest.gaussian(new Random(3), LABELS.length, 3);
        try (LossHarness h = new LossHarness(DataType.FLOAT64)) {
            double[][] auto = h.gradients(loss, x, NO_WEIGHTS, LABELS);
            assertTrue(auto[0][0] > 0, name + ": the case must have active pairs, loss " + auto[0][0]);
            assertEquals(h.value(loss, x, NO_WEIGHTS, LABELS), auto[0][0], 1e-12);
            assertEquals(0, auto[2].length, "no head, no weight gradient");
            FiniteDifferenceTest.compare(name + " dL/dx", auto[1], x, () -> h.value(loss, x, NO_WEIGHTS, LABELS));
        }
    }
}
