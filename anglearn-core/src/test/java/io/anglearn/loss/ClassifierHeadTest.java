package io.anglearn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class ClassifierHeadTest {

    @Test
    void subCentreHeadHasKRowsPerClassAndOutputsOneScorePerClass() {
        ClassifierHead head = new ClassifierHead(3, HeadKind.COSINE, 2);
        try (LossHarness h = new LossHarness(DataType.FLOAT32)) {
            head.initialize(h.manager, DataType.FLOAT32, new Shape(1, 2));
            assertEquals(new Shape(6, 2), head.weight().getArray().getShape());
            // Class 0: (1, 0) and (0, 2); class 1: (0, −1) twice; class 2: zero rows.
            head.weight().getArray().set(new float[] {1, 0, 0, 2, 0, -1, 0, -1, 0, 0, 0, 0});
            float[] out = head.forward(new ParameterStore(h.manager, false), new NDList(h.matrix(new double[][] {{3, 4}})), false)
                    .singletonOrThrow().toFloatArray();
            assertArrayEquals(new float[] {0.8f, -0.8f, 0f}, out, 1e-6f);
            double[][] w = head.classWeights();
            assertArrayEquals(new double[] {1, 1}, w[0], 1e-12, "sum of normalised sub-centres");
            assertArrayEquals(new double[] {0, -2}, w[1], 1e-12);
            assertArrayEquals(new double[] {0, 0}, w[2], 1e-12);
        }
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> new ClassifierHead(1, HeadKind.LINEAR));
        assertThrows(IllegalArgumentException.class, () -> new ClassifierHead(3, HeadKind.COSINE, 0));
        assertThrows(IllegalArgumentException.class, () -> new ClassifierHead(3, HeadKind.LINEAR, 2));
    }
}
