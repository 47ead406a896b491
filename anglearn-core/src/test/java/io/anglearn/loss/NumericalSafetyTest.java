package io.anglearn.loss;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss, at its defaults and in float32, keeps its value and gradients finite at the edges:
 * cos θ exactly ±1, zero-norm features and weight rows, feature norms up to 1e15, labels 0 and
 * C − 1; and every classification loss rejects labels outside [0, C). The pair losses, which have
 * no classes to index, take any labels but one per feature.
 */
class NumericalSafetyTest {

    static Stream<String> names() {
        return Losses.NAMES.stream();
    }

    static Stream<String> classificationNames() {
        return Losses.NAMES.stream().filter(n -> !Losses.isPairLoss(n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void edgeCasesStayFinite(String name) {
        EmbeddingLoss loss = Losses.create(name);
        int k = loss.subCenters();
        // Class rows: e_0, e_1, −e_0, and a zero row; repeated K times per class.
        double[][] base = {{1, 0}, {0, 1}, {-1, 0}, {0, 0}};
        double[][] w = new double[4 * k][];
        for (int j = 0; j < 4; j++) {
            for (int i = 0; i < k; i++) {
                w[j * k + i] = base[j].clone();
            }
        }
        double[][][] xs = {
            {{3, 0}, {-3, 0}},        // cos θ = +1 and −1 exactly with the target
            {{0, 0}, {0, 0}},         // zero features
            {{1e15, 0}, {0, -1e15}},  // very large norms
            {{1e-30, 1e-30}, {2, 2}}, // tiny norm
        };
        int[][] labels = {{0, 0}, {0, 3}, {0, 3}, {3, 0}};
        try (LossHarness h = new LossHarness(DataType.FLOAT32)) {
            if (loss instanceof CenterLoss center) {
                center.initializeState(h.manager, DataType.FLOAT32, 4, 2);
            }
            for (int c = 0; c < xs.length; c++) {
                double[][] g = h.gradients(loss, xs[c], w, labels[c]);
                String where = name + " case " + c;
                assertTrue(Double.isFinite(g[0][0]), where + ": loss " + g[0][0]);
                for (double v : g[1]) {
                    assertTrue(Double.isFinite(v), where + ": dL/dx " + v);
                }
                for (double v : g[2]) {
                    assertTrue(Double.isFinite(v), where + ": dL/dW " + v);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classificationNames")
    void labelsOutsideTheClassesAreRejected(String name) {
        EmbeddingLoss loss = Losses.create(name);
        double[][] w = new double[3 * loss.subCenters()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = new double[] {1, i};
        }
        try (LossHarness h = new LossHarness(DataType.FLOAT32)) {
            if (loss instanceof CenterLoss center) {
                center.initializeState(h.manager, DataType.FLOAT32, 3, 2);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> h.value(loss, new double[][] {{1, 0}}, w, 3));
            assertTrue(e.getMessage().contains("label 3 is outside [0, 3)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> h.value(loss, new double[][] {{1, 0}}, w, -1));
        }
    }

    @Test
    void invalidParametersAreRejectedWithTheirName() {
        rejects("arc", Map.of("k", 0.0), "k must be");
        rejects("arc", Map.of("k", -2.0), "k must be");
        rejects("arc", Map.of("k", Double.POSITIVE_INFINITY), "k must be");
        rejects("arc", Map.of("epsilon", 0.0), "epsilon");
        rejects("arc", Map.of("epsilon", 0.5), "epsilon");
        rejects("arcface", Map.of("m", -0.1), "margin m");
        rejects("arcface", Map.of("m", Math.PI / 2), "margin m");
        rejects("arcface", Map.of("s", 0.0), "scale s");
        rejects("arcface", Map.of("easy_margin", 2.0), "switch");
        rejects("cosface", Map.of("m", 1.5), "margin m");
        rejects("sphereface", Map.of("m", 0.0), "margin m");
        rejects("sphereface", Map.of("m", 11.0), "margin m");
        rejects("lsoftmax", Map.of("m", 2.5), "whole number");
        rejects("sphereface", Map.of("gamma", -1.0), "gamma");
        rejects("normface", Map.of("s", -1.0), "scale s");
        rejects("center", Map.of("alpha", 0.0), "alpha");
        rejects("center", Map.of("lambda", -1.0), "lambda");
        rejects("subcenter-arcface", Map.of("subcenters", 0.0), "sub-centres K");
        rejects("adacos", Map.of("dynamic", 0.5), "switch");
        rejects("soft", Map.of("k", 1.0), "takes none");
        rejects("arc", Map.of("s", 1.0), "no parameter 's'");
        rejects("arc", Map.of("k", Double.NaN), "needs a number");
        rejects("lifted-structure", Map.of(), "unknown --loss 'lifted-structure'");
        rejects("contrastive", Map.of("neg_margin", 0.0), "neg_margin must be a finite number > pos_margin");
        rejects("contrastive", Map.of("pos_margin", -0.1), "pos_margin must be a finite number >= 0");
        rejects("contrastive", Map.of("cosine", 1.0, "normalize", 0.0), "the cosine distance always normalises");
        rejects("contrastive", Map.of("cosine", 2.0), "switch");
        rejects("triplet", Map.of("margin", -1.0), "margin must be a finite number >= 0");
        rejects("triplet", Map.of("squared", 0.5), "switch");
        rejects("multi-similarity", Map.of("alpha", 0.0), "alpha must be");
        rejects("multi-similarity", Map.of("beta", Double.POSITIVE_INFINITY), "beta must be");
        rejects("multi-similarity", Map.of("lambda", 1.5), "lambda must be in [-1, 1]");
        rejects("triplet", Map.of("margn", 1.0), "did you mean 'margin'?");
        rejects("arcfce", Map.of(), "did you mean 'arcface'?");
        rejects("arc", Map.of("kk", 1.0), "did you mean 'k'?");
    }

    @Test
    void aMinerNeedsAPairLoss() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.create("arc", Map.of(), new io.anglearn.loss.miners.BatchHardMiner()));
        assertTrue(e.getMessage().contains("--miner batch-hard needs a pair loss (contrastive, triplet,"
                + " multi-similarity); 'arc' trains class weights"), e.getMessage());
    }

    private static void rejects(String name, Map<String, Double> params, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.create(name, params),
                name + " " + params);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention " + fragment);
    }
}
