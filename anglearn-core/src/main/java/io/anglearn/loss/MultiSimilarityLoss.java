package io.anglearn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.anglearn.loss.miners.MinedPairs;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The multi-similarity loss ({@code multi-similarity}) of X. Wang, X. Han, W. Huang, D. Dong and
 * M. R. Scott, "Multi-Similarity Loss with General Pair Weighting for Deep Metric Learning" (CVPR
 * 2019, eq. 11): with the cosine similarity {@code S_ik = x̂_i·x̂_k} and, for each anchor i, its
 * positive pairs P_i and negative pairs N_i,
 * <pre>
 * L = (1/n) Σ_i [ (1/α)·log(1 + Σ_{k∈P_i} e^{−α(S_ik − λ)}) + (1/β)·log(1 + Σ_{k∈N_i} e^{β(S_ik − λ)}) ]
 * </pre>
 * Each sum weighs a pair by its own similarity and by the other pairs of the anchor, softly
 * favouring the hard ones. As in the paper the mean is over all n samples of the batch; an anchor
 * without pairs adds 0. The paper chooses the pairs with its own miner
 * ({@code --miner multi-similarity}, eq. 7 and 8); without a miner every pair counts. Each
 * log(1 + Σ e^z) is computed as {@code m + log(e^{−m} + Σ e^{z − m})} with m the largest z (at
 * least 0), which cannot overflow.
 *
 * <p>Parameters: α &gt; 0, default {@value #DEFAULT_ALPHA}; β &gt; 0, default {@value #DEFAULT_BETA}
 * (both the paper's); λ in [−1, 1], default {@value #DEFAULT_LAMBDA}, the value of the authors'
 * released code and of pytorch-metric-learning; an optional miner, which is given the distances
 * {@code 1 − S}.
 */
public final class MultiSimilarityLoss extends PairLoss {

    /** Default α, the weight of positive pairs. */
    public static final double DEFAULT_ALPHA = 2.0;
    /** Default β, the weight of negative pairs. */
    public static final double DEFAULT_BETA = 50.0;
    /** Default λ, the similarity margin. */
    public static final double DEFAULT_LAMBDA = 0.5;

    /** The name of the positive-pair term in {@link #terms}. */
    public static final String POSITIVE_TERM = "positive pairs";
    /** The name of the negative-pair term in {@link #terms}. */
    public static final String NEGATIVE_TERM = "negative pairs";

    /** Added to masked-out exponents so that they vanish, however large the real ones are. */
    private static final double MASKED = 1e30;

    private final double alpha;
    private final double beta;
    private final double lambda;

    private MultiSimilarityLoss(Builder b) {
        super("multi-similarity", b.miner);
        alpha = b.alpha;
        beta = b.beta;
        lambda = b.lambda;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The cosine distance {@code 1 − cos θ_ij}: the loss weighs pairs by their cosine similarities,
     * and its miner chooses them by the same measure.
     */
    @Override
    public Distance distance() {
        return Distance.cosine();
    }

    /** Returns α. */
    public double alpha() {
        return alpha;
    }

    /** Returns β. */
    public double beta() {
        return beta;
    }

    /** Returns λ. */
    public double lambda() {
        return lambda;
    }

    /** Returns the positive-pair and negative-pair terms, each averaged over the batch. */
    @Override
    public Map<String, NDArray> terms(NDList labels, NDList predictions) {
        NDArray x = predictions.get(0);
        int[] y = hostLabels(labels, x);
        int n = y.length;
        NDArray s = Distance.cosineSimilarities(x);
        MinedPairs p = select(s.neg().add(1), y, false).pairs();
        NDArray positives = mask(s, p.positiveAnchors(), p.positives(), n);
        NDArray negatives = mask(s, p.negativeAnchors(), p.negatives(), n);
        NDArray pos = logOnePlusSumExp(s.sub(lambda).mul(-alpha), positives).div(alpha);
        NDArray neg = logOnePlusSumExp(s.sub(lambda).mul(beta), negatives).div(beta);
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put(POSITIVE_TERM, pos.mean());
        terms.put(NEGATIVE_TERM, neg.mean());
        return terms;
    }

    /** Row-wise {@code log(1 + Σ_k mask_ik·e^{z_ik})}, an {@code n} vector. */
    private static NDArray logOnePlusSumExp(NDArray z, NDArray mask) {
        NDArray masked = z.mul(mask).add(mask.sub(1).mul(MASKED));
        NDArray m = masked.max(new int[] {1}, true).maximum(0).stopGradient();
        NDArray sum = masked.sub(m).exp().mul(mask).sum(new int[] {1}, true);
        return m.neg().exp().add(sum).log().add(m).reshape(-1);
    }

    /** Builds a {@link MultiSimilarityLoss}. */
    public static final class Builder extends PairLoss.BaseBuilder<Builder> {
        private double alpha = DEFAULT_ALPHA;
        private double beta = DEFAULT_BETA;
        private double lambda = DEFAULT_LAMBDA;

        private Builder() {}

        /**
         * Sets α.
         *
         * @param alpha a finite number &gt; 0 (default {@value #DEFAULT_ALPHA})
         * @return this builder
         */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * Sets β.
         *
         * @param beta a finite number &gt; 0 (default {@value #DEFAULT_BETA})
         * @return this builder
         */
        public Builder optBeta(double beta) {
            this.beta = beta;
            return this;
        }

        /**
         * Sets λ.
         *
         * @param lambda in [−1, 1] (default {@value #DEFAULT_LAMBDA})
         * @return this builder
         */
        public Builder optLambda(double lambda) {
            this.lambda = lambda;
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
        public MultiSimilarityLoss build() {
            require(alpha > 0 && Double.isFinite(alpha), "multi-similarity: alpha must be a finite number > 0, got " + alpha);
            require(beta > 0 && Double.isFinite(beta), "multi-similarity: beta must be a finite number > 0, got " + beta);
            require(lambda >= -1 && lambda <= 1, "multi-similarity: lambda must be in [-1, 1], got " + lambda);
            return new MultiSimilarityLoss(this);
        }
    }
}
