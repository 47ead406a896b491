package io.anglearn.loss;

/** What a {@link ClassifierHead} outputs. */
public enum HeadKind {
    /** {@code z_j = w_j·x = ‖w_j‖‖x‖cos θ_j}: a linear layer without bias. */
    LINEAR,
    /** {@code cos θ_j = ŵ_j·x̂}: rows of W and the feature are L2-normalised first. */
    COSINE,
    /**
     * No class weights: the head outputs an {@code N×0} array. The pair losses ({@link PairLoss})
     * train the features alone, so such a network embeds but does not classify.
     */
    NONE
}
