package io.anglearn.loss;

import ai.djl.ndarray.NDArray;

/**
 * The additive angular margin of J. Deng, J. Guo, N. Xue and S. Zafeiriou, "ArcFace: Additive
 * Angular Margin Loss for Deep Face Recognition" (CVPR 2019), shared by {@link ArcFaceLoss} and
 * {@link SubCenterArcFaceLoss}: {@code z_y = s·cos(θ_y + m)} for the target class and
 * {@code z_j = s·cos θ_j} for the others, with the threshold form or the easy margin past
 * {@code θ_y = π − m} as {@link ArcFaceLoss} describes.
 *
 * <p>Parameters: scale s, default {@value ArcFaceLoss#DEFAULT_SCALE}; margin m in radians, default
 * {@value ArcFaceLoss#DEFAULT_MARGIN}, with 0 ≤ m &lt; π/2; easy margin, default off; arccos clamp
 * ε, default {@value EmbeddingLoss#DEFAULT_EPSILON}.
 */
public abstract class AdditiveAngularMarginLoss extends MarginLoss {

    private final boolean easyMargin;
    private final double epsilon;

    AdditiveAngularMarginLoss(String name, AngularMarginBuilder<?> b) {
        super(name, b);
        this.easyMargin = b.easyMargin;
        this.epsilon = b.epsilon;
    }

    /** Returns whether the easy margin replaces the threshold form. */
    public boolean easyMargin() {
        return easyMargin;
    }

    @Override
    public NDArray logits(NDArray cos, NDArray features, NDArray labels) {
        double margin = margin();
        NDArray withMargin = clampedAngle(cos, epsilon).add(margin).cos();
        NDArray fallback;
        NDArray useMargin;
        if (easyMargin) {
            fallback = cos;
            useMargin = cos.gt(0);
        } else {
            fallback = cos.sub(margin * Math.sin(margin));
            useMargin = cos.gt(Math.cos(Math.PI - margin));
        }
        NDArray target = fallback.add(useMargin.toType(cos.getDataType(), false).mul(withMargin.sub(fallback)));
        return withTarget(cos, target, labels).mul(scale());
    }

    /**
     * The settings of the additive angular margin losses, starting from ArcFace's defaults.
     *
     * @param <B> the concrete builder
     */
    public abstract static class AngularMarginBuilder<B extends AngularMarginBuilder<B>>
            extends MarginLoss.BaseBuilder<B> {
        boolean easyMargin;
        double epsilon = EmbeddingLoss.DEFAULT_EPSILON;

        AngularMarginBuilder() {
            super(ArcFaceLoss.DEFAULT_SCALE, ArcFaceLoss.DEFAULT_MARGIN);
        }

        /**
         * Chooses the easy margin instead of the threshold form.
         *
         * @param easyMargin true to apply the margin only where cos θ_y &gt; 0 (default false)
         * @return this builder
         */
        public B optEasyMargin(boolean easyMargin) {
            this.easyMargin = easyMargin;
            return self();
        }

        /**
         * Sets the arccos clamp margin.
         *
         * @param epsilon in (0, 0.1] (default {@value EmbeddingLoss#DEFAULT_EPSILON})
         * @return this builder
         */
        public B optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return self();
        }

        /** Checks s, m (in [0, π/2) radians) and ε, naming {@code loss} in the message. */
        void validate(String loss) {
            checkScale(loss, scale);
            require(margin >= 0 && margin < Math.PI / 2,
                    loss + ": margin m must be in [0, π/2) radians, got " + margin);
            checkEpsilon(loss, epsilon);
        }
    }
}
