package io.anglearn.loss;

import ai.djl.ndarray.NDArray;

/**
 * How the pair losses and their miners measure how far apart two embedded features are: a
 * strategy each pair loss is given, whose {@code n×n} matrix the loss learns from and its miner
 * chooses pairs or triplets by (lower = more alike). The kinds are those the pair-loss papers use:
 * <ul>
 *   <li>{@link #euclidean(boolean, boolean)}: {@code ‖x_i − x_j‖} or its square, on the features or
 *       on their L2-normalised versions;
 *   <li>{@link #cosine()}: the cosine distance {@code 1 − x̂_i·x̂_j}.
 * </ul>
 * The matrices are differentiable: the losses backpropagate through them.
 */
public interface Distance {

    /** The floor under a squared Euclidean distance before its square root, which keeps its gradient finite at 0. */
    double MIN_SQUARED_DISTANCE = 1e-12;

    /**
     * Returns the pairwise distances of a batch.
     *
     * @param features {@code n×d}
     * @return {@code n×n}, lower for features more alike
     */
    NDArray pairwise(NDArray features);

    /** Returns what the distance is, for messages and the run log, e.g. {@code euclidean, normalised}. */
    String describe();

    /**
     * The Euclidean distance, computed as {@code √max(‖x_i‖² + ‖x_j‖² − 2 x_i·x_j, floor)}.
     *
     * @param normalize whether to L2-normalise the features first
     * @param squared whether to return squared distances (no square root, no floor)
     * @return the distance
     */
    static Distance euclidean(boolean normalize, boolean squared) {
        return new Distance() {
            @Override
            public NDArray pairwise(NDArray x) {
                NDArray v = normalize ? x.normalize(2, 1, ClassifierHead.NORM_EPSILON) : x;
                NDArray norms = v.square().sum(new int[] {1}, true);
                NDArray sq = norms.add(norms.transpose()).sub(v.matMul(v.transpose()).mul(2)).maximum(0);
                return squared ? sq : sq.maximum(MIN_SQUARED_DISTANCE).sqrt();
            }

            @Override
            public String describe() {
                return (squared ? "squared euclidean" : "euclidean") + (normalize ? ", normalised" : "");
            }
        };
    }

    /**
     * The cosine distance {@code 1 − cos θ_ij} of the L2-normalised features.
     *
     * @return the distance
     */
    static Distance cosine() {
        return new Distance() {
            @Override
            public NDArray pairwise(NDArray x) {
                return cosineSimilarities(x).neg().add(1);
            }

            @Override
            public String describe() {
                return "cosine";
            }
        };
    }

    /**
     * Returns the pairwise cosine similarities {@code x̂_i·x̂_j}, {@code n×n}: what the
     * similarity-weighted losses (multi-similarity) work in.
     *
     * @param x {@code n×d} features
     * @return the similarities
     */
    static NDArray cosineSimilarities(NDArray x) {
        NDArray v = x.normalize(2, 1, ClassifierHead.NORM_EPSILON);
        return v.matMul(v.transpose());
    }
}
