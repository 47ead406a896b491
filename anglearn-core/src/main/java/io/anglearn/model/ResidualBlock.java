package io.anglearn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The basic residual block of He et al., "Deep Residual Learning for Image Recognition" (CVPR
 * 2016, Figure 2 left): {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))}, with two
 * 3×3 convolutions, the first carrying the block's stride.
 *
 * <p>The shortcut is the identity when the input already has the output's shape; otherwise it
 * follows the block's {@link Shortcut} kind. Its children are {@code conv1}, {@code bn1},
 * {@code conv2}, {@code bn2} and, for a projection shortcut, {@code shortcut_conv} and
 * {@code shortcut_bn}; the additions and ReLUs have no parameters and are computed inline.
 */
public final class ResidualBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inChannels;
    private final int outChannels;
    private final int stride;
    private final Shortcut shortcut;
    private final Block conv1;
    private final Block bn1;
    private final Block conv2;
    private final Block bn2;
    private final Block shortcutConv;
    private final Block shortcutBn;

    private ResidualBlock(Builder b) {
        super(VERSION);
        inChannels = b.inChannels;
        outChannels = b.outChannels;
        stride = b.stride;
        shortcut = b.shortcut;
        conv1 = addChildBlock("conv1", Layers.conv(3, outChannels, stride));
        bn1 = addChildBlock("bn1", Layers.batchNorm(b.momentum, b.epsilon));
        conv2 = addChildBlock("conv2", Layers.conv(3, outChannels, 1));
        bn2 = addChildBlock("bn2", Layers.batchNorm(b.momentum, b.epsilon));
        if (changesShape() && shortcut == Shortcut.PROJECTION) {
            shortcutConv = addChildBlock("shortcut_conv", Layers.conv(1, outChannels, stride));
            shortcutBn = addChildBlock("shortcut_bn", Layers.batchNorm(b.momentum, b.epsilon));
        } else {
            shortcutConv = null;
            shortcutBn = null;
        }
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the number of input channels. */
    public int inChannels() {
        return inChannels;
    }

    /** Returns the number of output channels. */
    public int outChannels() {
        return outChannels;
    }

    /** Returns the stride of the first convolution (1, or 2 to halve the resolution). */
    public int stride() {
        return stride;
    }

    /** Returns the shortcut kind used where the shape changes. */
    public Shortcut shortcut() {
        return shortcut;
    }

    /**
     * Returns the block's layers by name, for code that reads the network layer by layer (an
     * exporter): {@code conv1}, {@code bn1}, {@code conv2}, {@code bn2}, and for a projection
     * shortcut {@code shortcut_conv} and {@code shortcut_bn}.
     *
     * @param name one of those names
     * @return the layer
     * @throws IllegalArgumentException if the block has no layer of that name
     */
    public Block layer(String name) {
        Block b = switch (name) {
            case "conv1" -> conv1;
            case "bn1" -> bn1;
            case "conv2" -> conv2;
            case "bn2" -> bn2;
            case "shortcut_conv" -> shortcutConv;
            case "shortcut_bn" -> shortcutBn;
            default -> null;
        };
        if (b == null) {
            throw new IllegalArgumentException("residual block " + inChannels + "->" + outChannels + " has no layer "
                    + name);
        }
        return b;
    }

    /** Returns whether the output's shape differs from the input's, so the shortcut is not the identity. */
    public boolean changesShape() {
        return inChannels != outChannels || stride != 1;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList y = bn1.forward(store, conv1.forward(store, inputs, training), training);
        y = new NDList(Activation.relu(y.singletonOrThrow()));
        NDArray main = bn2.forward(store, conv2.forward(store, y, training), training).singletonOrThrow();
        return new NDList(Activation.relu(main.add(shortcut(store, x, training))));
    }

    private NDArray shortcut(ParameterStore store, NDArray x, boolean training) {
        if (!changesShape()) {
            return x;
        }
        if (shortcut == Shortcut.PROJECTION) {
            NDList s = shortcutConv.forward(store, new NDList(x), training);
            return shortcutBn.forward(store, s, training).singletonOrThrow();
        }
        if (stride == 1) {
            return zeroPad(x);
        }
        return subsampleAndPad(x);
    }

    /**
     * The option-A shortcut of a downsampling block, as one fixed 1×1 convolution: output channel
     * {@code before + i} takes input channel {@code i} at every {@code stride}-th pixel, the others
     * are zero. Values and gradients are exactly those of slicing every {@code stride}-th pixel and
     * zero-padding the channels (each output is one input times 1 plus zeros), but the backward
     * pass is one transposed 1×1 convolution instead of filling a full-size zero tensor and
     * scattering the gradient into it, which costs several times as much on channels-last batches.
     */
    private NDArray subsampleAndPad(NDArray x) {
        int before = (outChannels - inChannels) / 2;
        float[] select = new float[outChannels * inChannels];
        for (int i = 0; i < inChannels; i++) {
            select[(before + i) * inChannels + i] = 1f;
        }
        NDArray w = x.getManager().create(select, new Shape(outChannels, inChannels, 1, 1)).toType(x.getDataType(), false);
        return Conv2d.conv2d(x, w, null, new Shape(stride, stride), new Shape(0, 0), new Shape(1, 1), 1)
                .singletonOrThrow();
    }

    /**
     * Re-lays the convolution weights out in the activations' layout ({@link ChannelsLast#relayout}).
     *
     * @param channelsLast true for channels-last, false for NCHW
     */
    void relayoutWeights(boolean channelsLast) {
        ChannelsLast.relayout(conv1.getParameters().get("weight").getArray(), channelsLast);
        ChannelsLast.relayout(conv2.getParameters().get("weight").getArray(), channelsLast);
        if (shortcutConv != null) {
            ChannelsLast.relayout(shortcutConv.getParameters().get("weight").getArray(), channelsLast);
        }
    }

    /**
     * Option A: pads the channel axis with zeros, half of the extra channels before and half after.
     * One constant-pad operation, which keeps the input's memory layout (a concatenation with
     * freshly made zeros would fall back to NCHW inside a channels-last network).
     */
    private NDArray zeroPad(NDArray sub) {
        int extra = outChannels - inChannels;
        if (extra == 0) {
            return sub;
        }
        int before = extra / 2;
        // DJL's pad takes (before, after) pairs from the last axis backwards, as torch.nn.functional.pad.
        return sub.pad(new Shape(0, 0, 0, 0, before, extra - before), 0);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = checkInput(inputShapes);
        return new Shape[] {new Shape(in.get(0), outChannels, ceilDiv(in.get(2), stride), ceilDiv(in.get(3), stride))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = checkInput(inputShapes);
        conv1.initialize(manager, dataType, in);
        Shape mid = conv1.getOutputShapes(new Shape[] {in})[0];
        bn1.initialize(manager, dataType, mid);
        conv2.initialize(manager, dataType, mid);
        bn2.initialize(manager, dataType, conv2.getOutputShapes(new Shape[] {mid})[0]);
        if (shortcutConv != null) {
            shortcutConv.initialize(manager, dataType, in);
            shortcutBn.initialize(manager, dataType, shortcutConv.getOutputShapes(new Shape[] {in})[0]);
        }
    }

    private Shape checkInput(Shape[] inputShapes) {
        if (inputShapes.length != 1 || inputShapes[0].dimension() != 4 || inputShapes[0].get(1) != inChannels) {
            throw new IllegalArgumentException("residual block " + inChannels + "->" + outChannels
                    + " expects one N×" + inChannels + "×H×W input, got " + java.util.Arrays.toString(inputShapes));
        }
        return inputShapes[0];
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * Builds a {@link ResidualBlock}. Required: {@link #setInChannels}, {@link #setOutChannels},
     * {@link #setShortcut}.
     */
    public static final class Builder extends ResidualBuilder<Builder> {
        private int inChannels;
        private int outChannels;
        private int stride = 1;

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /**
         * Sets the number of input channels.
         *
         * @param inChannels at least 1
         * @return this builder
         */
        public Builder setInChannels(int inChannels) {
            this.inChannels = inChannels;
            return this;
        }

        /**
         * Sets the number of output channels (the filters of both convolutions).
         *
         * @param outChannels at least 1; for a {@link Shortcut#ZERO_PAD} block, at least the input channels
         * @return this builder
         */
        public Builder setOutChannels(int outChannels) {
            this.outChannels = outChannels;
            return this;
        }

        /**
         * Sets the stride of the first convolution and of the shortcut.
         *
         * @param stride 1 (default) or 2 to halve the resolution
         * @return this builder
         */
        public Builder optStride(int stride) {
            this.stride = stride;
            return this;
        }

        /**
         * Validates the settings and builds the block.
         *
         * @return the block
         * @throws IllegalArgumentException naming the setting that is missing or out of range
         */
        public ResidualBlock build() {
            if (inChannels < 1 || outChannels < 1) {
                throw new IllegalArgumentException("residual block channels must be >= 1, got in="
                        + inChannels + ", out=" + outChannels);
            }
            if (stride < 1) {
                throw new IllegalArgumentException("residual block stride must be >= 1, got " + stride);
            }
            if (shortcut == null) {
                throw new IllegalArgumentException("residual block needs a shortcut kind (setShortcut)");
            }
            if (shortcut == Shortcut.ZERO_PAD && outChannels < inChannels) {
                throw new IllegalArgumentException("a zero-padding shortcut cannot reduce channels "
                        + inChannels + " -> " + outChannels + "; use a projection shortcut");
            }
            ResNetCifar.checkBatchNorm(momentum, epsilon);
            return new ResidualBlock(this);
        }
    }
}
