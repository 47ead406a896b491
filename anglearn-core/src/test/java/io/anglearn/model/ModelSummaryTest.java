package io.anglearn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anglearn.engine.Engines;
import io.anglearn.loss.ClassifierHead;
import io.anglearn.loss.HeadKind;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parameter and multiply-accumulate accounting against counts written out by hand. */
class ModelSummaryTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = Engines.pytorch().newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static ModelSummary summarise(String arch, int classes, int d, Shape image, int depth) {
        EmbeddingNetwork net = new EmbeddingNetwork(Architectures.backbone(arch), d,
                new ClassifierHead(classes, HeadKind.LINEAR));
        net.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(image));
        return depth == 0 ? ModelSummary.of(net) : ModelSummary.of(net, depth);
    }

    /** MACs of a k×k convolution producing an out×h×w map. */
    private static long conv(long k, long in, long out, long h, long w) {
        return k * k * in * out * h * w;
    }

    @Test
    void resNet20At32x32CostsAbout41MillionMacs() {
        int n = 3;
        long expected = conv(3, 3, 16, 32, 32)
                + 2 * n * conv(3, 16, 16, 32, 32)
                + conv(3, 16, 32, 16, 16) + (2 * n - 1) * conv(3, 32, 32, 16, 16)
                + conv(3, 32, 64, 8, 8) + (2 * n - 1) * conv(3, 64, 64, 8, 8)
                + 64 * 10;
        ModelSummary s = summarise("resnet20", 10, 0, new Shape(3, 32, 32), 0);
        assertEquals(expected, s.macs());
        assertTrue(s.macs() > 40_000_000L && s.macs() < 42_000_000L, "ResNet20 ≈ 41M MACs, got " + s.macs());
        assertEquals(ResNetCifarTest.threeStageParameters(20, 3) + 64 * 10, s.parameters());
        // Running mean and variance of every BatchNorm: stem 16, then 2 per block.
        assertEquals(2 * (16 + 2 * n * (16 + 32 + 64)), s.buffers());
    }

    @Test
    void resNet18At32x32CostsAbout0point56GigaMacs() {
        long expected = conv(3, 3, 64, 32, 32)
                + 4 * conv(3, 64, 64, 32, 32)
                + conv(3, 64, 128, 16, 16) + 3 * conv(3, 128, 128, 16, 16) + conv(1, 64, 128, 16, 16)
                + conv(3, 128, 256, 8, 8) + 3 * conv(3, 256, 256, 8, 8) + conv(1, 128, 256, 8, 8)
                + conv(3, 256, 512, 4, 4) + 3 * conv(3, 512, 512, 4, 4) + conv(1, 256, 512, 4, 4)
                + 512 * 10;
        ModelSummary s = summarise("resnet18", 10, 0, new Shape(3, 32, 32), 0);
        assertEquals(expected, s.macs());
        assertTrue(s.macs() > 550_000_000L && s.macs() < 570_000_000L, "ResNet18 ≈ 0.56G MACs, got " + s.macs());
        assertEquals(11_168_832L + 5_120, s.parameters());
        assertTrue(s.toTable().contains("parameters: 11,173,952 (11.17M)"), s.toTable());
    }

    @Test
    void projectionAndHeadRowsCountTheirWeights() {
        ModelSummary s = summarise("resnet18", 100, 128, new Shape(1, 28, 28), 1);
        List<LayerSummary> rows = s.layers();
        assertEquals(List.of("backbone", "projection", "head"), rows.stream().map(LayerSummary::name).toList());
        assertEquals(new Shape(512), rows.get(0).outputShape());
        assertEquals(512 * 128 + 128, rows.get(1).parameters());
        assertEquals(512 * 128, rows.get(1).macs());
        assertEquals(new Shape(128), rows.get(1).outputShape());
        assertEquals(100 * 128, rows.get(2).parameters());
        assertEquals(100 * 128, rows.get(2).macs());
        // 28 → 28 → 14 → 7 → 4: the stride-2 stages round up.
        long expected = conv(3, 1, 64, 28, 28) + 4 * conv(3, 64, 64, 28, 28)
                + conv(3, 64, 128, 14, 14) + 3 * conv(3, 128, 128, 14, 14) + conv(1, 64, 128, 14, 14)
                + conv(3, 128, 256, 7, 7) + 3 * conv(3, 256, 256, 7, 7) + conv(1, 128, 256, 7, 7)
                + conv(3, 256, 512, 4, 4) + 3 * conv(3, 512, 512, 4, 4) + conv(1, 256, 512, 4, 4);
        assertEquals(expected, rows.get(0).macs());
    }

    @Test
    void groupingBlocksKeepsTheTotals() {
        ModelSummary layers = summarise("resnet34", 100, 0, new Shape(3, 32, 32), 0);
        ModelSummary blocks = summarise("resnet34", 100, 0, new Shape(3, 32, 32), 2);
        assertEquals(layers.parameters(), blocks.parameters());
        assertEquals(layers.macs(), blocks.macs());
        assertEquals(layers.buffers(), blocks.buffers());
        // stem conv + stem bn + 16 residual blocks + head
        assertEquals(2 + 16 + 1, blocks.layers().size());
        assertEquals(21_276_992L + 51_200, layers.parameters());
        assertEquals(new Shape(512, 4, 4), blocks.layers().get(blocks.layers().size() - 2).outputShape());
    }

    @Test
    void refusesUninitialisedNetworksAndBadDepths() {
        EmbeddingNetwork net = new EmbeddingNetwork(Architectures.backbone("resnet20"), 0,
                new ClassifierHead(10, HeadKind.LINEAR));
        assertThrows(IllegalStateException.class, () -> ModelSummary.of(net));
        assertThrows(IllegalArgumentException.class, () -> ModelSummary.of(net, 0));
    }

    @Test
    void humanCountsUseMetricSuffixes() {
        assertEquals("11.17M", ModelSummary.humanCount(11_173_952));
        assertEquals("0.56G", ModelSummary.humanCount(555_422_720));
        assertEquals("40.55M", ModelSummary.humanCount(40_551_040));
        assertEquals("5.1K", ModelSummary.humanCount(5_120));
    }
}
