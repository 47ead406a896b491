package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anglearn.engine.Engines;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.model.ResNetCifar;
import io.anglearn.model.Shortcut;
import org.junit.jupiter.api.Test;

/** The network a configuration describes: its shortcut and the initialisation of its class weights. */
class TrainingComponentsTest {

    private static double std(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s / v.length);
    }

    private static float[] classWeights(TrainingConfig c) {
        try (NDManager m = Engines.pytorch().newBaseManager(Device.cpu())) {
            EmbeddingNetwork net = TrainingComponents.buildNetwork(c, 10, TrainingComponents.buildLoss(c), null);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            assertEquals(c.shortcut == null ? Shortcut.ZERO_PAD : Shortcut.PROJECTION, ((ResNetCifar) net.backbone()).shortcut());
            return net.head().weight().getArray().toFloatArray();
        }
    }

    @Test
    void theLastSmallerBatchIsDroppedUnlessKept() {
        TrainingData data = SyntheticData.small();
        TrainingConfig c = SyntheticData.smallConfig("runs", "x");
        c.batchSize = 24;
        io.anglearn.data.Normalization norm = io.anglearn.data.Normalization.of(data.train());
        assertEquals(2, TrainingComponents.buildLoader(c, data, norm).batchesPerEpoch(),
                "64 images in batches of 24: the 16 left over are dropped");
        c.keepLastBatch = true;
        assertEquals(3, TrainingComponents.buildLoader(c, data, norm).batchesPerEpoch(),
                "64 images in batches of 24, the last of 16");
        c.sampler = "m-per-class:4";
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                c::validate);
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("--keep-last-batch"), e.getMessage());
    }

    @Test
    void classWeightsAreHeNormalOrNormalWithSigmaOneHundredth() {
        TrainingConfig c = new TrainingConfig();
        double he = std(classWeights(c));
        assertEquals(Math.sqrt(2.0 / 64), he, 0.12 * Math.sqrt(2.0 / 64), "N(0, 2/d) with d = 64");
        c.classInit = "normal-0.01";
        c.shortcut = "B";
        double small = std(classWeights(c));
        assertEquals(0.01, small, 0.0012, "N(0, 0.01^2)");
    }
}
