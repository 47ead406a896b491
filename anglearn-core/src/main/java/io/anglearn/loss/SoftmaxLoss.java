package io.anglearn.loss;

import ai.djl.ndarray.NDArray;

/**
 * The modified softmax loss ({@code soft}) of SphereFace (W. Liu et al., "SphereFace: Deep
 * Hypersphere Embedding for Face Recognition", CVPR 2017): softmax cross-entropy over
 * {@code z_j = w_j·x}, a linear layer without bias. No parameters.
 */
public final class SoftmaxLoss extends EmbeddingLoss {

    /** Creates the loss. */
    public SoftmaxLoss() {
        super("soft");
    }

    @Override
    public HeadKind headKind() {
        return HeadKind.LINEAR;
    }

    @Override
    public NDArray logits(NDArray headOutput, NDArray features, NDArray labels) {
        return headOutput;
    }
}
