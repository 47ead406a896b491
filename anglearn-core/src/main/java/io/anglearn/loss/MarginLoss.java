package io.anglearn.loss;

/**
 * The large-margin family's common part: a cosine head ({@link HeadKind#COSINE}), a margin m that
 * makes the target class harder to reach, and a scale s on every logit. What the margin does to
 * the target logit is the subclass's: an additive angle in {@link AdditiveAngularMarginLoss}
 * ({@link ArcFaceLoss}, {@link SubCenterArcFaceLoss}), a subtracted cosine in {@link CosFaceLoss}.
 *
 * <p>The subclasses' builders share {@link BaseBuilder}, so a setting common to the family is
 * declared, documented and checked once.
 */
public abstract class MarginLoss extends EmbeddingLoss {

    private final double scale;
    private final double margin;

    /**
     * Creates the loss from its builder's settings.
     *
     * @param name the loss's name, as in {@link Losses}
     * @param builder the validated settings
     */
    MarginLoss(String name, BaseBuilder<?> builder) {
        super(name);
        this.scale = builder.scale;
        this.margin = builder.margin;
    }

    /** Returns the scale s. */
    public double scale() {
        return scale;
    }

    /** {@code z_j = s·cos θ_j}: the margin belongs to the true class, which a prediction does not know. */
    @Override
    public InferenceLogits inferenceLogits(int numClasses) {
        return InferenceLogits.scaledCosine(scale, "s of the loss " + getName());
    }

    /** Returns the margin m (radians for the angular margins, a cosine for CosFace). */
    public double margin() {
        return margin;
    }

    @Override
    public final HeadKind headKind() {
        return HeadKind.COSINE;
    }

    /**
     * The settings every margin loss has. Each subclass's builder starts from that loss's own
     * defaults ({@code DEFAULT_SCALE}, {@code DEFAULT_MARGIN}) and checks the margin's range.
     *
     * @param <B> the concrete builder, returned by the setters so calls chain
     */
    public abstract static class BaseBuilder<B extends BaseBuilder<B>> {
        double scale;
        double margin;

        BaseBuilder(double defaultScale, double defaultMargin) {
            this.scale = defaultScale;
            this.margin = defaultMargin;
        }

        /**
         * Sets the scale.
         *
         * @param scale s, a positive finite number (default: the loss's {@code DEFAULT_SCALE})
         * @return this builder
         */
        public B optScale(double scale) {
            this.scale = scale;
            return self();
        }

        /**
         * Sets the margin.
         *
         * @param margin m, in the range the loss documents (default: the loss's {@code DEFAULT_MARGIN})
         * @return this builder
         */
        public B optMargin(double margin) {
            this.margin = margin;
            return self();
        }

        /** Returns this builder as its concrete type. */
        abstract B self();
    }
}
