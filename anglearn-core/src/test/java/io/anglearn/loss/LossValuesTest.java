package io.anglearn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Loss values on a small case worked out with scalar arithmetic: C = 3 classes, unit weight rows
 * w_0 = (1, 0), w_1 = (0, 1), w_2 = (−1, 0); sample 1 is x = (1.6, 1.2) (‖x‖ = 2, cos θ = 0.8, 0.6,
 * −0.8) with label 0, sample 2 is x = (0.6, 0.8) (cos θ = 0.6, 0.8, −0.6) with label 1.
 */
class LossValuesTest {

    private static final double[][] W = {{1, 0}, {0, 1}, {-1, 0}};
    private static final double[][] X = {{1.6, 1.2}, {0.6, 0.8}};
    private static final int[] Y = {0, 1};
    private static final double[][] COS = {{0.8, 0.6, -0.8}, {0.6, 0.8, -0.6}};
    private static final double[] NORM = {2, 1};

    @Test
    void softmaxUsesTheLinearLogits() {
        // Logits (1.6, 1.2, −1.6) and (0.6, 0.8, −0.6): mean cross-entropy 0.631207...
        assertEquals(0.5 * (Math.log(1 + Math.exp(-0.4) + Math.exp(-3.2))
                + Math.log(Math.exp(-0.2) + 1 + Math.exp(-1.4))), value(new SoftmaxLoss()), 1e-12);
        assertEquals(0.6312074898, value(new SoftmaxLoss()), 1e-9);
        assertEquals(expected(c -> c, true, (c, i) -> c), value(new SoftmaxLoss()), 1e-12);
    }

    @Test
    void angularLossIsKTimesHalfPiMinusTheAngle() {
        double k = 4;
        assertEquals(expected(c -> k * (Math.PI / 2 - Math.acos(c)), false, null),
                value(AngularLoss.builder().optK(k).build()), 1e-12);
    }

    @Test
    void arcFaceAddsTheMarginToTheTargetAngle() {
        assertEquals(expected(c -> 64 * c, false, (c, i) -> 64 * Math.cos(Math.acos(c) + 0.5)),
                value(ArcFaceLoss.builder().build()), 1e-9);
    }

    @Test
    void cosFaceSubtractsTheMarginFromTheTargetCosine() {
        assertEquals(expected(c -> 64 * c, false, (c, i) -> 64 * (c - 0.35)), value(CosFaceLoss.builder().build()), 1e-9);
    }

    @Test
    void normFaceScalesTheCosines() {
        assertEquals(expected(c -> 16 * c, false, null), value(NormFaceLoss.builder().build()), 1e-12);
    }

    @Test
    void fixedAdaCosUsesRootTwoTimesLogCMinusOne() {
        double s = Math.sqrt(2) * Math.log(2);
        assertEquals(s, AdaCosLoss.fixedScale(3), 1e-15);
        assertEquals(expected(c -> s * c, false, null), value(AdaCosLoss.builder().optDynamic(false).build()), 1e-12);
    }

    @Test
    void sphereFaceMixesLambdaCosineAndPsiAndScalesByTheFeatureNorm() {
        // Step 0: λ = max(5, 1000·1) = 1000. Both targets have cos θ = 0.8, θ < π/4: ψ = cos 4θ.
        assertEquals(expected(c -> c, true, (c, i) -> (1000 * c + Math.cos(4 * Math.acos(c))) / 1001),
                value(SphereFaceLoss.builder().build()), 1e-9);
    }

    @Test
    void psiIsTheMonotoneContinuationOfCosMTheta() {
        try (LossHarness h = new LossHarness(DataType.FLOAT64)) {
            double[] theta = {0.3, 1.0, 2.2, 3.0};
            NDArray psi = SphereFaceLoss.psi(h.manager.create(theta), 4);
            double[] got = LossHarness.doubles(psi);
            // n = ⌊4θ/π⌋ = 0, 1, 2, 3: ψ = (−1)^n·cos 4θ − 2n.
            double[] expected = {Math.cos(1.2), -Math.cos(4.0) - 2, Math.cos(8.8) - 4, -Math.cos(12.0) - 6};
            for (int i = 0; i < theta.length; i++) {
                assertEquals(expected[i], got[i], 1e-12);
            }
        }
    }

