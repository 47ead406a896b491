package io.anglearn.loss;

import ai.djl.ndarray.NDArray;

/**
 * ArcFace ({@code arcface}) of J. Deng, J. Guo, N. Xue and S. Zafeiriou, "ArcFace: Additive
 * Angular Margin Loss for Deep Face Recognition" (CVPR 2019): an additive angular margin on the
 * target class, {@code z_y = s·cos(θ_y + m)} and {@code z_j = s·cos θ_j} for j ≠ y.
 *
 * <p>Past {@code θ_y = π − m}, cos(θ_y + m) would rise again with θ_y and reward a worse feature.
 * By default this class uses the threshold form of the authors' insightface code: where
 * {@code cos θ_y ≤ cos(π − m)} the target logit becomes {@code s·(cos θ_y − m·sin m)}, which keeps
 * z_y decreasing in θ_y (it steps down by s·(cos m + m·sin m − 1) at the threshold, about 0.117·s
 * for m = 0.5). With {@code easyMargin} the margin is applied only where cos θ_y &gt; 0 and the
 * logit is the plain s·cos θ_y elsewhere.
 *
 * <p>Parameters: scale s, default {@value #DEFAULT_SCALE}; margin m in radians, default
 * {@value #DEFAULT_MARGIN}, with 0 ≤ m &lt; π/2; easy margin, default off; arccos clamp ε, default
 * {@value AngularLoss#DEFAULT_EPSILON} (as in {@link AngularLoss}).
 */
public final class ArcFaceLoss extends EmbeddingLoss {

    /** Default scale s. */
    public static final double DEFAULT_SCALE = 64.0;
    /** Default angular margin m, in radians. */
    public static final double DEFAULT_MARGIN = 0.5;

    private final double scale;
    private final double margin;
    private final boolean easyMargin;
    private final double epsilon;

    private ArcFaceLoss(Builder b) {
        super("arcface");
        this.scale = b.scale;
        this.margin = b.margin;
        this.easyMargin = b.easyMargin;
        this.epsilon = b.epsilon;
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

    /** Returns whether the easy margin replaces the threshold form. */
    public boolean easyMargin() {
        return easyMargin;
    }

    @Override
    public HeadKind headKind() {
        return HeadKind.COSINE;
    }

    @Override
    public NDArray logits(NDArray cos, NDArray features, NDArray labels) {
        return marginLogits(cos, labels, scale, margin, easyMargin, epsilon);
    }

    /** ArcFace's logits, shared with {@link SubCenterArcFaceLoss}. */
    static NDArray marginLogits(NDArray cos, NDArray labels, double scale, double margin, boolean easyMargin,
            double epsilon) {
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
        return withTarget(cos, target, labels).mul(scale);
    }

    /** Builds an {@link ArcFaceLoss}. */
    public static final class Builder {
        private double scale = DEFAULT_SCALE;
        private double margin = DEFAULT_MARGIN;
        private boolean easyMargin;
        private double epsilon = AngularLoss.DEFAULT_EPSILON;

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
         * Sets the angular margin.
         *
         * @param margin m in radians, in [0, π/2) (default {@value #DEFAULT_MARGIN})
         * @return this builder
         */
        public Builder optMargin(double margin) {
            this.margin = margin;
            return this;
        }

        /**
         * Chooses the easy margin instead of the threshold form.
         *
         * @param easyMargin true to apply the margin only where cos θ_y &gt; 0 (default false)
         * @return this builder
         */
        public Builder optEasyMargin(boolean easyMargin) {
            this.easyMargin = easyMargin;
            return this;
        }

        /**
         * Sets the arccos clamp margin.
         *
         * @param epsilon in (0, 0.1] (default {@value AngularLoss#DEFAULT_EPSILON})
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
        public ArcFaceLoss build() {
            validate("arcface", scale, margin, epsilon);
            return new ArcFaceLoss(this);
        }
    }

    static void validate(String loss, double scale, double margin, double epsilon) {
        checkScale(loss, scale);
        require(margin >= 0 && margin < Math.PI / 2, loss + ": margin m must be in [0, π/2) radians, got " + margin);
        checkEpsilon(loss, epsilon);
    }
}
