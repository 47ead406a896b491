package io.anglearn.model;

/**
 * The settings a {@link ResNetCifar} and each of its {@link ResidualBlock}s share, and their
 * setters: how a shortcut matches a changed shape (K. He, X. Zhang, S. Ren and J. Sun, "Deep
 * Residual Learning for Image Recognition", CVPR 2016, options A and B) and BatchNorm's momentum
 * and epsilon. Each builder checks them in its own {@code build()}.
 *
 * @param <B> the concrete builder, returned by the setters so calls chain
 */
public abstract class ResidualBuilder<B extends ResidualBuilder<B>> {
    Shortcut shortcut;
    float momentum = ResNetCifar.DEFAULT_BN_MOMENTUM;
    float epsilon = ResNetCifar.DEFAULT_BN_EPSILON;

    ResidualBuilder() {}

    /**
     * Sets how shortcuts match a changed shape (required).
     *
     * @param shortcut zero-padding (option A) or projection (option B)
     * @return this builder
     */
    public B setShortcut(Shortcut shortcut) {
        this.shortcut = shortcut;
        return self();
    }

    /**
     * Sets BatchNorm's momentum in DJL's convention: {@code running = momentum·running +
     * (1 − momentum)·batch}.
     *
     * @param momentum in [0, 1); default {@value ResNetCifar#DEFAULT_BN_MOMENTUM} (PyTorch's 0.1)
     * @return this builder
     */
    public B optBatchNormMomentum(float momentum) {
        this.momentum = momentum;
        return self();
    }

    /**
     * Sets BatchNorm's epsilon, added to the variance before the square root.
     *
     * @param epsilon positive; default {@value ResNetCifar#DEFAULT_BN_EPSILON}
     * @return this builder
     */
    public B optBatchNormEpsilon(float epsilon) {
        this.epsilon = epsilon;
        return self();
    }

    /** Returns this builder as its concrete type. */
    abstract B self();
}
