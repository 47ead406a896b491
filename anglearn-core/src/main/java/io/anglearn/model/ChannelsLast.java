package io.anglearn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Puts an image batch into the channels-last memory layout (NHWC in memory, still indexed and
 * shaped N×C×H×W).
 *
 * <p>Why: libtorch's oneDNN convolutions work on channels-last data directly, while a batch in the
 * default NCHW layout is reordered into a blocked layout before every convolution and back after
 * it. Once a tensor is channels-last, every convolution, BatchNorm, ReLU and addition after it
 * keeps that layout, so the reorders disappear from the whole network; see BENCHMARKS.md for
 * the measured effect. Values are the same; only the order of the floats in memory changes.
 *
 * <p>DJL has no memory-format API, so the layout is built from views: an NHWC-contiguous array
 * permuted to N×C×H×W has exactly PyTorch's channels-last strides.
 */
public final class ChannelsLast {

    private ChannelsLast() {}

    /**
     * Returns {@code x} (N×C×H×W) in the channels-last layout: a view when C = 1 (the two layouts
     * then hold the floats in the same order), otherwise one copy. {@link ResNetCifar} calls it on
     * its stem's output; a custom convolutional backbone can call it the same way (after any layer
     * with fewer than {@link ResNetCifar#MIN_CHANNELS_LAST_WIDTH} channels).
     *
     * @param x a 4-D image batch
     * @return the same values, channels-last in memory, attached to {@code x}'s manager
     * @throws IllegalArgumentException if {@code x} is not 4-D
     */
    public static NDArray of(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("channels-last needs an N×C×H×W batch, got shape " + s);
        }
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        if (c == 1) {
            return x.reshape(n, h, w, 1).transpose(0, 3, 1, 2);
        }
        // The reshape of the permuted view cannot be a view, so it copies into NHWC order.
        return x.transpose(0, 2, 3, 1).reshape(n, h * w * c).reshape(n, h, w, c).transpose(0, 3, 1, 2);
    }

    /**
     * Re-lays a convolution's weight out channels-last (or back to NCHW) in place: the parameter
     * keeps its array object, name, values and gradient requirement, and only the order of its
     * floats in memory changes. A convolution on channels-last activations otherwise copies an NCHW
     * weight into that layout at every call, forward and backward; its gradient then also comes
     * channels-last, and the optimiser's state created from it follows.
     *
     * <p>Call it outside a gradient collector, before training or after loading saved values (which
     * arrive in the NCHW layout).
     *
     * @param weight a parameter's 4-D array, {@code out×in×kH×kW}
     * @param channelsLast true for channels-last, false for the default NCHW layout
     * @throws IllegalArgumentException if it is not 4-D
     */
    public static void relayout(NDArray weight, boolean channelsLast) {
        if (weight.getShape().dimension() != 4) {
            throw new IllegalArgumentException("a convolution weight is 4-D, got shape " + weight.getShape());
        }
        boolean grad = weight.hasGradient();
        NDArray relaid;
        try (NDManager scratch = weight.getManager().newSubManager()) {
            NDArray values = weight.stopGradient();
            values.attach(scratch);
            // Flattening a channels-last array copies it in NCHW order; the reshape back is a view.
            relaid = channelsLast ? of(values) : values.reshape(-1).reshape(weight.getShape());
            // The views and the copy in between go with the scratch manager; the result keeps the
            // copy's storage alive on its own.
            relaid.attach(weight.getManager());
        }
        relaid.setRequiresGradient(grad);
        weight.intern(relaid);
    }
}
