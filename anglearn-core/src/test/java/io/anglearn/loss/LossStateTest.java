package io.anglearn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The non-trainable state of center loss, AdaCos and SphereFace: its update rules and save/load. */
class LossStateTest {

    @Test
    void centresFollowWenEtAlEquationFour() {
        CenterLoss center = CenterLoss.builder().optAlpha(0.5).build();
        try (LossHarness h = new LossHarness(DataType.FLOAT64)) {
            center.initializeState(h.manager, DataType.FLOAT64, 3, 2);
            NDArray x = h.matrix(new double[][] {{1, 0}, {3, 0}, {0, 2}});
            NDList step = new NDList(x, h.matrix(new double[3][3]));
            NDArray y = h.labels(0, 0, 1);
            center.afterStep(step, y);
            // Δc_0 = (2·0 − (4, 0))/3, c_0 = 0 − 0.5·Δc_0 = (2/3, 0); Δc_1 = (0 − (0, 2))/2, c_1 = (0, 0.5).
            assertArrayEquals(new double[] {2.0 / 3, 0, 0, 0.5, 0, 0}, LossHarness.doubles(center.centers()), 1e-12);
            center.afterStep(step, y);
            // Δc_0 = (2·2/3 − 4)/3 = −8/9: c_0 = 2/3 + 4/9; Δc_1 = (0.5 − 2)/2: c_1 = 0.5 + 0.375.
            assertArrayEquals(new double[] {10.0 / 9, 0, 0, 0.875, 0, 0}, LossHarness.doubles(center.centers()), 1e-12);
        }
    }

    @Test
    void centresAreSavedAndRestored() throws IOException {
        CenterLoss center = CenterLoss.builder().build();
        try (LossHarness h = new LossHarness(DataType.FLOAT32)) {
            center.initializeState(h.manager, DataType.FLOAT32, 3, 2);
            center.afterStep(new NDList(h.matrix(new double[][] {{1, 2}, {3, 4}}), h.matrix(new double[2][3])),
                    h.labels(0, 2));
            byte[] saved = save(center);
            CenterLoss restored = CenterLoss.builder().build();
            restored.initializeState(h.manager, DataType.FLOAT32, 3, 2);
            restored.loadState(h.manager, in(saved));
            assertArrayEquals(center.centers().toFloatArray(), restored.centers().toFloatArray());
            CenterLoss other = CenterLoss.builder().build();
            other.initializeState(h.manager, DataType.FLOAT32, 4, 2);
            IOException e = assertThrows(IOException.class, () -> other.loadState(h.manager, in(saved)));
            assertTrue(e.getMessage().contains("shape"), e.getMessage());
            assertThrows(IOException.class, () -> restored.loadState(h.manager, in(new byte[] {0, 0, 0, 9})));
        }
        assertThrows(IllegalStateException.class, () -> save(CenterLoss.builder().build()));
    }

    @Test
    void damagedCentresAreRefusedBeforeDjlDecodesThem() throws IOException {
        CenterLoss center = CenterLoss.builder().build();
        try (LossHarness h = new LossHarness(DataType.FLOAT32)) {
            center.initializeState(h.manager, DataType.FLOAT32, 3, 2);
            byte[] saved = save(center);
            // The state is <version><length><NDArray>; the array's rank follows its type name.
            int rank = -1;
            for (int i = 8; i + 7 <= saved.length && rank < 0; i++) {
                if (new String(saved, i, 7, java.nio.charset.StandardCharsets.US_ASCII).equals("FLOAT32")) {
                    rank = i + 7;
                }
            }
            java.nio.ByteBuffer.wrap(saved).putInt(rank, Integer.MAX_VALUE);
            IOException e = assertThrows(IOException.class, () -> center.loadState(h.manager, in(saved)));
            assertTrue(e.getMessage().contains("center: saved centres: array 0: rank 2147483647"), e.getMessage());
        }
    }

