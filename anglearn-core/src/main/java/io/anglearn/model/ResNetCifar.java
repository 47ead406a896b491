package io.anglearn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.Arrays;
import java.util.Locale;

/**
 * He et al.'s residual networks for 32×32 images ("Deep Residual Learning for Image
 * Recognition", CVPR 2016, section 4.2): a 3×3 convolution with 16 filters, three stages of
 * {@code n} basic blocks with 16, 32 and 64 filters (the second and third halve the resolution),
 * then global average pooling, giving 6n+2 layers: ResNet20 (n = 3, about 0.27M parameters),
 * 32, 44, 56 and 110.
 *
 * <p>Shortcuts are option A of the paper: identity, and where the shape changes, the input
 * subsampled by 2 and zero-padded in channels. It adds no parameters, which is what gives
 * ResNet20 its 0.27M. Convolutions have no bias (BatchNorm follows each); weights use DJL's
 * default He (Kaiming) normal initialisation with fan-in. BatchNorm uses momentum 0.9 in DJL's
 * convention (running = 0.9·running + 0.1·batch, PyTorch's 0.1) and epsilon 1e-5.
 *
 * <p>The returned block maps {@code N×C×H×W} images to {@code N×64} pooled features; any number
 * of input channels and any input size of at least 8×8 works.
 */
public final class ResNetCifar {

    /** BatchNorm momentum in DJL's convention. */
    public static final float BN_MOMENTUM = 0.9f;
    /** BatchNorm epsilon. */
    public static final float BN_EPSILON = 1e-5f;

    private ResNetCifar() {}

    /**
     * Returns the depth for a name such as {@code resnet20}.
     *
     * @param arch the architecture name
     * @return 20, 32, 44, 56 or 110
     * @throws IllegalArgumentException for other names
     */
    public static int depthOf(String arch) {
        String a = arch.toLowerCase(Locale.ROOT);
        for (int d : new int[] {20, 32, 44, 56, 110}) {
            if (a.equals("resnet" + d)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown CIFAR ResNet '" + arch
                + "': expected one of resnet20, resnet32, resnet44, resnet56, resnet110");
    }

    /**
     * Builds the backbone.
     *
     * @param depth 6n+2: 20, 32, 44, 56 or 110
     * @return the block, ending in pooled {@code N×64} features
     */
    public static SequentialBlock backbone(int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("CIFAR ResNet depth must be 6n+2 (20, 32, 44, 56, 110), got " + depth);
        }
        int n = (depth - 2) / 6;
        SequentialBlock net = new SequentialBlock();
        net.add(conv3x3(16, 1)).add(batchNorm()).add(Activation.reluBlock());
        int in = 16;
        int[] widths = {16, 32, 64};
        for (int stage = 0; stage < 3; stage++) {
            for (int b = 0; b < n; b++) {
                int stride = (stage > 0 && b == 0) ? 2 : 1;
                net.add(basicBlockOptionA(in, widths[stage], stride));
                in = widths[stage];
            }
        }
        net.add(Pool.globalAvgPool2dBlock());
        return net;
    }

    static Block conv3x3(int filters, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(filters)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1))
                .optBias(false)
                .build();
    }

    static Block batchNorm() {
        return BatchNorm.builder().optMomentum(BN_MOMENTUM).optEpsilon(BN_EPSILON).build();
    }

    private static Block basicBlockOptionA(int in, int out, int stride) {
        SequentialBlock main = new SequentialBlock()
                .add(conv3x3(out, stride)).add(batchNorm()).add(Activation.reluBlock())
                .add(conv3x3(out, 1)).add(batchNorm());
        Block shortcut = (in == out && stride == 1) ? Blocks.identityBlock() : zeroPadShortcut(in, out, stride);
        return new SequentialBlock()
                .add(new ParallelBlock(
                        list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
                        Arrays.asList(main, shortcut)))
                .add(Activation.reluBlock());
    }

    private static Block zeroPadShortcut(int in, int out, int stride) {
        int extra = out - in;
        if (extra < 0) {
            throw new IllegalArgumentException("option-A shortcut cannot reduce channels " + in + " -> " + out);
        }
        int before = extra / 2;
        int after = extra - before;
        return new LambdaBlock(list -> {
            NDArray x = list.singletonOrThrow();
            NDArray sub = stride == 1 ? x : x.get(":, :, ::" + stride + ", ::" + stride);
            Shape s = sub.getShape();
            NDList parts = new NDList();
            if (before > 0) {
                parts.add(sub.getManager().zeros(new Shape(s.get(0), before, s.get(2), s.get(3)), sub.getDataType()));
            }
            parts.add(sub);
            if (after > 0) {
                parts.add(sub.getManager().zeros(new Shape(s.get(0), after, s.get(2), s.get(3)), sub.getDataType()));
            }
            return new NDList(NDArrays.concat(parts, 1));
        }, "option-A shortcut " + in + "->" + out);
    }
}
