package io.anglearn.loss;

import ai.djl.ndarray.NDArray;

/**
 * CosFace / AM-Softmax ({@code cosface}): an additive cosine margin, {@code z_y = s·(cos θ_y − m)}
 * and {@code z_j = s·cos θ_j} for j ≠ y. From H. Wang et al., "CosFace: Large Margin Cosine Loss
 * for Deep Face Recognition" (CVPR 2018), and F. Wang et al., "Additive Margin Softmax for Face
 * Verification" (IEEE SPL 2018).
 *
 * <p>Parameters: scale s, default {@value #DEFAULT_SCALE}, and margin m, default
 * {@value #DEFAULT_MARGIN} (CosFace's values), with 0 ≤ m ≤ 1.
 */
public final class CosFaceLoss extends EmbeddingLoss {

    /** Default scale s. */
    public static final double DEFAULT_SCALE = 64.0;
    /** Default cosine margin m. */
    public static final double DEFAULT_MARGIN = 0.35;

    private final double scale;
    private final double margin;

    private CosFaceLoss(Builder b) {
        super("cosface");
        this.scale = b.scale;
        this.margin = b.margin;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns s. */
    public double scale() {
        return scale;
    }

    /** Returns m. */
    public double margin() {
        return margin;
    }

    @Override
    public HeadKind headKind() {
        return HeadKind.COSINE;
    }

    @Override
    public NDArray logits(NDArray cos, NDArray features, NDArray labels) {
        return cos.sub(targetMask(labels, cos).mul(margin)).mul(scale);
    }

    /** Builds a {@link CosFaceLoss}. */
    public static final class Builder {
        private double scale = DEFAULT_SCALE;
        private double margin = DEFAULT_MARGIN;

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
         * Sets the cosine margin.
         *
         * @param margin m in [0, 1] (default {@value #DEFAULT_MARGIN})
         * @return this builder
         */
        public Builder optMargin(double margin) {
            this.margin = margin;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public CosFaceLoss build() {
            checkScale("cosface", scale);
            require(margin >= 0 && margin <= 1, "cosface: margin m must be in [0, 1], got " + margin);
            return new CosFaceLoss(this);
        }
    }
}
