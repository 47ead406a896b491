package io.anglearn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.anglearn.engine.Engines;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Shapes, parameter counts and initialisation of the residual backbones. */
class ResNetCifarTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Engines.pytorch().newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    // --- parameter counts written out from the architecture's definition, independent of the builder ---

    private static long conv(long k, long in, long out) {
        return k * k * in * out;
    }

    private static long bn(long c) {
        return 2 * c;
    }

    /** Two 3×3 convolutions with BatchNorm, and a 1×1 projection with BatchNorm where asked. */
    private static long basicBlock(long in, long out, boolean projection) {
        return conv(3, in, out) + bn(out) + conv(3, out, out) + bn(out) + (projection ? conv(1, in, out) + bn(out) : 0);
    }

    /** He et al.'s 6n+2 network: option-A shortcuts add nothing. */
    static long threeStageParameters(int depth, int channels) {
        int n = (depth - 2) / 6;
        return conv(3, channels, 16) + bn(16)
                + n * basicBlock(16, 16, false)
                + basicBlock(16, 32, false) + (n - 1) * basicBlock(32, 32, false)
                + basicBlock(32, 64, false) + (n - 1) * basicBlock(64, 64, false);
    }

    /** ResNet18/34 for CIFAR: projection shortcuts where stages change. */
    static long fourStageParameters(int[] blocks, int channels) {
        long p = conv(3, channels, 64) + bn(64);
        long[] widths = {64, 128, 256, 512};
        long in = 64;
        for (int s = 0; s < 4; s++) {
            p += basicBlock(in, widths[s], in != widths[s]) + (blocks[s] - 1) * basicBlock(widths[s], widths[s], false);
            in = widths[s];
        }
        return p;
    }

    private static long trainableParameters(ai.djl.nn.Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    @ParameterizedTest
    @CsvSource({"resnet20, 3", "resnet32, 3", "resnet44, 1", "resnet56, 3", "resnet110, 1"})
    void threeStageParameterCountsFollowTheFormula(String arch, int channels) {
        ResNetCifar net = Architectures.backbone(arch);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 32, 32));
        int depth = Integer.parseInt(arch.substring("resnet".length()));
        assertEquals(threeStageParameters(depth, channels), trainableParameters(net));
        assertEquals(depth, net.depth());
        assertEquals(64, net.featureDim());
    }

    @ParameterizedTest
    @CsvSource({"resnet18, 3", "resnet18, 1", "resnet34, 3"})
    void fourStageParameterCountsFollowTheFormula(String arch, int channels) {
        ResNetCifar net = Architectures.backbone(arch);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 32, 32));
        int[] blocks = arch.equals("resnet18") ? new int[] {2, 2, 2, 2} : new int[] {3, 4, 6, 3};
        assertEquals(fourStageParameters(blocks, channels), trainableParameters(net));
        assertEquals(512, net.featureDim());
    }

    @Test
    void theShortcutCanBeChosenAgainstTheArchitecturesOwn() {
        ResNetCifar b = Architectures.backbone("resnet20", true, "b", "he-normal");
        b.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        assertEquals(Shortcut.PROJECTION, b.shortcut());
        // Option B adds the two projections where the stages widen: 16 -> 32 and 32 -> 64, with their BatchNorm.
        assertEquals(threeStageParameters(20, 3) + conv(1, 16, 32) + bn(32) + conv(1, 32, 64) + bn(64),
                trainableParameters(b));
        ResNetCifar a = Architectures.backbone("resnet18", true, "A", "he-normal");
        a.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        assertEquals(Shortcut.ZERO_PAD, a.shortcut());
        assertEquals(Shortcut.ZERO_PAD, Architectures.backbone("resnet20", true, null, "he-normal").shortcut());
        assertEquals(Shortcut.PROJECTION, Architectures.backbone("resnet34", true, null, "he-normal").shortcut());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Architectures.backbone("resnet20", true, "C", "he-normal"));
        assertTrue(e.getMessage().contains("--shortcut"), e.getMessage());
    }

    @Test
    void pytorchsConvolutionInitialisationIsUniformWithinOneOverRootFanIn() {
        ResNetCifar net = Architectures.backbone("resnet20", true, null, "pytorch");
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        ResNetCifar he = Architectures.backbone("resnet20", true, null, "he-normal");
        he.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        int convs = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().getType() != Parameter.Type.WEIGHT) {
                continue;
            }
            convs++;
            float[] w = p.getValue().getArray().toFloatArray();
            Shape s = p.getValue().getArray().getShape();
            double bound = 1 / Math.sqrt(s.get(1) * s.get(2) * s.get(3));
            double sumSq = 0;
            for (float v : w) {
                assertTrue(Math.abs(v) <= bound * (1 + 1e-6), p.getKey() + ": " + v + " outside +-" + bound);
                sumSq += v * v;
            }
            // U(-b, b) has standard deviation b/sqrt(3), well below He-normal's sqrt(2/fan-in) = b*sqrt(2).
            double std = Math.sqrt(sumSq / w.length);
            assertEquals(bound / Math.sqrt(3), std, bound / Math.sqrt(3) * (w.length > 2000 ? 0.08 : 0.35), p.getKey());
        }
        assertEquals(19, convs, "ResNet20's 19 convolutions");
        float[] first = he.getParameters().valueAt(0).getArray().toFloatArray();
        double heStd = Math.sqrt(java.util.stream.IntStream.range(0, first.length).mapToDouble(i -> first[i] * first[i]).sum()
                / first.length);
        assertEquals(Math.sqrt(2.0 / 27), heStd, 0.25 * Math.sqrt(2.0 / 27), "the stem under He-normal");
    }

    @Test
    void parameterCountsMatchThePublishedSizes() {
        // Published counts include a 10-class linear layer with bias (650 or 5,130 values):
        // ResNet20 0.27M (He et al. 2016, Table 6), ResNet18 11.17M and ResNet34 21.28M for CIFAR.
        assertEquals(269_722 - 650, threeStageParameters(20, 3));
        assertEquals(11_173_962 - 5_130, fourStageParameters(new int[] {2, 2, 2, 2}, 3));
        assertEquals(21_282_122 - 5_130, fourStageParameters(new int[] {3, 4, 6, 3}, 3));
    }

    @ParameterizedTest
    @CsvSource({
        "resnet20, 3, 32, 32", "resnet32, 3, 32, 32", "resnet44, 3, 32, 32", "resnet56, 1, 28, 28",
        "resnet110, 1, 28, 28", "resnet18, 3, 32, 32", "resnet18, 1, 28, 28", "resnet34, 3, 32, 32",
        "resnet20, 3, 45, 33", "resnet20, 3, 64, 48"})
    void forwardGivesPooledFeaturesOfTheDeclaredShape(String arch, int c, int h, int w) {
        ResNetCifar net = Architectures.backbone(arch);
        Shape in = new Shape(2, c, h, w);
        net.initialize(manager, DataType.FLOAT32, in);
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.randomNormal(in);
            NDArray f = net.forward(new ParameterStore(step, false), new NDList(x), false).singletonOrThrow();
            Shape expected = new Shape(2, net.featureDim());
            assertEquals(expected, f.getShape());
            assertEquals(expected, net.getOutputShapes(new Shape[] {in})[0]);
            assertTrue(f.isInfinite().logicalOr(f.isNaN()).none().getBoolean(), "finite features");
        }
    }

    @Test
    void residualBlocksDeclareTheShapeTheyProduce() {
        for (Shortcut kind : Shortcut.values()) {
            ResidualBlock b = ResidualBlock.builder().setInChannels(16).setOutChannels(32).optStride(2)
                    .setShortcut(kind).build();
            Shape in = new Shape(2, 16, 7, 9);
            b.initialize(manager, DataType.FLOAT32, in);
            try (NDManager step = manager.newSubManager()) {
                NDArray y = b.forward(new ParameterStore(step, false), new NDList(step.randomNormal(in)), true)
                        .singletonOrThrow();
                assertEquals(new Shape(2, 32, 4, 5), y.getShape(), kind.name());
                assertEquals(y.getShape(), b.getOutputShapes(new Shape[] {in})[0], kind.name());
                assertTrue(y.min().getFloat() >= 0, "ends in a ReLU");
            }
        }
    }

    /** Features and every parameter's gradient of one training step, flattened. */
    private static List<float[]> stepOutputs(ResNetCifar net, NDArray input) {
        List<float[]> out = new ArrayList<>();
        try (NDManager step = manager.newSubManager()) {
            NDArray x = input.duplicate();
            x.attach(step);
            try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                NDArray f = net.forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow();
                out.add(f.toType(DataType.FLOAT32, false).toFloatArray());
                // A loss that weighs every feature differently, so every gradient is non-trivial.
                NDArray weights = step.arange((float) f.size()).reshape(f.getShape()).sin().toType(f.getDataType(), false);
                gc.backward(f.mul(weights).sum());
            }
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    out.add(p.getValue().getArray().getGradient().toType(DataType.FLOAT32, false).toFloatArray());
                }
            }
        }
        return out;
    }

    /**
     * Both layouts compute ResNet20's widths as 64-bit floats do, through libtorch's reference
     * kernels (oneDNN has none for 64 bits). On some processors one layout computes other widths
     * wrongly; {@link KernelCheck} guards against that, and its tests are in KernelCheckTest.
     */
    @ParameterizedTest
    @CsvSource({"1, 9, 7, ZERO_PAD", "3, 8, 8, PROJECTION", "3, 6, 5, ZERO_PAD", "1, 12, 12, PROJECTION"})
    void bothLayoutsComputeWhatSixtyFourBitFloatsCompute(int channels, int h, int w, Shortcut kind) {
        ResNetCifar.Builder b = ResNetCifar.builder().setStageWidths(16, 32, 64).setBlocksPerStage(1, 2, 1)
                .setShortcut(kind);
        ResNetCifar fast = b.build();
        ResNetCifar plain = b.optChannelsLast(false).build();
        ResNetCifar exact = b.optChannelsLast(false).build();
        assertTrue(fast.channelsLast() && !plain.channelsLast());
        Shape in = new Shape(3, channels, h, w);
        fast.initialize(manager, DataType.FLOAT32, in);
        plain.initialize(manager, DataType.FLOAT32, in);
        exact.initialize(manager, DataType.FLOAT64, in);
        List<Pair<String, Parameter>> from = fast.getParameters().stream().toList();
        List<Pair<String, Parameter>> to = plain.getParameters().stream().toList();
        List<Pair<String, Parameter>> to64 = exact.getParameters().stream().toList();
        for (int i = 0; i < from.size(); i++) {
            NDArray values = from.get(i).getValue().getArray();
            to.get(i).getValue().getArray().set(values.toByteBuffer(false));
            to64.get(i).getValue().getArray().set(values.toType(DataType.FLOAT64, true).toByteBuffer(false));
        }
        try (NDManager data = manager.newSubManager()) {
            NDArray x = data.randomNormal(in);
            List<float[]> e = stepOutputs(exact, x.toType(DataType.FLOAT64, true));
            for (ResNetCifar net : List.of(fast, plain)) {
                List<float[]> a = stepOutputs(net, x);
                assertEquals(e.size(), a.size());
                for (int i = 0; i < e.size(); i++) {
                    float scale = 0;
                    for (float v : e.get(i)) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                    assertTrue(scale > 0, "output " + i + " is all zeros");
                    assertArrayEquals(e.get(i), a.get(i), 1e-4f * scale, (i == 0 ? "features" : "gradient " + i)
                            + " of the " + (net == fast ? "channels-last" : "NCHW") + " network differ from 64-bit floats'");
                }
            }
        }
    }

    @Test
    void narrowNetworksStayNchw() {
        ResNetCifar.Builder b = ResNetCifar.builder().setBlocksPerStage(1, 1).setShortcut(Shortcut.PROJECTION);
        assertTrue(b.setStageWidths(16, 32).build().channelsLast());
        assertTrue(!b.setStageWidths(4, 8).build().channelsLast());
        assertTrue(!b.setStageWidths(16, 32).optChannelsLast(false).build().channelsLast());
        assertTrue(Architectures.backbone("resnet20").channelsLast() && Architectures.backbone("resnet18").channelsLast());
        // Where the heap corruption was seen: a 1×1 stride-2 projection from 4 channels, backward.
        ResNetCifar net = b.setStageWidths(4, 8).optChannelsLast(true).build();
        Shape in = new Shape(3, 3, 8, 8);
        net.initialize(manager, DataType.FLOAT32, in);
        try (NDManager data = manager.newSubManager()) {
            for (int i = 0; i < 20; i++) {
                assertEquals(1 + countGradients(net), stepOutputs(net, data.randomNormal(in)).size());
            }
        }
    }

    private static int countGradients(ResNetCifar net) {
        int n = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            n += p.getValue().requiresGradient() ? 1 : 0;
        }
        return n;
    }

    @Test
    void zeroPadShortcutAddsNoParametersAndProjectionAddsOne1x1ConvWithBatchNorm() {
        ResidualBlock a = ResidualBlock.builder().setInChannels(16).setOutChannels(32).optStride(2)
                .setShortcut(Shortcut.ZERO_PAD).build();
        ResidualBlock b = ResidualBlock.builder().setInChannels(16).setOutChannels(32).optStride(2)
                .setShortcut(Shortcut.PROJECTION).build();
        Shape in = new Shape(1, 16, 8, 8);
        a.initialize(manager, DataType.FLOAT32, in);
        b.initialize(manager, DataType.FLOAT32, in);
        assertEquals(basicBlock(16, 32, false), trainableParameters(a));
        assertEquals(basicBlock(16, 32, true), trainableParameters(b));
    }

    @Test
    void convolutionWeightsStartKaimingNormalWithFanIn() {
        ResNetCifar net = Architectures.backbone("resnet18");
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        for (Pair<String, Parameter> p : net.getParameters()) {
            NDArray w = p.getValue().getArray();
            if (w.getShape().dimension() == 4 && w.size() > 100_000) {
                double fanIn = w.getShape().size() / (double) w.getShape().get(0);
                double std = Math.sqrt(w.square().mean().getFloat());
                assertEquals(Math.sqrt(2 / fanIn), std, 0.02 * Math.sqrt(2 / fanIn), p.getKey());
                assertEquals(0, w.mean().getFloat(), 0.01 * std, p.getKey());
            }
        }
    }

    @Test
    void acceptsAnyNumberOfInputChannels() {
        for (int c : new int[] {1, 3, 4}) {
            ResNetCifar net = ResNetCifar.threeStage(8);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, c, 28, 28));
            Parameter stem = net.getParameters().get(0).getValue();
            assertArrayEquals(new long[] {16, c, 3, 3}, stem.getArray().getShape().getShape());
        }
    }

    @Test
    void rejectsBadSettingsAndInputsWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architectures.backbone("resnet19"));
        assertTrue(e.getMessage().contains("resnet18") && e.getMessage().contains("resnet19"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ResNetCifar.threeStage(21));
        assertThrows(IllegalArgumentException.class, () -> ResNetCifar.backbone(19));
        assertEquals(512, ResNetCifar.backbone(34).featureDim());
        assertEquals(64, ResNetCifar.backbone(20).featureDim());
        assertThrows(IllegalArgumentException.class, () -> ResNetCifar.fourStage(50));
        assertThrows(IllegalArgumentException.class, () -> ResNetCifar.builder().setStageWidths(16, 32)
                .setBlocksPerStage(1).setShortcut(Shortcut.ZERO_PAD).build());
        assertThrows(IllegalArgumentException.class, () -> ResNetCifar.builder().setStageWidths(16)
                .setBlocksPerStage(1).build());
        assertThrows(IllegalArgumentException.class, () -> ResNetCifar.builder().setStageWidths(16)
                .setBlocksPerStage(1).setShortcut(Shortcut.ZERO_PAD).optBatchNormMomentum(1f).build());
        assertThrows(IllegalArgumentException.class, () -> ResidualBlock.builder().setInChannels(32)
                .setOutChannels(16).setShortcut(Shortcut.ZERO_PAD).build());
        ResNetCifar net = ResNetCifar.threeStage(8);
        e = assertThrows(IllegalArgumentException.class,
                () -> net.initialize(manager, DataType.FLOAT32, new Shape(1, 28, 28)));
        assertTrue(e.getMessage().contains("N×C×H×W"), e.getMessage());
    }
}
