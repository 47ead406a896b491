package io.anglearn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * AdaCos ({@code adacos}) of X. Zhang, R. Zhao, Y. Qiao, X. Wang and H. Li, "AdaCos: Adaptively
 * Scaling Cosine Logits for Effectively Learning Deep Face Representations" (CVPR 2019): softmax
 * over {@code z_j = s·cos θ_j} with the scale s set from the data instead of tuned.
 *
 * <p>Fixed AdaCos uses {@code s = √2·log(C − 1)}. Dynamic AdaCos (the default) starts there and
 * after each training step t sets {@code s_t = log(B_t) / cos(min(π/4, θ_med))} where
 * {@code B_t = (1/N)·Σ_i Σ_{j ≠ y_i} exp(s_{t−1}·cos θ_ij)} and θ_med is the median target angle of
 * the step's batch (the paper's equation 16), computed in {@link #afterStep} without gradient, in
 * double precision. The paper's algorithm uses s_t already for batch t's own loss; here batch t's
 * loss uses s_{t−1}, a lag of one step that keeps {@link #evaluate} free of side effects (the
 * scale moves little from one step to the next). The scale is never set below 0.1 (the fixed
 * formula gives 0 for C = 2).
 *
 * <p>Parameters: dynamic, default true; the arccos clamp ε for θ_med, default
 * {@value EmbeddingLoss#DEFAULT_EPSILON}.
 */
public final class AdaCosLoss extends EmbeddingLoss {

    private static final int STATE_VERSION = 1;
    private static final double MIN_SCALE = 0.1;

    private final boolean dynamic;
    private final double epsilon;
    private double committedScale = Double.NaN;

    private AdaCosLoss(Builder b) {
        super("adacos");
        this.dynamic = b.dynamic;
        this.epsilon = b.epsilon;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns whether the scale adapts during training. */
    public boolean dynamic() {
        return dynamic;
    }

    /**
     * Returns the fixed AdaCos scale √2·log(C − 1), at least 0.1.
     *
     * @param numClasses C
     * @return the scale
     */
    public static double fixedScale(long numClasses) {
        return Math.max(MIN_SCALE, Math.sqrt(2) * Math.log(numClasses - 1));
    }

    /**
     * Returns the scale the loss uses now.
     *
     * @param numClasses C
     * @return the last adapted scale, or the fixed scale before any
     */
    public double scale(long numClasses) {
        return Double.isNaN(committedScale) ? fixedScale(numClasses) : committedScale;
    }

    /** {@code z_j = s·cos θ_j} with the scale of the restored state: the last adapted one, or the fixed one. */
    @Override
    public InferenceLogits inferenceLogits(int numClasses) {
        return InferenceLogits.scaledCosine(scale(numClasses), dynamic
                ? "the adapted s of the loss " + getName() + " at this checkpoint" : "the fixed s of the loss " + getName());
    }

    @Override
    public HeadKind headKind() {
        return HeadKind.COSINE;
    }

    @Override
    public NDArray logits(NDArray cos, NDArray features, NDArray labels) {
        return cos.mul(scale(cos.getShape().get(1)));
    }

    /** Equation 16 of the paper, in double precision on the host. */
    private double adaptedScale(NDArray cos, NDArray labels, double previous) {
        int n = (int) cos.getShape().get(0);
        int c = (int) cos.getShape().get(1);
        if (n == 0) {
            return previous;
        }
        double[] values = cos.stopGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        long[] y = labels.toType(DataType.INT64, false).toLongArray();
        double sum = 0;
        double[] targetAngles = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                if (j != y[i]) {
                    sum += Math.exp(previous * values[i * c + j]);
                }
            }
            double t = Math.min(1 - epsilon, Math.max(-1 + epsilon, values[i * c + (int) y[i]]));
            targetAngles[i] = Math.acos(t);
        }
        Arrays.sort(targetAngles);
        double median = n % 2 == 1 ? targetAngles[n / 2] : (targetAngles[n / 2 - 1] + targetAngles[n / 2]) / 2;
        double s = Math.log(sum / n) / Math.cos(Math.min(Math.PI / 4, median));
        return Double.isFinite(s) ? Math.max(MIN_SCALE, s) : previous;
    }

    @Override
    public void afterStep(NDList predictions, NDArray labels) {
        if (dynamic) {
            NDArray cos = predictions.get(1);
            committedScale = adaptedScale(cos, labels, scale(cos.getShape().get(1)));
        }
    }

    @Override
    public void saveState(DataOutputStream os) throws IOException {
        os.writeInt(STATE_VERSION);
        os.writeDouble(committedScale);
    }

    @Override
    public void loadState(NDManager manager, DataInputStream is) throws IOException {
        int version = is.readInt();
        if (version != STATE_VERSION) {
            throw new IOException("adacos: unsupported state version " + version);
        }
        double s = is.readDouble();
        if (!Double.isNaN(s) && !(s >= MIN_SCALE && Double.isFinite(s))) {
            throw new IOException("adacos: corrupt state, scale " + s);
        }
        committedScale = s;
    }

    /** Builds an {@link AdaCosLoss}. */
    public static final class Builder {
        private boolean dynamic = true;
        private double epsilon = EmbeddingLoss.DEFAULT_EPSILON;

        private Builder() {}

        /**
         * Chooses dynamic or fixed AdaCos.
         *
         * @param dynamic true to adapt the scale every training step (default true)
         * @return this builder
         */
        public Builder optDynamic(boolean dynamic) {
            this.dynamic = dynamic;
            return this;
        }

        /**
         * Sets the arccos clamp margin used for the median angle.
         *
         * @param epsilon in (0, 0.1] (default {@value EmbeddingLoss#DEFAULT_EPSILON})
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public AdaCosLoss build() {
            checkEpsilon("adacos", epsilon);
            return new AdaCosLoss(this);
        }
    }
}
