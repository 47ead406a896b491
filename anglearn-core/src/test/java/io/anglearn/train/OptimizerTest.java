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
    void adamAddsEpsilonToTheUncorrectedOrTheCorrectedRoot() {
        // A gradient of 1e-8 (the size of ε) tells the two apart after one step with β2 = 0.999:
        // √v = √0.001·1e-8 ≈ 3.16e-10, √v̂ = 1e-8, m̂ = 1e-8.
        double g = 1e-8;
        double rootV = Math.sqrt(0.001) * g;
        double uncorrected = 0.01 * Math.sqrt(0.001) / 0.1 * (0.1 * g) / (rootV + 1e-8);
        double corrected = 0.01 * g / (g + 1e-8);
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            for (boolean onCorrected : new boolean[] {false, true}) {
                Parameter p = param(m, 1f);
                AdamOptimizer adam = new AdamOptimizer(0, 0.999, 1e-8, onCorrected);
                adam.initialize(List.of(p));
                step(adam, p, m, 0.01, 0.9, (float) g);
                double moved = 1 - p.getArray().toFloatArray()[0];
                assertEquals(onCorrected ? corrected : uncorrected, moved, 2e-7, "epsilon on corrected: " + onCorrected);
            }
        }
        // The two are far apart here: about 0.0003 against 0.005.
        assertEquals(0.005, corrected, 1e-9);
        assertEquals(0.000306, uncorrected, 1e-6);
    }

    @Test
    void adamCountsEachParametersOwnUpdates() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            Parameter early = param(m, 1f);
            Parameter late = param(m, 1f);
            AdamOptimizer adam = new AdamOptimizer(0);
            adam.initialize(List.of(early, late));
            // Two steps; the second parameter is left out of the first (as a frozen backbone is).
            adam.beginStep(0.01, 0.9);
            try (NDArray g = m.create(new float[] {2f})) {
                adam.update(0, early.getArray(), g);
            }
            adam.beginStep(0.01, 0.9);
            try (NDArray g = m.create(new float[] {-4f}); NDArray h = m.create(new float[] {-4f})) {
                adam.update(0, early.getArray(), g);
                adam.update(1, late.getArray(), h);
            }
            // The late parameter's first update is bias-corrected as a first update: it moves by the
            // learning rate exactly, as it would have at step 1.
            assertArrayEquals(new float[] {1.01f}, late.getArray().toFloatArray(), 1e-6f);
            // The early one's second: m = 0.1(0.9·2 - 4), v = 0.001(0.999·4 + 16), bias corrections of t = 2;
            // w = 0.99 - 0.01 (√(1 - 0.999²) / (1 - 0.9²)) m / (√v + ε)
            double mean = 0.1 * (0.9 * 2 - 4);
            double var = 0.001 * (0.999 * 4 + 16);
            double rate = 0.01 * Math.sqrt(1 - 0.999 * 0.999) / (1 - 0.81);
            assertArrayEquals(new float[] {(float) (0.99 - rate * mean / (Math.sqrt(var) + 1e-8))},
                    early.getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(new long[] {2, 1}, adam.state().get(4).toLongArray());
            assertEquals(5, adam.state().size());

            // A state with counts beyond the steps taken is refused; one without counts (an older
            // checkpoint) reads as every parameter updated at every step.
            NDList state = adam.state();
            NDList bad = new NDList(state.get(0), state.get(1), state.get(2), state.get(3),
                    m.create(new long[] {3, 1}));
            assertThrows(IllegalArgumentException.class, () -> adam.restore(bad, 2));
            adam.restore(new NDList(state.get(0), state.get(1), state.get(2), state.get(3)), 2);
            assertArrayEquals(new long[] {2, 2}, adam.state().get(4).toLongArray());
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
