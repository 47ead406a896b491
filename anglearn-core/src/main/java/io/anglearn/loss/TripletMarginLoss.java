package io.anglearn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.anglearn.loss.miners.MinedTriplets;
import java.util.Map;

/**
 * The triplet loss with margin ({@code triplet}) of F. Schroff, D. Kalenichenko and J. Philbin,
 * "FaceNet: A Unified Embedding for Face Recognition and Clustering" (CVPR 2015): for a triplet
 * of an anchor a, a positive p of its class and a negative n of another,
 * {@code [d(a, p) − d(a, n) + α]₊}, so the positive ends up at least α nearer than the negative.
 *
 * <p>The loss is the mean over the triplets whose term is not zero (0 if there is none), as in
 * pytorch-metric-learning and Musgrave, Belongie and Lim's comparison (ECCV 2020): the triplets
 * that already satisfy the margin, usually most of them, would otherwise dilute the rest. Without
 * a miner every triplet of the batch counts, up to {@link MinedTriplets#MAX_TRIPLETS}; FaceNet
 * itself mines semi-hard negatives ({@code --miner semi-hard}).
 *
 * <p>Parameters: the margin α ≥ 0, default {@value #DEFAULT_MARGIN} (FaceNet's); the distance, by
 * default FaceNet's squared Euclidean distance between L2-normalised features (in [0, 4]), with
 * {@code squared} off the plain Euclidean distance (in [0, 2]), with {@code normalize} off that of
 * the raw features; an optional miner.
 */
public final class TripletMarginLoss extends PairLoss {

    /** Default margin α. */
    public static final double DEFAULT_MARGIN = 0.2;

    /** The name of the loss's one term in {@link #terms}. */
    public static final String TRIPLET_TERM = "triplets";

    private final double margin;
    private final boolean squared;
    private final boolean normalize;
    private final Distance distance;

    private TripletMarginLoss(Builder b) {
        super("triplet", b.miner);
        margin = b.margin;
        squared = b.squared;
        normalize = b.normalize;
        distance = b.distance != null ? b.distance : Distance.euclidean(normalize, squared);
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns α. */
    public double margin() {
        return margin;
    }

    /** Returns whether the distance is squared. */
    public boolean squared() {
        return squared;
    }

    /** Returns whether the features are L2-normalised first. */
    public boolean normalize() {
        return normalize;
    }

    /**
     * Returns the pairwise distances this loss uses.
     *
     * @param features {@code n×d}
     * @return {@code n×n} distances
     */
    public NDArray distances(NDArray features) {
        return distance.pairwise(features);
    }

    @Override
    public Distance distance() {
        return distance;
    }

    /** Returns the one term, the mean hinge of the active triplets. */
    @Override
    public Map<String, NDArray> terms(NDList labels, NDList predictions) {
        NDArray x = predictions.get(0);
        int[] y = hostLabels(labels, x);
        NDArray d = distances(x);
        MinedTriplets t = select(d, y, true).triplets();
        NDArray ap = gather(d, t.anchors(), t.positives());
        NDArray an = gather(d, t.anchors(), t.negatives());
        return Map.of(TRIPLET_TERM, meanOfActive(ap.sub(an).add(margin).maximum(0)));
    }

    /** Builds a {@link TripletMarginLoss}. */
    public static final class Builder extends PairLoss.BaseBuilder<Builder> {
        private double margin = DEFAULT_MARGIN;
        private boolean squared = true;
        private boolean normalize = true;
        private Distance distance;

        private Builder() {}

        /**
         * Sets the distance, replacing what {@link #optSquared} and {@link #optNormalize} choose.
         *
         * @param distance the distance (default: squared Euclidean between L2-normalised features)
         * @return this builder
         */
        public Builder optDistance(Distance distance) {
            this.distance = distance;
            return this;
        }

        /**
         * Sets the margin.
         *
         * @param margin α, a finite number ≥ 0 (default {@value #DEFAULT_MARGIN})
         * @return this builder
         */
        public Builder optMargin(double margin) {
            this.margin = margin;
            return this;
        }

        /**
         * Chooses the squared Euclidean distance (FaceNet's) or the plain one.
         *
         * @param squared true for squared distances (default true)
         * @return this builder
         */
        public Builder optSquared(boolean squared) {
            this.squared = squared;
            return this;
        }

        /**
         * Chooses whether the features are L2-normalised first (FaceNet's unit hypersphere).
         *
         * @param normalize true to normalise (default true)
         * @return this builder
         */
        public Builder optNormalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if the margin is out of range
         */
        public TripletMarginLoss build() {
            require(margin >= 0 && Double.isFinite(margin), "triplet: margin must be a finite number >= 0, got " + margin);
            return new TripletMarginLoss(this);
        }
    }
}
