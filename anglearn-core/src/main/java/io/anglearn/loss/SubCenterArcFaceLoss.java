package io.anglearn.loss;

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
public final class SubCenterArcFaceLoss extends AdditiveAngularMarginLoss {

    /** Default number of sub-centres per class. */
    public static final int DEFAULT_SUB_CENTERS = 3;

    private final int subCenters;

    private SubCenterArcFaceLoss(Builder b) {
        super("subcenter-arcface", b);
        this.subCenters = b.subCenters;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int subCenters() {
        return subCenters;
    }

    /** Builds a {@link SubCenterArcFaceLoss}: ArcFace's settings and K in [1, 100]. */
    public static final class Builder extends AngularMarginBuilder<Builder> {
        private int subCenters = DEFAULT_SUB_CENTERS;

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

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
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public SubCenterArcFaceLoss build() {
            require(subCenters >= 1 && subCenters <= 100,
                    "subcenter-arcface: sub-centres K must be in [1, 100], got " + subCenters);
            validate("subcenter-arcface");
            return new SubCenterArcFaceLoss(this);
        }
    }
}
