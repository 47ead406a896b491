package io.anglearn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The logits and probabilities of each loss, on worked examples. */
class ClassProbabilitiesTest {

    private static final float[] NO_FEATURE = new float[0];

    @Test
    void angularLossUsesItsOwnK() {
        // cos θ = 0.5, 0, -0.5: θ = π/3, π/2, 2π/3, so z = k·(π/2 − θ) = 3·(π/6, 0, −π/6).
        ClassProbabilities p = ClassProbabilities.of(Losses.create("arc", Map.of("k", 3.0)), 3);
        assertArrayEquals(new double[] {Math.PI / 2, 0, -Math.PI / 2}, p.logits(new float[] {0.5f, 0f, -0.5f}, NO_FEATURE),
                1e-6);
        double e = Math.exp(Math.PI / 2);
        double sum = e + 1 + 1 / e;
        assertArrayEquals(new double[] {e / sum, 1 / sum, 1 / e / sum},
                p.probabilities(new float[] {0.5f, 0f, -0.5f}, NO_FEATURE), 1e-6);
        assertEquals("softmax(k·(π/2 − θ_j)), k = 3 of the loss arc", p.describe());
        // The clamp of training: cos θ = 1 is the angle arccos(1 − ε), not 0.
        double[] z = p.logits(new float[] {1f}, NO_FEATURE);
        assertEquals(3 * (Math.PI / 2 - Math.acos(1 - 1e-6)), z[0], 1e-9);
    }

    @Test
    void cosineMarginLossesUseTheirScale() {
        float[] cos = {0.1f, 0.2f};
        ClassProbabilities arc = ClassProbabilities.of(Losses.create("arcface", Map.of()), 2);
        assertArrayEquals(new double[] {6.4, 12.8}, arc.logits(cos, NO_FEATURE), 1e-5);
        assertEquals(1 / (1 + Math.exp(-6.4)), arc.probabilities(cos, NO_FEATURE)[1], 1e-6);
        assertTrue(arc.describe().contains("s = 64 (s of the loss arcface)"), arc.describe());
        assertArrayEquals(new double[] {3, 6},
                ClassProbabilities.of(Losses.create("cosface", Map.of("s", 30.0)), 2).logits(cos, NO_FEATURE), 1e-5);
        assertArrayEquals(new double[] {1.6, 3.2},
                ClassProbabilities.of(Losses.create("normface", Map.of()), 2).logits(cos, NO_FEATURE), 1e-5);
        assertArrayEquals(new double[] {0.8, 1.6},
                ClassProbabilities.of(Losses.create("subcenter-arcface", Map.of("s", 8.0)), 2).logits(cos, NO_FEATURE),
                1e-5);
        // AdaCos before any adaptation, and the fixed variant: s = √2·log(C − 1) = √2·log 9 for C = 10.
        double s = Math.sqrt(2) * Math.log(9);
        for (double dynamic : new double[] {0, 1}) {
            ClassProbabilities ada = ClassProbabilities.of(Losses.create("adacos", Map.of("dynamic", dynamic)), 10);
            assertEquals(0.5 * s, ada.logits(new float[] {0.5f}, NO_FEATURE)[0], 1e-6);
        }
    }

    @Test
    void featureNormAndLinearLosses() {
        // SphereFace: z_j = ‖x‖·cos θ_j with ‖(3, 4)‖ = 5.
        ClassProbabilities sphere = ClassProbabilities.of(Losses.create("sphereface", Map.of()), 2);
        assertArrayEquals(new double[] {3, 4}, sphere.logits(new float[] {0.6f, 0.8f}, new float[] {3, 4}), 1e-6);
        // Softmax and center loss: the linear head's scores are the logits.
        for (String name : new String[] {"soft", "center"}) {
            ClassProbabilities lin = ClassProbabilities.of(Losses.create(name, Map.of()), 3);
            double sum = Math.exp(1) + Math.exp(2) + Math.exp(3);
            assertArrayEquals(new double[] {Math.exp(1) / sum, Math.exp(2) / sum, Math.exp(3) / sum},
                    lin.probabilities(new float[] {1, 2, 3}, new float[] {9, 9}), 1e-9);
        }
    }

    @Test
    void givenScaleReplacesTheLossAndIsValidated() {
        ClassProbabilities p = ClassProbabilities.ofScale(10);
        assertArrayEquals(new double[] {5, -2}, p.logits(new float[] {0.5f, -0.2f}, NO_FEATURE), 1e-6);
        assertEquals("softmax(s·cos θ_j), s = 10 (given)", p.describe());
        // Large logits stay finite: the softmax subtracts the largest.
        double[] q = ClassProbabilities.ofScale(1000).probabilities(new float[] {1f, 0.99f}, NO_FEATURE);
        assertEquals(1 / (1 + Math.exp(-10)), q[0], 1e-5);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> ClassProbabilities.ofScale(0));
        assertTrue(zero.getMessage().contains("--softmax-scale"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassProbabilities.ofScale(Double.NaN));
        IllegalArgumentException pair = assertThrows(IllegalArgumentException.class,
                () -> ClassProbabilities.of(Losses.create("triplet", Map.of()), 3));
        assertTrue(pair.getMessage().contains("pair loss"), pair.getMessage());
    }
}
