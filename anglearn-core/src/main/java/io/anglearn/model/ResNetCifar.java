package io.anglearn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A residual network for small images, after He et al., "Deep Residual Learning for Image
 * Recognition" (CVPR 2016): a 3×3 convolution stem with BatchNorm and ReLU and no max-pool,
 * stages of {@link ResidualBlock basic blocks} (every stage after the first halves the
 * resolution in its first block), then global average pooling. It maps {@code N×C×H×W} images,
 * any C and any H, W, to {@code N×F} features, F being the last stage's width.
 *
 * <p>Two families are built by the factories:
 * <ul>
 *   <li>{@link #threeStage(int)}: the paper's CIFAR networks (section 4.2), depth 6n+2 with n
 *       blocks in each of three stages of 16, 32 and 64 channels: ResNet20 (n = 3, 0.27M
 *       parameters), 32, 44, 56, 110. Shortcuts are {@link Shortcut#ZERO_PAD option A}, as in the
 *       paper: parameter-free, so ResNet20 has the paper's 0.27M parameters.</li>
 *   <li>{@link #fourStage(int)}: the ImageNet ResNet18 and ResNet34 (the paper's Table 1) with
 *       the 7×7 stride-2 stem and the max-pool replaced by one 3×3 stride-1 convolution, the usual
 *       adaptation to 32×32 inputs: four stages of 64, 128, 256 and 512 channels with [2, 2, 2, 2]
 *       or [3, 4, 6, 3] blocks and {@link Shortcut#PROJECTION projection} shortcuts.</li>
 * </ul>
 *
 * <p>Convolutions have no bias (BatchNorm follows each) and Kaiming normal fan-in weights; BatchNorm
 * starts at γ = 1, β = 0 and uses momentum {@value #DEFAULT_BN_MOMENTUM} in DJL's convention
 * (PyTorch's momentum 0.1) and epsilon {@value #DEFAULT_BN_EPSILON}, PyTorch's defaults. Children
 * are named {@code stem_conv}, {@code stem_bn} and {@code stageS_blockB}.
 */
public final class ResNetCifar extends AbstractBlock {

    /** BatchNorm momentum in DJL's convention ({@code running = 0.9·running + 0.1·batch}). */
    public static final float DEFAULT_BN_MOMENTUM = 0.9f;
    /** BatchNorm epsilon. */
    public static final float DEFAULT_BN_EPSILON = 1e-5f;

    /**
     * The narrowest stage with which the forward pass goes channels-last. libtorch 2.7.1's oneDNN
     * corrupted the native heap ("free(): invalid pointer", then an abort) in the backward pass of
     * a channels-last 1×1 stride-2 convolution from 4 to 8 channels; with 8 and more input
     * channels no such failure was seen. Narrower networks are cheap in either layout, so they
     * stay NCHW, as does every network's stem.
     */
    public static final int MIN_CHANNELS_LAST_WIDTH = 16;

    private static final byte VERSION = 1;

    private final int[] stageWidths;
    private final int[] blocksPerStage;
    private final Shortcut shortcut;
    private final float momentum;
    private final float epsilon;
    private boolean channelsLast;
    private final Block stemConv;
    private final Block stemBn;
    private final List<ResidualBlock> blocks = new ArrayList<>();

    private ResNetCifar(Builder b) {
        super(VERSION);
        stageWidths = b.stageWidths.clone();
        blocksPerStage = b.blocksPerStage.clone();
        shortcut = b.shortcut;
        momentum = b.momentum;
        epsilon = b.epsilon;
        channelsLast = b.channelsLast && Arrays.stream(stageWidths).min().orElse(0) >= MIN_CHANNELS_LAST_WIDTH;
        stemConv = addChildBlock("stem_conv", Layers.conv(3, stageWidths[0], 1));
        stemBn = addChildBlock("stem_bn", Layers.batchNorm(b.momentum, b.epsilon));
        int in = stageWidths[0];
        for (int s = 0; s < stageWidths.length; s++) {
            for (int i = 0; i < blocksPerStage[s]; i++) {
                int stride = (s > 0 && i == 0) ? 2 : 1;
                ResidualBlock block = ResidualBlock.builder().setInChannels(in).setOutChannels(stageWidths[s])
                        .optStride(stride).setShortcut(shortcut)
                        .optBatchNormMomentum(b.momentum).optBatchNormEpsilon(b.epsilon).build();
                blocks.add(addChildBlock("stage" + (s + 1) + "_block" + (i + 1), block));
                in = stageWidths[s];
            }
        }
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The network of a given depth: 18 and 34 give {@link #fourStage}, any other 6n+2 gives
     * {@link #threeStage}.
     *
     * @param depth 18, 34, or 6n+2 (20, 32, 44, 56, 110, ...)
     * @return the backbone
     */
    public static ResNetCifar backbone(int depth) {
        return depth == 18 || depth == 34 ? fourStage(depth) : threeStage(depth);
    }

    /**
     * He et al.'s CIFAR network of depth 6n+2 (three stages of 16/32/64 channels, option-A shortcuts).
     *
     * @param depth 6n+2 with n ≥ 1: 8, 14, 20, 32, 44, 56, 110, ...
     * @return the backbone, ending in {@code N×64} features
     */
    public static ResNetCifar threeStage(int depth) {
        return threeStageBuilder(depth).build();
    }

    /** The settings of {@link #threeStage(int)}, to change optional ones before building. */
    static Builder threeStageBuilder(int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("a three-stage CIFAR ResNet has depth 6n+2 (20, 32, 44, 56, 110), got "
                    + depth);
        }
        int n = (depth - 2) / 6;
        return builder().setStageWidths(16, 32, 64).setBlocksPerStage(n, n, n).setShortcut(Shortcut.ZERO_PAD);
    }

    /**
     * The CIFAR variant of ResNet18 or ResNet34 (four stages of 64/128/256/512 channels, projection shortcuts).
     *
     * @param depth 18 or 34
     * @return the backbone, ending in {@code N×512} features
     */
    public static ResNetCifar fourStage(int depth) {
        return fourStageBuilder(depth).build();
    }

    /** The settings of {@link #fourStage(int)}, to change optional ones before building. */
    static Builder fourStageBuilder(int depth) {
        int[] blocks = switch (depth) {
            case 18 -> new int[] {2, 2, 2, 2};
            case 34 -> new int[] {3, 4, 6, 3};
            default -> throw new IllegalArgumentException("a four-stage CIFAR ResNet has depth 18 or 34, got " + depth);
        };
        return builder().setStageWidths(64, 128, 256, 512).setBlocksPerStage(blocks)
                .setShortcut(Shortcut.PROJECTION);
    }

    /** Returns F, the width of the pooled features (the last stage's channels). */
    public int featureDim() {
        return stageWidths[stageWidths.length - 1];
    }

    /** Returns the channels of each stage. */
    public int[] stageWidths() {
        return stageWidths.clone();
    }

    /** Returns the number of residual blocks in each stage. */
    public int[] blocksPerStage() {
        return blocksPerStage.clone();
    }

    /** Returns the epsilon every BatchNorm of the network adds to its variance. */
    public float batchNormEpsilon() {
        return epsilon;
    }

    /**
     * Returns the residual blocks in the order the forward pass runs them, for code that reads
     * the network layer by layer (an exporter).
     */
    public List<ResidualBlock> blocks() {
        return List.copyOf(blocks);
    }

    /** Returns the stem's convolution (3×3, stride 1, no bias). */
    public Block stemConv() {
        return stemConv;
    }

    /** Returns the stem's BatchNorm, with parameters {@code gamma}, {@code beta}, {@code runningMean}, {@code runningVar}. */
    public Block stemBatchNorm() {
        return stemBn;
    }

    /** Returns the shortcut kind used where a block changes shape. */
    public Shortcut shortcut() {
        return shortcut;
    }

    /**
     * Returns whether the forward pass runs in the channels-last memory layout after the stem: asked
     * for with {@link Builder#optChannelsLast} (the default) and every stage at least
     * {@link #MIN_CHANNELS_LAST_WIDTH} channels wide.
     */
    public boolean channelsLast() {
        return channelsLast;
    }

    /** Returns the number of weighted layers: the stem, two per block, and the classifier counted by convention. */
    public int depth() {
        return 2 + 2 * Arrays.stream(blocksPerStage).sum();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList x = stemConv.forward(store, inputs, training);
        // The stem runs NCHW: its 1 or 3 input channels are narrower than oneDNN's 8-float blocks,
        // where channels-last kernels are not trusted (see MIN_CHANNELS_LAST_WIDTH).
        if (channelsLast) {
            x = new NDList(ChannelsLast.of(x.singletonOrThrow()));
        }
        x = stemBn.forward(store, x, training);
        x = new NDList(Activation.relu(x.singletonOrThrow()));
        for (ResidualBlock block : blocks) {
            x = block.forward(store, x, training);
        }
        NDArray pooled = Pool.globalAvgPool2d(x.singletonOrThrow());
        return new NDList(pooled);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(checkInput(inputShapes).get(0), featureDim())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] s = {checkInput(inputShapes)};
        stemConv.initialize(manager, dataType, s);
        s = stemConv.getOutputShapes(s);
        stemBn.initialize(manager, dataType, s);
        for (ResidualBlock block : blocks) {
            block.initialize(manager, dataType, s);
            s = block.getOutputShapes(s);
        }
        relayoutWeights();
    }

    /**
     * Re-lays the residual blocks' convolution weights out channels-last when the network runs
     * channels-last, so no convolution reorders its weight at each call; does nothing otherwise.
     * Initialisation does it; call it again after loading saved values into the parameters, which
     * arrive in the default layout. Values never change.
     */
    public void relayoutWeights() {
        if (channelsLast) {
            for (ResidualBlock block : blocks) {
                block.relayoutWeights(true);
            }
        }
    }

    /**
     * Switches an initialised network to the NCHW layout, weights included; values do not change.
     * {@link KernelCheck} does it when only this machine's channels-last kernels compute the network
     * wrongly.
     */
    void useNchw() {
        if (channelsLast) {
            channelsLast = false;
            for (ResidualBlock block : blocks) {
                block.relayoutWeights(false);
            }
        }
    }

    /**
     * Returns a new, uninitialised network with the same architecture and BatchNorm settings.
     *
     * @param channelsLastLayout whether the copy runs channels-last (where its widths allow)
     * @return the copy
     */
    ResNetCifar sameArchitecture(boolean channelsLastLayout) {
        return builder().setStageWidths(stageWidths).setBlocksPerStage(blocksPerStage).setShortcut(shortcut)
                .optBatchNormMomentum(momentum).optBatchNormEpsilon(epsilon).optChannelsLast(channelsLastLayout)
                .build();
    }

    /** Describes the architecture and layout in one line, e.g. for a kernel check's verdict. */
    String describe() {
        return "ResNet with stages " + Arrays.toString(stageWidths) + " x " + Arrays.toString(blocksPerStage) + ", "
                + shortcut.name().toLowerCase(java.util.Locale.ROOT) + " shortcuts, "
                + (channelsLast ? "channels-last" : "NCHW");
    }

    private static Shape checkInput(Shape[] inputShapes) {
        if (inputShapes.length != 1 || inputShapes[0].dimension() != 4) {
            throw new IllegalArgumentException("a ResNet expects one N×C×H×W image batch, got "
                    + Arrays.toString(inputShapes));
        }
        Shape s = inputShapes[0];
        if (s.get(1) < 1 || s.get(2) < 1 || s.get(3) < 1) {
            throw new IllegalArgumentException("a ResNet needs at least one channel and one pixel, got " + s);
        }
        return s;
    }

    static void checkBatchNorm(float momentum, float epsilon) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("BatchNorm momentum must be in [0, 1), got " + momentum);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("BatchNorm epsilon must be > 0, got " + epsilon);
        }
    }

    /**
     * Builds a {@link ResNetCifar}. Required: {@link #setStageWidths}, {@link #setBlocksPerStage}
     * (one entry per stage each), {@link #setShortcut}.
     */
    public static final class Builder extends ResidualBuilder<Builder> {
        private int[] stageWidths;
        private int[] blocksPerStage;
        private boolean channelsLast = true;

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /**
         * Sets the channels of each stage; the stem has the first stage's width.
         *
         * @param widths one positive width per stage, non-decreasing for zero-padding shortcuts
         * @return this builder
         */
        public Builder setStageWidths(int... widths) {
            this.stageWidths = widths.clone();
            return this;
        }

        /**
         * Sets the number of residual blocks in each stage.
         *
         * @param blocks one positive count per stage
         * @return this builder
         */
        public Builder setBlocksPerStage(int... blocks) {
            this.blocksPerStage = blocks.clone();
            return this;
        }

        /**
         * Sets whether the forward pass converts the stem's output to the channels-last memory
         * layout, so that every layer after it works on NHWC-ordered data; it applies when every
         * stage is at least {@link ResNetCifar#MIN_CHANNELS_LAST_WIDTH} channels wide. The results
         * are the same up to floating-point rounding (the kernels sum in a different order); on
         * CPU, oneDNN's convolutions then skip the reorders into and out of their blocked
         * layout, which makes training and evaluation faster (measured in BENCHMARKS.md). It
         * changes neither the parameters nor the checkpoints.
         *
         * @param channelsLast default {@code true}
         * @return this builder
         */
        public Builder optChannelsLast(boolean channelsLast) {
            this.channelsLast = channelsLast;
            return this;
        }

        /**
         * Validates the settings and builds the network.
         *
         * @return the backbone
         * @throws IllegalArgumentException naming the setting that is missing or out of range
         */
        public ResNetCifar build() {
            if (stageWidths == null || blocksPerStage == null || stageWidths.length == 0) {
                throw new IllegalArgumentException("a ResNet needs stage widths and blocks per stage");
            }
            if (stageWidths.length != blocksPerStage.length) {
                throw new IllegalArgumentException("stage widths " + Arrays.toString(stageWidths)
                        + " and blocks per stage " + Arrays.toString(blocksPerStage) + " differ in length");
            }
            for (int s = 0; s < stageWidths.length; s++) {
                if (stageWidths[s] < 1 || blocksPerStage[s] < 1) {
                    throw new IllegalArgumentException("stage " + (s + 1) + " needs a positive width and block count, got "
                            + stageWidths[s] + " channels, " + blocksPerStage[s] + " blocks");
                }
            }
            if (shortcut == null) {
                throw new IllegalArgumentException("a ResNet needs a shortcut kind (setShortcut)");
            }
            checkBatchNorm(momentum, epsilon);
            return new ResNetCifar(this);
        }
    }
}
