package io.anglearn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * ∂z_y/∂θ_y from autograd ({@link GradientCurves}, the code behind {@code anglearn curves}) against
 * the closed forms of SPEC §2, over θ ∈ (0, π). Tolerances: float64 1e-9 absolute; float32
 * 2e-3·scale absolute, away from the last 0.05 rad at each end, where float32 rounding of
 * cos θ near ±1 dominates.
 */
class ClosedFormGradientTest {

    private static final double[] THETAS = GradientCurves.angles(361);

    @Test
    void softmaxIsMinusScaleTimesSine() {
        double r = 2.5;
        check(new SoftmaxLoss(), r, t -> -r * Math.sin(t), 0, Math.PI, r);
    }

    @Test
    void normFaceIsMinusScaleTimesSine() {
        check(Losses.create("normface", Map.of("s", 16.0)), 1, t -> -16 * Math.sin(t), 0, Math.PI, 16);
    }

    @Test
    void arcFaceIsMinusScaleTimesSineOfThetaPlusMarginBelowTheThreshold() {
        EmbeddingLoss arcface = Losses.create("arcface", Map.of("s", 64.0, "m", 0.5));
        double threshold = Math.PI - 0.5;
        check(arcface, 1, t -> -64 * Math.sin(t + 0.5), 0, threshold - 1e-3, 64);
        // Past the threshold the target logit is s·(cos θ − m·sin m): derivative −s·sin θ.
        check(arcface, 1, t -> -64 * Math.sin(t), threshold + 1e-3, Math.PI, 64);
    }

    @Test
    void easyMarginArcFaceDropsTheMarginPastNinetyDegrees() {
        EmbeddingLoss easy = Losses.create("arcface", Map.of("s", 64.0, "m", 0.5, "easy_margin", 1.0));
        check(easy, 1, t -> -64 * Math.sin(t + 0.5), 0, Math.PI / 2 - 1e-3, 64);
        check(easy, 1, t -> -64 * Math.sin(t), Math.PI / 2 + 1e-3, Math.PI, 64);
    }

    @Test
    void cosFaceIsMinusScaleTimesSine() {
        check(Losses.create("cosface"), 1, t -> -64 * Math.sin(t), 0, Math.PI, 64);
    }

    @Test
    void lSoftmaxFollowsTheDerivativeOfPsi() {
        for (int m : new int[] {1, 2, 3, 4}) {
            double r = 1.5;
            EmbeddingLoss loss = Losses.create("lsoftmax",
                    Map.of("m", (double) m, "lambda_base", 0.0, "lambda_min", 0.0));
            // (−1)^(n+1)·m·sin(mθ)·‖x‖ on [nπ/m, (n+1)π/m]; test away from the kinks at nπ/m.
            for (int n = 0; n < m; n++) {
                double sign = n % 2 == 0 ? -1 : 1;
                check(loss, r, t -> sign * m * Math.sin(m * t) * r, n * Math.PI / m + 1e-3,
                        (n + 1) * Math.PI / m - 1e-3, m * r);
            }
        }
    }

    @Test
    void annealedSphereFaceMixesCosineAndPsi() {
        SphereFaceLoss loss = SphereFaceLoss.builder().optM(4).optLambdaBase(3).optLambdaMin(3).build();
        double lambda = loss.lambda();
        assertEquals(3, lambda, 0);
        check(loss, 1, t -> (-lambda * Math.sin(t) - 4 * Math.sin(4 * t)) / (1 + lambda), 1e-3, Math.PI / 4 - 1e-3, 4);
    }

    @Test
    void angularLossIsMinusKAwayFromTheClamp() {
        for (double k : new double[] {1, 4, 16}) {
            check(AngularLoss.builder().optK(k).build(), 3, t -> -k, 0, Math.PI, k);
        }
    }

    @Test
    void angularLossGradientIsZeroInsideTheClampAndFiniteAtItsEdge() {
        AngularLoss arc = AngularLoss.builder().optK(4).build();
        // θ = 0 and π give cos θ = ±1 exactly: clamped, gradient 0, not NaN.
        double[] g = GradientCurves.targetLogitGradient(arc, new double[] {0, Math.PI}, 1, DataType.FLOAT32);
        assertEquals(0, g[0], 0);
        assertEquals(0, g[1], 0);
        // Just inside the clamp the gradient is still −k in float64.
        double edge = Math.acos(1 - 2e-6);
        double[] inside = GradientCurves.targetLogitGradient(arc, new double[] {edge}, 1, DataType.FLOAT64);
        assertEquals(-4, inside[0], 1e-6);
    }

    @Test
    void angularConfidenceMatchesThePapersSection32Approximation() {
        for (int c : new int[] {10, 100}) {
            for (double k : new double[] {1, 4, 16}) {
                double[][] got = GradientCurves.angularConfidence(AngularLoss.builder().optK(k).build(), c, THETAS,
                        DataType.FLOAT64);
                for (int i = 0; i < THETAS.length; i++) {
                    double p = 1 / (1 + (c - 1) * Math.exp(-k * (Math.PI / 2 - THETAS[i])));
                    assertEquals(p, got[0][i], 1e-12, "p_y at C = " + c + ", k = " + k + ", θ = " + THETAS[i]);
                    // L = −log p_y rises with θ_y: ∂L/∂θ_y = +k·(1 − p_y) (the SPEC's −k·(1 − p_y) is its descent direction).
                    assertEquals(k * (1 - p), got[1][i], 1e-9, "∂L/∂θ_y at C = " + c + ", k = " + k);
                }
            }
        }
    }

    private static void check(EmbeddingLoss loss, double norm, DoubleUnaryOperator closedForm, double from, double to,
            double scale) {
        double[] t = between(from, to);
        double[] g64 = GradientCurves.targetLogitGradient(loss, t, norm, DataType.FLOAT64);
        double[] g32 = GradientCurves.targetLogitGradient(loss, t, norm, DataType.FLOAT32);
        for (int i = 0; i < t.length; i++) {
            double expected = closedForm.applyAsDouble(t[i]);
            assertEquals(expected, g64[i], 1e-9 * Math.max(1, scale), loss.getName() + " float64 at θ = " + t[i]);
            assertTrue(Double.isFinite(g32[i]), loss.getName() + " float32 at θ = " + t[i]);
            if (t[i] > 0.05 && t[i] < Math.PI - 0.05) {
                assertEquals(expected, g32[i], 2e-3 * scale, loss.getName() + " float32 at θ = " + t[i]);
            }
        }
    }

    private static double[] between(double from, double to) {
        return java.util.Arrays.stream(THETAS).filter(t -> t >= from && t <= to).toArray();
    }
}
