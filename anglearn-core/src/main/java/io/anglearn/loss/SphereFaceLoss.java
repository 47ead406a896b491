package io.anglearn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * SphereFace / A-Softmax ({@code sphereface}, alias {@code lsoftmax}): a multiplicative angular
 * margin, from W. Liu et al., "SphereFace: Deep Hypersphere Embedding for Face Recognition"
 * (CVPR 2017), which builds on W. Liu et al., "Large-Margin Softmax Loss for Convolutional Neural
 * Networks" (ICML 2016).
 *
 * <p>Class weights are normalised, features are not: {@code z_j = ‖x‖·cos θ_j} for j ≠ y and
 * {@code z_y = ‖x‖·(λ·cos θ_y + ψ(θ_y)) / (1 + λ)} with
 * {@code ψ(θ) = (−1)^n·cos(mθ) − 2n} on {@code [nπ/m, (n+1)π/m]}, a decreasing continuation of
 * cos(mθ) over [0, π]. (L-Softmax proper keeps ‖w_y‖ in the logit; the name {@code lsoftmax} here
 * means this normalised-weight form.)
 *
 * <p>λ anneals the margin in, since training with ψ alone rarely converges: after t optimiser
 * steps {@code λ = max(λ_min, λ_base·(1 + γ·t)^(−power))}. The defaults are those of the SphereFace
 * authors' released training configuration: λ_base = {@value #DEFAULT_LAMBDA_BASE}, γ =
 * {@value #DEFAULT_GAMMA}, power = {@value #DEFAULT_POWER}, λ_min = {@value #DEFAULT_LAMBDA_MIN}.
 * With λ_base = λ_min = 0 the logit is the pure ‖x‖·ψ(θ_y). The step t is this loss's state:
 * {@link #afterStep} advances it, {@link #saveState}/{@link #loadState} keep it.
 *
 * <p>Parameters: the integer margin m in [1, 10], default {@value #DEFAULT_M}; the annealing
 * constants above; the arccos clamp ε, default {@value EmbeddingLoss#DEFAULT_EPSILON}.
 */
public final class SphereFaceLoss extends EmbeddingLoss {

    /** Default multiplicative margin m. */
    public static final int DEFAULT_M = 4;
    /** Default initial λ. */
    public static final double DEFAULT_LAMBDA_BASE = 1000;
    /** Default annealing rate γ. */
    public static final double DEFAULT_GAMMA = 0.12;
    /** Default annealing power. */
    public static final double DEFAULT_POWER = 1;
    /** Default smallest λ. */
    public static final double DEFAULT_LAMBDA_MIN = 5;

    /** Added under the square root of ‖x‖², so a zero feature has a finite gradient. */
    private static final double NORM_FLOOR = 1e-12;
    private static final int STATE_VERSION = 1;

    private final int m;
    private final double lambdaBase;
    private final double gamma;
    private final double power;
    private final double lambdaMin;
    private final double epsilon;
    private long step;

    private SphereFaceLoss(Builder b, String name) {
        super(name);
        this.m = b.m;
        this.lambdaBase = b.lambdaBase;
        this.gamma = b.gamma;
        this.power = b.power;
        this.lambdaMin = b.lambdaMin;
        this.epsilon = b.epsilon;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns m. */
    public int m() {
        return m;
    }

    /** Returns the optimiser steps seen so far. */
    public long step() {
        return step;
    }

    /** Returns the current annealing weight λ. */
    public double lambda() {
        return Math.max(lambdaMin, lambdaBase * Math.pow(1 + gamma * step, -power));
    }

    /**
     * Returns ψ(θ) for angles in [0, π]; its gradient is that of (−1)^n·cos(mθ).
     *
     * @param theta angles
     * @param m the integer margin
     * @return ψ(θ)
     */
    public static NDArray psi(NDArray theta, int m) {
        NDArray n = theta.mul(m / Math.PI).floor().stopGradient().clip(0, m - 1);
        NDArray sign = n.mod(2).mul(-2).add(1);
        return sign.mul(theta.mul(m).cos()).sub(n.mul(2));
    }

    @Override
    public HeadKind headKind() {
        return HeadKind.COSINE;
    }

    /** {@code z_j = ‖x‖·cos θ_j}: the non-target logit of training, where ψ applies to the true class only. */
    @Override
    public InferenceLogits inferenceLogits(int numClasses) {
        return InferenceLogits.featureNormCosine("the loss " + getName());
    }

    @Override
    public NDArray logits(NDArray cos, NDArray features, NDArray labels) {
        NDArray norm = features.square().sum(new int[] {1}, true).add(NORM_FLOOR).sqrt();
        double lambda = lambda();
        NDArray target = cos.mul(lambda).add(psi(clampedAngle(cos, epsilon), m)).div(1 + lambda);
        return withTarget(cos, target, labels).mul(norm);
    }

    @Override
    public void afterStep(NDList predictions, NDArray labels) {
        step++;
    }

    @Override
    public void saveState(DataOutputStream os) throws IOException {
        os.writeInt(STATE_VERSION);
        os.writeLong(step);
    }

    @Override
    public void loadState(NDManager manager, DataInputStream is) throws IOException {
        int version = is.readInt();
        if (version != STATE_VERSION) {
            throw new IOException(getName() + ": unsupported state version " + version);
        }
        long s = is.readLong();
        if (s < 0) {
            throw new IOException(getName() + ": corrupt state, negative step " + s);
        }
        step = s;
    }

    /** Builds a {@link SphereFaceLoss}. */
    public static final class Builder {
        private int m = DEFAULT_M;
        private double lambdaBase = DEFAULT_LAMBDA_BASE;
        private double gamma = DEFAULT_GAMMA;
        private double power = DEFAULT_POWER;
        private double lambdaMin = DEFAULT_LAMBDA_MIN;
        private double epsilon = EmbeddingLoss.DEFAULT_EPSILON;

        private Builder() {}

        /**
         * Sets the multiplicative margin.
         *
         * @param m an integer in [1, 10] (default {@value #DEFAULT_M})
         * @return this builder
         */
        public Builder optM(int m) {
            this.m = m;
            return this;
        }

        /**
         * Sets the initial annealing weight.
         *
         * @param lambdaBase λ_base ≥ 0 (default {@value #DEFAULT_LAMBDA_BASE})
         * @return this builder
         */
        public Builder optLambdaBase(double lambdaBase) {
            this.lambdaBase = lambdaBase;
            return this;
        }

        /**
         * Sets the annealing rate.
         *
         * @param gamma γ ≥ 0 (default {@value #DEFAULT_GAMMA})
         * @return this builder
         */
        public Builder optGamma(double gamma) {
            this.gamma = gamma;
            return this;
        }

        /**
         * Sets the annealing power.
         *
         * @param power ≥ 0 (default {@value #DEFAULT_POWER})
         * @return this builder
         */
        public Builder optPower(double power) {
            this.power = power;
            return this;
        }

        /**
         * Sets the smallest annealing weight.
         *
         * @param lambdaMin λ_min ≥ 0 (default {@value #DEFAULT_LAMBDA_MIN})
         * @return this builder
         */
        public Builder optLambdaMin(double lambdaMin) {
            this.lambdaMin = lambdaMin;
            return this;
        }

        /**
         * Sets the arccos clamp margin.
         *
         * @param epsilon in (0, 0.1] (default {@value EmbeddingLoss#DEFAULT_EPSILON})
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Builds the loss under the name {@code sphereface}.
         *
         * @return the loss
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public SphereFaceLoss build() {
            return build("sphereface");
        }

        SphereFaceLoss build(String name) {
            require(m >= 1 && m <= 10, name + ": margin m must be an integer in [1, 10], got " + m);
            checkNonNegative(name, "lambda_base", lambdaBase);
            checkNonNegative(name, "gamma", gamma);
            checkNonNegative(name, "power", power);
            checkNonNegative(name, "lambda_min", lambdaMin);
            checkEpsilon(name, epsilon);
            return new SphereFaceLoss(this, name);
        }

        private static void checkNonNegative(String loss, String parameter, double value) {
            require(value >= 0 && Double.isFinite(value),
                    loss + ": " + parameter + " must be a finite number >= 0, got " + value);
        }
    }
}
