package io.anglearn.loss;

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
 * {@value EmbeddingLoss#DEFAULT_EPSILON}.
 */
public final class ArcFaceLoss extends AdditiveAngularMarginLoss {

    /** Default scale s. */
    public static final double DEFAULT_SCALE = 64.0;
    /** Default angular margin m, in radians. */
    public static final double DEFAULT_MARGIN = 0.5;

    private ArcFaceLoss(Builder b) {
        super("arcface", b);
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link ArcFaceLoss}: s in (0, ∞), m in [0, π/2) radians, ε in (0, 0.1]. */
    public static final class Builder extends AngularMarginBuilder<Builder> {

        private Builder() {}

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
        public ArcFaceLoss build() {
            validate("arcface");
            return new ArcFaceLoss(this);
        }
    }
}
