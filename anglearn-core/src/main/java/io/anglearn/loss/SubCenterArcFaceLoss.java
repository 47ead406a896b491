package io.anglearn.loss;

import ai.djl.ndarray.NDArray;

/**
 * Sub-center ArcFace ({@code subcenter-arcface}) of J. Deng, J. Guo, T. Liu, M. Gong and
 * S. Zafeiriou, "Sub-center ArcFace: Boosting Face Recognition by Large-Scale Noisy Web Faces"
 * (ECCV 2020): each class owns K sub-centres, the head keeps, per class, the largest cosine over
 * them (see {@link ClassifierHead}), and ArcFace's margin is applied to that cosine. A noisy sample
 * can then sit near a non-dominant sub-centre without pulling the dominant one.
 *
 * <p>Parameters: sub-centres K, default {@value #DEFAULT_SUB_CENTERS}; scale s, margin m, easy
 * margin and ε as {@link ArcFaceLoss} (defaults 64, 0.5, off, 1e-6). The paper's later step of
 * dropping non-dominant sub-centres and cleaning the data is not part of this loss.
 */
public final class SubCenterArcFaceLoss extends EmbeddingLoss {

    /** Default number of sub-centres per class. */
    public static final int DEFAULT_SUB_CENTERS = 3;

    private final int subCenters;
    private final double scale;
    private final double margin;
    private final boolean easyMargin;
    private final double epsilon;

    private SubCenterArcFaceLoss(Builder b) {
        super("subcenter-arcface");
        this.subCenters = b.subCenters;
        this.scale = b.scale;
        this.margin = b.margin;
        this.easyMargin = b.easyMargin;
        this.epsilon = b.epsilon;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int subCenters() {
        return subCenters;
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
        return ArcFaceLoss.marginLogits(cos, labels, scale, margin, easyMargin, epsilon);
    }

    /** Builds a {@link SubCenterArcFaceLoss}. */
    public static final class Builder {
        private int subCenters = DEFAULT_SUB_CENTERS;
        private double scale = ArcFaceLoss.DEFAULT_SCALE;
        private double margin = ArcFaceLoss.DEFAULT_MARGIN;
        private boolean easyMargin;
        private double epsilon = AngularLoss.DEFAULT_EPSILON;

        private Builder() {}

        /**
         * Sets the number of sub-centres per class.
         *
         * @param subCenters K in [1, 100] (default {@value #DEFAULT_SUB_CENTERS})
         * @return this builder
         */
        public Builder optSubCenters(int subCenters) {
            this.subCenters = subCenters;
            return this;
        }

        /**
         * Sets the scale.
         *
         * @param scale s, a positive finite number (default {@value ArcFaceLoss#DEFAULT_SCALE})
         * @return this builder
         */
        public Builder optScale(double scale) {
            this.scale = scale;
            return this;
        }

        /**
         * Sets the angular margin.
         *
         * @param margin m in radians, in [0, π/2) (default {@value ArcFaceLoss#DEFAULT_MARGIN})
         * @return this builder
         */
        public Builder optMargin(double margin) {
            this.margin = margin;
            return this;
        }

        /**
         * Chooses the easy margin instead of the threshold form (see {@link ArcFaceLoss}).
         *
         * @param easyMargin true for the easy margin (default false)
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
        public SubCenterArcFaceLoss build() {
            require(subCenters >= 1 && subCenters <= 100,
                    "subcenter-arcface: sub-centres K must be in [1, 100], got " + subCenters);
            ArcFaceLoss.validate("subcenter-arcface", scale, margin, epsilon);
            return new SubCenterArcFaceLoss(this);
        }
    }
}