    @Test
    void centerLossAddsHalfLambdaTimesTheSquaredDistanceToTheCentre() {
        CenterLoss center = CenterLoss.builder().optLambda(0.5).build();
        try (LossHarness h = new LossHarness(DataType.FLOAT64)) {
            center.initializeState(h.manager, DataType.FLOAT64, 3, 2);
            double softmax = expected(c -> c, true, (c, i) -> c);
            // Centres start at 0: the pull is (λ/2)·mean ‖x‖² = 0.25·(4 + 1)/2.
            assertEquals(softmax + 0.25 * 2.5, h.value(center, X, W, Y), 1e-12);
        }
    }

    @Test
    void subCenterHeadTakesTheBestSubCentrePerClass() {
        SubCenterArcFaceLoss loss = SubCenterArcFaceLoss.builder().optSubCenters(2).build();
        // Each class gets its original row and a second one at 90 degrees to it.
        double[][] w = {{1, 0}, {0, -1}, {0, 1}, {1, 0}, {-1, 0}, {0, 1}};
        try (LossHarness h = new LossHarness(DataType.FLOAT64)) {
            double[] scores = LossHarness.doubles(ClassifierHead.scores(h.matrix(X), h.matrix(w), HeadKind.COSINE, 2));
            double[] expected = {0.8, 0.8, 0.6, 0.6, 0.8, 0.8};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], scores[i], 1e-12);
            }
            double[][] best = {{0.8, 0.8, 0.6}, {0.6, 0.8, 0.8}};
            double want = 0;
            for (int i = 0; i < 2; i++) {
                double[] z = new double[3];
                for (int j = 0; j < 3; j++) {
                    z[j] = 64 * (j == Y[i] ? Math.cos(Math.acos(best[i][j]) + 0.5) : best[i][j]);
                }
                want += ce(z, Y[i]) / 2;
            }
            assertEquals(want, h.value(loss, X, w, Y), 1e-9);
        }
    }

    /** The expected mean cross-entropy; {@code target} (if not null) replaces the target logit. */
    private static double expected(DoubleUnaryOperator logit, boolean timesNorm, Target target) {
        double sum = 0;
        for (int i = 0; i < COS.length; i++) {
            double[] z = new double[3];
            for (int j = 0; j < 3; j++) {
                double c = COS[i][j];
                z[j] = j == Y[i] && target != null ? target.apply(c, i) : logit.applyAsDouble(c);
                if (timesNorm) {
                    z[j] *= NORM[i];
                }
            }
            sum += ce(z, Y[i]);
        }
        return sum / COS.length;
    }

    private interface Target {
        double apply(double cos, int sample);
    }

    static double ce(double[] z, int y) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (double v : z) {
            s += Math.exp(v - max);
        }
        return -(z[y] - max) + Math.log(s);
    }

    private static double value(EmbeddingLoss loss) {
        try (LossHarness h = new LossHarness(DataType.FLOAT64)) {
            return h.value(loss, X, W, Y);
        }
    }

    @Test
    void factoryParametersReachTheLoss() {
        AngularLoss arc = (AngularLoss) Losses.create("arc", Map.of("k", 8.0));
        assertEquals(8, arc.k());
        ArcFaceLoss arcface = (ArcFaceLoss) Losses.create("ARCFACE", Map.of("s", 30.0, "m", 0.3, "easy_margin", 1.0));
        assertEquals(30, arcface.scale());
        assertEquals(0.3, arcface.margin());
        assertEquals(true, arcface.easyMargin());
        assertEquals(2, Losses.create("subcenter-arcface", Map.of("subcenters", 2.0)).subCenters());
        assertEquals("lsoftmax", Losses.create("lsoftmax").getName());
    }
}
