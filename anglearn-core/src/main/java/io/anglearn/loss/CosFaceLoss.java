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
public final class CosFaceLoss extends MarginLoss {

    /** Default scale s. */
    public static final double DEFAULT_SCALE = 64.0;
    /** Default cosine margin m. */
    public static final double DEFAULT_MARGIN = 0.35;

    private CosFaceLoss(Builder b) {
        super("cosface", b);
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public NDArray logits(NDArray cos, NDArray features, NDArray labels) {
        return cos.sub(targetMask(labels, cos).mul(margin())).mul(scale());
    }

    /** Builds a {@link CosFaceLoss}: s in (0, ∞), m in [0, 1]. */
    public static final class Builder extends MarginLoss.BaseBuilder<Builder> {

        private Builder() {
            super(DEFAULT_SCALE, DEFAULT_MARGIN);
        }

        @Override
        Builder self() {
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
