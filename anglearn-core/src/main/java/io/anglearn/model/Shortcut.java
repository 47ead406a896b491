package io.anglearn.model;

/**
 * How a residual block's shortcut matches the main path when the block changes the number of
 * channels or the resolution (He et al., "Deep Residual Learning for Image Recognition", CVPR
 * 2016, section 3.3). Where the shapes already agree, both kinds are the identity.
 */
public enum Shortcut {

    /**
     * Option A of the paper: the input, subsampled by the stride and zero-padded with the extra
     * channels split evenly before and after. It has no parameters, which is what He et al. use
     * for their CIFAR networks and what gives ResNet20 its 0.27M parameters.
     */
    ZERO_PAD,

    /**
     * Option B of the paper: a 1×1 convolution with the block's stride, followed by BatchNorm.
     * The usual choice for ResNet18/34, whose published parameter counts include these layers.
     */
    PROJECTION
}
