package io.anglearn.loss;

import ai.djl.ndarray.NDArray;

/**
 * The modified softmax loss ({@code soft}) of SphereFace (W. Liu et al., "SphereFace: Deep
 * Hypersphere Embedding for Face Recognition", CVPR 2017): softmax cross-entropy over
 * {@code z_j = w_j·x}, a linear layer without bias. No parameters.
 *
 * <p>{@link CenterLoss} extends it: the same head and logits, plus its centre-pull term.
 */
public class SoftmaxLoss extends EmbeddingLoss {

    /** Creates the loss. */
    public SoftmaxLoss() {
        this("soft");
    }

    /**
     * Creates a loss on these logits under another name.
     *
     * @param name the loss's short name
     */
    SoftmaxLoss(String name) {
        super(name);
    }

    @Override
    public final HeadKind headKind() {
        return HeadKind.LINEAR;
    }

    @Override
    public final NDArray logits(NDArray headOutput, NDArray features, NDArray labels) {
        return headOutput;
    }
}