    @Test
    void centerLossNeedsItsCentresBeforeTraining() {
        try (LossHarness h = new LossHarness(DataType.FLOAT32)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> h.value(CenterLoss.builder().build(), new double[][] {{1, 0}}, new double[][] {{1, 0}, {0, 1}}, 0));
            assertTrue(e.getMessage().contains("initializeState"), e.getMessage());
        }
    }

    @Test
    void dynamicAdaCosSetsTheScaleFromEachStepsBatch() throws IOException {
        AdaCosLoss ada = AdaCosLoss.builder().build();
        double[][] cos = {{0.9, 0.1, -0.2}, {0.3, 0.5, 0.0}, {-0.1, 0.2, 0.7}};
        int[] y = {0, 1, 2};
        double s0 = AdaCosLoss.fixedScale(3);
        double b = 0;
        double[] angles = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (j != y[i]) {
                    b += Math.exp(s0 * cos[i][j]);
                }
            }
            angles[i] = Math.acos(cos[i][y[i]]);
        }
        Arrays.sort(angles);
        double expected = Math.max(0.1, Math.log(b / 3) / Math.cos(Math.min(Math.PI / 4, angles[1])));
        try (LossHarness h = new LossHarness(DataType.FLOAT64)) {
            NDArray c = h.matrix(cos);
            NDArray labels = h.labels(y);
            assertArrayEquals(LossHarness.doubles(c.mul(s0)), LossHarness.doubles(ada.logits(c, c, labels)), 1e-12);
            ada.afterStep(new NDList(c, c), labels);
            assertEquals(expected, ada.scale(3), 1e-9);
            // The next step's logits use the adapted scale.
            assertArrayEquals(LossHarness.doubles(c.mul(expected)), LossHarness.doubles(ada.logits(c, c, labels)), 1e-12);
            AdaCosLoss restored = AdaCosLoss.builder().build();
            restored.loadState(h.manager, in(save(ada)));
            assertEquals(ada.scale(3), restored.scale(3), 0);
            AdaCosLoss fixed = AdaCosLoss.builder().optDynamic(false).build();
            fixed.afterStep(new NDList(c, c), labels);
            assertEquals(s0, fixed.scale(3), 0, "fixed AdaCos keeps √2·log(C − 1)");
        }
    }

    @Test
    void sphereFaceAnnealsLambdaAndKeepsItsStep() throws IOException {
        SphereFaceLoss loss = SphereFaceLoss.builder().build();
        assertEquals(1000, loss.lambda(), 0);
        for (int i = 0; i < 10; i++) {
            loss.afterStep(new NDList(), null);
        }
        assertEquals(1000 / (1 + 0.12 * 10), loss.lambda(), 1e-9);
        SphereFaceLoss restored = SphereFaceLoss.builder().build();
        restored.loadState(null, in(save(loss)));
        assertEquals(10, restored.step());
        for (int i = 0; i < 10000; i++) {
            loss.afterStep(new NDList(), null);
        }
        assertEquals(5, loss.lambda(), 0, "λ never drops below λ_min");
    }

    @Test
    void stepsLeaveNoArraysOnTheLongLivedManager() {
        for (String name : Losses.NAMES) {
            EmbeddingLoss loss = Losses.create(name);
            try (LossHarness h = new LossHarness(DataType.FLOAT32)) {
                loss.initializeState(h.manager, DataType.FLOAT32, 3, 2);
                int before = h.manager.getManagedArrays().size();
                for (int step = 0; step < 3; step++) {
                    try (ai.djl.ndarray.NDManager scope = h.manager.newSubManager()) {
                        NDArray x = h.matrix(scope, new double[][] {{1, 2}, {3, -1}});
                        NDArray w = h.matrix(scope,
                                FiniteDifferenceTest.gaussian(new java.util.Random(1), 3 * loss.subCenters(), 2));
                        NDArray y = h.labels(scope, 0, 2);
                        NDArray head = ClassifierHead.scores(x, w, loss.headKind(), loss.subCenters());
                        loss.evaluate(new NDList(y), new NDList(x, head));
                        loss.afterStep(new NDList(x, head), y);
                    }
                }
                assertEquals(before, h.manager.getManagedArrays().size(), name + " left arrays behind");
            }
        }
    }

    private static byte[] save(EmbeddingLoss loss) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream os = new DataOutputStream(bytes)) {
            loss.saveState(os);
        }
        return bytes.toByteArray();
    }

    private static DataInputStream in(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
