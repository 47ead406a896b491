package io.anglearn.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;

/** The convolution and BatchNorm layers the residual networks are made of, set up in one place. */
final class Layers {

    /**
     * Kaiming (He) normal initialisation with fan-in: weights drawn from N(0, 2/(Cin·k·k)), the
     * "forward" case of He et al., "Delving Deep into Rectifiers" (ICCV 2015), which keeps the
     * variance of activations constant through ReLU layers at the start of training.
     */
    static final Initializer KAIMING_FAN_IN =
            new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2);

    private Layers() {}

    /**
     * A k×k convolution without bias (a BatchNorm always follows), padded to keep the size at
     * stride 1, with Kaiming fan-in initialisation.
     */
    static Block conv(int kernel, int filters, int stride) {
        Block conv = Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(filters)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(false)
                .build();
        conv.setInitializer(KAIMING_FAN_IN, Parameter.Type.WEIGHT);
        return conv;
    }

    /** BatchNorm over the channel axis: γ = 1, β = 0 at the start; momentum in DJL's convention. */
    static Block batchNorm(float momentum, float epsilon) {
        return new ChannelBatchNorm(momentum, epsilon);
    }
}
