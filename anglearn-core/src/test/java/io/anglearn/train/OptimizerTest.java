package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.anglearn.engine.Engines;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optimisers against hand-computed updates. */
class OptimizerTest {

    private static Parameter param(NDManager m, float... values) {
        Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
        p.setArray(m.create(values));
        return p;
    }

    private static void step(Optimizer opt, Parameter p, NDManager m, double lr, double momentum, float... grad) {
        opt.beginStep(lr, momentum);
        try (NDArray g = m.create(grad)) {
            opt.update(0, p.getArray(), g);
        }
    }

    @Test
    void sgdWithHeavyBallMomentum() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            Parameter p = param(m, 1f, -2f);
            SgdOptimizer sgd = new SgdOptimizer(0.1, false);
            sgd.initialize(List.of(p));
            step(sgd, p, m, 0.5, 0.9, 1f, 1f);
            // g = ∇ + 0.1 w = (1.1, 0.8); v = g; w -= 0.5 v
            assertArrayEquals(new float[] {0.45f, -2.4f}, p.getArray().toFloatArray(), 1e-6f);
            step(sgd, p, m, 0.5, 0.9, 0f, 0f);
            // g = 0.1 w = (0.045, -0.24); v = 0.9 (1.1, 0.8) + g = (1.035, 0.48)
            assertArrayEquals(new float[] {0.45f - 0.5175f, -2.4f - 0.24f}, p.getArray().toFloatArray(), 1e-6f);
            assertEquals(2, sgd.steps());
        }
    }

    @Test
    void sgdWithNesterovMomentum() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            Parameter p = param(m, 1f);
            SgdOptimizer sgd = new SgdOptimizer(0, true);
            sgd.initialize(List.of(p));
            step(sgd, p, m, 0.1, 0.9, 2f);
            // v = 2; step = g + 0.9 v = 3.8
            assertArrayEquals(new float[] {1f - 0.38f}, p.getArray().toFloatArray(), 1e-6f);
            step(sgd, p, m, 0.1, 0.9, 1f);
            // v = 0.9·2 + 1 = 2.8; step = 1 + 0.9·2.8 = 3.52
            assertArrayEquals(new float[] {0.62f - 0.352f}, p.getArray().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void adamFirstStepMovesEachWeightByTheLearningRate() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            Parameter p = param(m, 1f, 1f);
            AdamOptimizer adam = new AdamOptimizer(0);
            adam.initialize(List.of(p));
            step(adam, p, m, 0.01, 0.9, 3f, -0.5f);
            // After one bias-corrected step, m̂/√v̂ = sign(g).
            assertArrayEquals(new float[] {0.99f, 1.01f}, p.getArray().toFloatArray(), 1e-5f);
        }
    }

    @Test
    void restoreRejectsStateOfAnotherShape() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            Parameter p = param(m, 1f, 1f);
            AdamOptimizer adam = new AdamOptimizer(0);
            adam.initialize(List.of(p));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> adam.restore(new NDList(m.create(new float[3]), m.create(new float[3])), 1));
            assertEquals(true, e.getMessage().contains("first moment"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> adam.restore(new NDList(), 1));
        }
    }
}
