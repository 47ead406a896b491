package io.anglearn.loss;

import ai.djl.ndarray.NDArray;

/**
 * The angular loss ({@code arc}) of J. Wu and L. Wang, "Angular Learning: Toward Discriminative
 * Embedded Features" (arXiv:1912.07819): an arccos after the normalised last layer, so the logit
 * of class j is {@code z_j = k·(π/2 − θ_j)} with {@code θ_j = arccos(cos θ_j)}.
 *
 * <p>The logit's gradient with respect to the angle is the constant −k: unlike softmax's
 * −s·sin θ it does not vanish as the feature approaches its class weight. The paper's equations
 * did not survive in the available text; this form is reconstructed from its statements (any
 * constant added to every logit leaves softmax unchanged, so −k·θ_j is the same loss).
 *
 * <p>Parameters: k, default {@value #DEFAULT_K}, chosen by a short Fashion-MNIST experiment
 * (docs/losses.md; the paper only says k "should be greater than 3"); ε, default
 * {@value EmbeddingLoss#DEFAULT_EPSILON}: cos θ is clamped to {@code [−1+ε, 1−ε]} before arccos,
 * whose derivative −1/√(1−c²) is infinite at ±1 (see {@link EmbeddingLoss#DEFAULT_EPSILON}).
 */
public final class AngularLoss extends EmbeddingLoss {

    /** Default scale k. */
    public static final double DEFAULT_K = 4.0;

    private final double k;
    private final double epsilon;

    private AngularLoss(Builder b) {
        super("arc");
        this.k = b.k;
        this.epsilon = b.epsilon;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns k. */
    public double k() {
        return k;
    }

    /** {@code z_j = k·(π/2 − θ_j)} with this loss's k and ε. */
    @Override
    public InferenceLogits inferenceLogits(int numClasses) {
        return InferenceLogits.angular(k, epsilon(), "the loss " + getName());
    }

    /** Returns the clamp margin ε. */
    public double epsilon() {
        return epsilon;
    }

    @Override
    public HeadKind headKind() {
        return HeadKind.COSINE;
    }

    @Override
    public NDArray logits(NDArray cos, NDArray features, NDArray labels) {
        return clampedAngle(cos, epsilon).mul(-k).add(k * Math.PI / 2);
    }

    /** Builds an {@link AngularLoss}. */
    public static final class Builder {
        private double k = DEFAULT_K;
        private double epsilon = DEFAULT_EPSILON;

        private Builder() {}

        /**
         * Sets k.
         *
         * @param k the constant angular gradient, a positive finite number (default {@value #DEFAULT_K})
         * @return this builder
         */
        public Builder optK(double k) {
            this.k = k;
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
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public AngularLoss build() {
            require(k > 0 && Double.isFinite(k), "arc: k must be a positive finite number, got " + k);
            checkEpsilon("arc", epsilon);
            return new AngularLoss(this);
        }
    }
}
