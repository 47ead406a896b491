package io.anglearn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.anglearn.loss.miners.MinedPairs;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contrastive loss ({@code contrastive}) of R. Hadsell, S. Chopra and Y. LeCun,
 * "Dimensionality Reduction by Learning an Invariant Mapping" (CVPR 2006), with a margin on each
 * side: positive pairs are pulled until their distance is at most {@code m_pos}, negative pairs
 * pushed until it is at least {@code m_neg}:
 * {@code L = mean⁺_{(i,j) positive} ½·[d_ij − m_pos]₊² + mean⁺_{(i,j) negative} ½·[m_neg − d_ij]₊²}.
 *
 * <p>With {@code m_pos = 0} and the Euclidean distance of raw features this is Hadsell et al.'s
 * loss with margin {@code m = m_neg}. {@code mean⁺} averages over the pairs whose term is not zero
 * (0 if there is none), as pytorch-metric-learning's default reducer and Musgrave, Belongie and
 * Lim's comparison ("A Metric Learning Reality Check", ECCV 2020) do: averaging over every pair
 * would let the many pairs that already satisfy their margin shrink the gradient of the few that
 * do not. Pairs are ordered, so without a miner every unordered pair counts twice, which leaves
 * the means unchanged.
 *
 * <p>Parameters: {@code pos_margin} m_pos ≥ 0, default {@value #DEFAULT_POSITIVE_MARGIN};
 * {@code neg_margin} m_neg &gt; m_pos, default {@value #DEFAULT_NEGATIVE_MARGIN}; the distance,
 * by default Euclidean between L2-normalised features (in [0, 2]), with {@code cosine} the cosine
 * distance {@code 1 − cos θ_ij} (also in [0, 2]), and with {@code normalize} off the Euclidean
 * distance of the raw features; an optional miner.
 */
public final class ContrastiveLoss extends PairLoss {

    /** Default positive margin. */
    public static final double DEFAULT_POSITIVE_MARGIN = 0.0;
    /** Default negative margin. */
    public static final double DEFAULT_NEGATIVE_MARGIN = 1.0;

    /** The name of the positive-pair term in {@link #terms}. */
    public static final String POSITIVE_TERM = "positive pairs";
    /** The name of the negative-pair term in {@link #terms}. */
    public static final String NEGATIVE_TERM = "negative pairs";

    private final double positiveMargin;
    private final double negativeMargin;
    private final boolean cosine;
    private final boolean normalize;
    private final Distance distance;

    private ContrastiveLoss(Builder b) {
        super("contrastive", b.miner);
        positiveMargin = b.positiveMargin;
        negativeMargin = b.negativeMargin;
        cosine = b.cosine;
        normalize = b.normalize;
        distance = b.distance != null ? b.distance : cosine ? Distance.cosine() : Distance.euclidean(normalize, false);
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns m_pos. */
    public double positiveMargin() {
        return positiveMargin;
    }

    /** Returns m_neg. */
    public double negativeMargin() {
        return negativeMargin;
    }

    /** Returns whether the distance was chosen as the cosine distance 1 − cos θ ({@link Builder#optCosine}). */
    public boolean cosine() {
        return cosine;
    }

    /** Returns whether the Euclidean distance is taken between L2-normalised features. */
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

    /** Returns the positive-pair and negative-pair terms. */
    @Override
    public Map<String, NDArray> terms(NDList labels, NDList predictions) {
        NDArray x = predictions.get(0);
        int[] y = hostLabels(labels, x);
        NDArray d = distances(x);
        MinedPairs p = select(d, y, false).pairs();
        NDArray pos = gather(d, p.positiveAnchors(), p.positives()).sub(positiveMargin).maximum(0);
        NDArray neg = gather(d, p.negativeAnchors(), p.negatives()).neg().add(negativeMargin).maximum(0);
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put(POSITIVE_TERM, meanOfActive(pos.square().mul(0.5)));
        terms.put(NEGATIVE_TERM, meanOfActive(neg.square().mul(0.5)));
        return terms;
    }

    /** Builds a {@link ContrastiveLoss}. */
    public static final class Builder extends PairLoss.BaseBuilder<Builder> {
        private double positiveMargin = DEFAULT_POSITIVE_MARGIN;
        private double negativeMargin = DEFAULT_NEGATIVE_MARGIN;
        private boolean cosine;
        private boolean normalize = true;
        private Distance distance;

        private Builder() {}

        /**
         * Sets the distance, replacing what {@link #optCosine} and {@link #optNormalize} choose.
         *
         * @param distance the distance (default: Euclidean between L2-normalised features)
         * @return this builder
         */
        public Builder optDistance(Distance distance) {
            this.distance = distance;
            return this;
        }

        /**
         * Sets the positive margin.
         *
         * @param margin m_pos, a finite number ≥ 0 (default {@value #DEFAULT_POSITIVE_MARGIN})
         * @return this builder
         */
        public Builder optPositiveMargin(double margin) {
            this.positiveMargin = margin;
            return this;
        }

        /**
         * Sets the negative margin.
         *
         * @param margin m_neg, a finite number &gt; m_pos (default {@value #DEFAULT_NEGATIVE_MARGIN})
         * @return this builder
         */
        public Builder optNegativeMargin(double margin) {
            this.negativeMargin = margin;
            return this;
        }

        /**
         * Chooses the cosine distance {@code 1 − cos θ} instead of the Euclidean one.
         *
         * @param cosine true for the cosine distance (default false)
         * @return this builder
         */
        public Builder optCosine(boolean cosine) {
            this.cosine = cosine;
            return this;
        }

        /**
         * Chooses whether the Euclidean distance is taken between L2-normalised features.
         *
         * @param normalize false for the raw features, Hadsell et al.'s form (default true); the
         *     cosine distance always normalises
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
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public ContrastiveLoss build() {
            require(positiveMargin >= 0 && Double.isFinite(positiveMargin),
                    "contrastive: pos_margin must be a finite number >= 0, got " + positiveMargin);
            require(negativeMargin > positiveMargin && Double.isFinite(negativeMargin),
                    "contrastive: neg_margin must be a finite number > pos_margin (" + positiveMargin + "), got "
                            + negativeMargin);
            require(normalize || !cosine, "contrastive: the cosine distance always normalises; normalize=0 applies"
                    + " only to the Euclidean distance (cosine=0)");
            return new ContrastiveLoss(this);
        }
    }
}
