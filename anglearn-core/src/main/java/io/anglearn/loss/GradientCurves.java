package io.anglearn.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.anglearn.engine.Engines;

/**
 * Gradients of a loss with respect to the target angle θ_y, computed by the engine's autograd
 * through the loss's own code: the curves of the paper's Figures 3 and 4.
 *
 * <p>Each θ becomes one sample of a batch, so one backward pass gives the whole curve. Closed forms
 * of these curves exist (SPEC §2); they serve only as test oracles.
 */
public final class GradientCurves {

    private GradientCurves() {}

    /**
     * Returns θ values spread over the open interval (0, π): {@code θ_i = π·(i + ½)/n}. The ends are
     * left out because the arccos clamp sets the gradient to 0 within about 1.4e-3 rad of them.
     *
     * @param n the number of points, at least 2
     * @return the angles
     */
    public static double[] angles(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("a curve needs at least 2 points, got " + n);
        }
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = Math.PI * (i + 0.5) / n;
        }
        return t;
    }

    /**
     * Returns ∂z_y/∂θ_y, the derivative of the target logit with respect to the target angle.
     *
     * <p>Sample i has the 2-D feature {@code x = r·(cos θ_i, sin θ_i)} and the classifier has two unit
     * weight rows, {@code w_0 = (1, 0)} (the target) and {@code w_1 = (0, 1)}; x goes through
     * {@link ClassifierHead#scores} of the loss's head kind and then {@link EmbeddingLoss#logits},
     * and autograd differentiates z_0 with respect to θ_i. So for softmax the curve is that of
     * {@code ‖w‖‖x‖ = r}. Losses with sub-centres are evaluated with one sub-centre.
     *
     * @param loss the loss
     * @param thetas the angles, in [0, π]
     * @param featureNorm r = ‖x‖ &gt; 0
     * @param dataType FLOAT32 (as in training) or FLOAT64
     * @return ∂z_y/∂θ_y at each angle
     */
    public static double[] targetLogitGradient(EmbeddingLoss loss, double[] thetas, double featureNorm,
            DataType dataType) {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            NDArray theta = manager.create(thetas).toType(dataType, false);
            theta.setRequiresGradient(true);
            NDArray weights = manager.create(new double[] {1, 0, 0, 1}, new Shape(2, 2)).toType(dataType, false);
            NDArray labels = manager.zeros(new Shape(thetas.length), DataType.INT64);
            try (GradientCollector gc = Engine.getEngine(Engines.PYTORCH).newGradientCollector()) {
                NDArray x = theta.cos().stack(theta.sin(), 1).mul(featureNorm);
                NDArray scores = ClassifierHead.scores(x, weights, loss.headKind(), 1);
                NDArray targetLogits = loss.logits(scores, x, labels).get(":, 0");
                gc.backward(targetLogits.sum());
            }
            return toDoubles(theta.getGradient());
        }
    }

    /**
     * The angular loss's confidence and angular gradient under the paper's §3.2 assumption that
     * every non-target angle is π/2: the head output has {@code cos θ_y} in the target column and 0
     * elsewhere.
     *
     * @param loss the angular loss
     * @param numClasses C, at least 2
     * @param thetas target angles θ_y, in [0, π]
     * @param dataType FLOAT32 or FLOAT64
     * @return {@code [p_y, ∂L/∂θ_y]}, each one value per angle, L being the cross-entropy
     */
    public static double[][] angularConfidence(AngularLoss loss, int numClasses, double[] thetas,
            DataType dataType) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + numClasses);
        }
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            int n = thetas.length;
            NDArray theta = manager.create(thetas).toType(dataType, false);
            theta.setRequiresGradient(true);
            NDArray labels = manager.zeros(new Shape(n), DataType.INT64);
            NDArray probability;
            try (GradientCollector gc = Engine.getEngine(Engines.PYTORCH).newGradientCollector()) {
                NDArray cos = theta.cos().expandDims(1)
                        .concat(manager.zeros(new Shape(n, numClasses - 1), dataType), 1);
                // The angular loss reads only the head output, so there are no features to pass.
                NDArray logits = loss.logits(cos, null, labels);
                probability = logits.softmax(1).get(":, 0").stopGradient();
                // Cross-entropy summed, not averaged, so each sample's gradient is its own ∂L/∂θ_y.
                gc.backward(EmbeddingLoss.crossEntropy(logits, labels).mul(n));
            }
            return new double[][] {toDoubles(probability), toDoubles(theta.getGradient())};
        }
    }

    private static double[] toDoubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }
}
