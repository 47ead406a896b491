package io.anglearn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Autograd gradients of every loss, through its head, against central finite differences, in float64
 * (the PyTorch engine runs every op these losses use in float64). Tolerance: |autograd − FD| ≤
 * 1e-6·max(1, |FD|), with step h = 1e-6.
 */
class FiniteDifferenceTest {

    private static final double H = 1e-6;
    private static final double TOLERANCE = 1e-6;
    private static final int N = 4;
    private static final int D = 3;
    private static final int C = 5;
    private static final int[] LABELS = {0, 4, 2, 4};

    static Stream<Arguments> losses() {
        return Stream.of(
                Arguments.of("soft", Map.of()),
                Arguments.of("center", Map.of("lambda", 0.5)),
                Arguments.of("arcface", Map.of()),
                Arguments.of("arcface", Map.of("easy_margin", 1.0)),
                Arguments.of("arc", Map.of("k", 4.0)),
                Arguments.of("cosface", Map.of()),
                Arguments.of("sphereface", Map.of()),
                Arguments.of("sphereface", Map.of("m", 4.0, "lambda_base", 0.0, "lambda_min", 0.0)),
                Arguments.of("lsoftmax", Map.of("m", 2.0, "lambda_base", 0.0, "lambda_min", 0.0)),
                Arguments.of("normface", Map.of()),
                // Dynamic AdaCos sets s from the batch without a gradient, which finite differences
                // would see; its scale rule is tested on its own.
                Arguments.of("adacos", Map.of("dynamic", 0.0)),
                Arguments.of("subcenter-arcface", Map.of()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("losses")
    void autogradMatchesCentralDifferences(String name, Map<String, Double> params) {
        EmbeddingLoss loss = Losses.create(name, params);
        Random random = new Random(7);
        double[][] x = gaussian(random, N, D);
        double[][] w = gaussian(random, C * loss.subCenters(), D);
        try (LossHarness h = new LossHarness(DataType.FLOAT64)) {
            if (loss instanceof CenterLoss center) {
                center.initializeState(h.manager, DataType.FLOAT64, C, D);
                // Move the centres off zero with one update from other features.
                NDArray others = h.matrix(gaussian(random, N, D));
                center.afterStep(new NDList(others, h.matrix(gaussian(random, N, C))), h.labels(LABELS));
            }
            double[][] auto = h.gradients(loss, x, w, LABELS);
            assertEquals(h.value(loss, x, w, LABELS), auto[0][0], 1e-12, "the same value with and without autograd");
            compare(name + " dL/dx", auto[1], x, () -> h.value(loss, x, w, LABELS));
            compare(name + " dL/dW", auto[2], w, () -> h.value(loss, x, w, LABELS));
        }
    }

    static void compare(String what, double[] autograd, double[][] variable,
            java.util.function.DoubleSupplier f) {
        int cols = variable[0].length;
        for (int i = 0; i < variable.length; i++) {
            for (int j = 0; j < cols; j++) {
                double keep = variable[i][j];
                variable[i][j] = keep + H;
                double plus = f.getAsDouble();
                variable[i][j] = keep - H;
                double minus = f.getAsDouble();
                variable[i][j] = keep;
                double fd = (plus - minus) / (2 * H);
                double a = autograd[i * cols + j];
                assertTrue(Double.isFinite(a), what + " is not finite at " + i + "," + j);
                assertEquals(fd, a, TOLERANCE * Math.max(1, Math.abs(fd)), what + " at " + i + "," + j);
            }
        }
    }

    static double[][] gaussian(Random random, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return m;
    }
}
