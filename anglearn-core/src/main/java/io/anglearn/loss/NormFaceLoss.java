package io.anglearn.loss;

import ai.djl.ndarray.NDArray;

/**
 * NormFace ({@code normface}) of F. Wang, X. Xiang, J. Cheng and A. L. Yuille, "NormFace: L2
 * Hypersphere Embedding for Face Verification" (ACM MM 2017): softmax over scaled cosines,
 * {@code z_j = s·cos θ_j}, with features and class weights L2-normalised.
 *
 * <p>Parameter: the scale s, default {@value #DEFAULT_SCALE}. NormFace shows that without a
 * scale the normalised softmax cannot reach a low loss; the default here is a fixed value of the
 * size the paper's analysis calls for with tens of classes (the paper also lets s be learned).
 */
public final class NormFaceLoss extends EmbeddingLoss {

    /** Default scale s. */
    public static final double DEFAULT_SCALE = 16.0;

    private final double scale;

    private NormFaceLoss(Builder b) {
        super("normface");
        this.scale = b.scale;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns s. */
    public double scale() {
        return scale;
    }

    /** {@code z_j = s·cos θ_j}, as in training. */
    @Override
    public InferenceLogits inferenceLogits(int numClasses) {
        return InferenceLogits.scaledCosine(scale, "s of the loss " + getName());
    }

    @Override
    public HeadKind headKind() {
        return HeadKind.COSINE;
    }

    @Override
    public NDArray logits(NDArray cos, NDArray features, NDArray labels) {
        return cos.mul(scale);
    }

    /** Builds a {@link NormFaceLoss}. */
    public static final class Builder {
        private double scale = DEFAULT_SCALE;

        private Builder() {}

        /**
         * Sets the scale.
         *
         * @param scale s, a positive finite number (default {@value #DEFAULT_SCALE})
         * @return this builder
         */
        public Builder optScale(double scale) {
            this.scale = scale;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if s is out of range
         */
        public NormFaceLoss build() {
            checkScale("normface", scale);
            return new NormFaceLoss(this);
        }
    }
}
