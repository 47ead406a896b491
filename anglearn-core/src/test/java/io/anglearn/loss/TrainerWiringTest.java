package io.anglearn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.Normalization;
import io.anglearn.metrics.EmbeddingAccumulator;
import io.anglearn.metrics.RetrievalMetrics;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.train.Schedule;
import io.anglearn.train.Trainer;
import io.anglearn.train.TrainingListener;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss trains through anglearn's trainer on a tiny synthetic task (4 classes of 4×4 images, each
 * class bright in its own quadrant): finite losses, the head the loss asks for, and the state hooks
 * called once per step. A classification loss must fit the quadrants by top-1 error; a pair loss,
 * which has no head to classify with, by precision@1 of its features.
 */
class TrainerWiringTest {

    static Stream<String> names() {
        return Losses.NAMES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void trainsAndCallsTheStateHooks(String name) {
        ImageDataset data = quadrants(96);
        Normalization norm = Normalization.of(data);
        EmbeddingLoss loss = Losses.create(name);
        SequentialBlock backbone = new SequentialBlock().add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(16).build()).add(Activation::relu);
        EmbeddingNetwork net = new EmbeddingNetwork(backbone, 8, loss.newHead(4));
        BatchLoader loader = BatchLoader.builder().setData(data).setNormalization(norm).optBatchSize(16)
                .optShuffle(true).optSeed(1).build();
        try (Trainer trainer = Trainer.builder().setNetwork(net).setLoss(loss).setInputShape(new Shape(1, 4, 4))
                .setSchedule(Schedule.constant(1e-2)).optOptimizer(new io.anglearn.train.AdamOptimizer(0))
                .optDevices(Device.cpu()).optSeed(3).build()) {
            double first = trainer.trainEpoch(loader, new io.anglearn.train.EpochProgress(1), new TrainingListener() {})
                    .meanLoss();
            double second = trainer.trainEpoch(loader, new io.anglearn.train.EpochProgress(2), new TrainingListener() {})
                    .meanLoss();
            assertTrue(Double.isFinite(first) && Double.isFinite(second), name + " losses " + first + ", " + second);
            assertEquals(12, trainer.steps());
            EmbeddingAccumulator acc = trainer.evaluate(data, norm, 32);
            if (trainer.headless()) {
                assertTrue(Double.isNaN(acc.top1Error()), name + ": no head, no top-1 error");
                assertThrows(IllegalStateException.class, trainer::classWeights);
                io.anglearn.train.Embeddings e = trainer.inference().embed(data, norm, 32);
                assertEquals(0, e.numClasses());
                double p1 = RetrievalMetrics.compute(e.features(), e.dim(), e.labels()).precisionAt1();
                assertTrue(p1 > 0.5, name + " fits the quadrants: precision@1 " + p1);
                return;
            }
            assertTrue(acc.top1Error() < 50, name + " fits the quadrants: top-1 error " + acc.top1Error());
            assertEquals(4, trainer.classWeights().length);
            assertEquals(8, trainer.classWeights()[0].length);
            if (loss instanceof CenterLoss center) {
                assertTrue(center.centers().abs().sum().getFloat() > 0, "centres moved");
            }
            if (loss instanceof SphereFaceLoss sphere) {
                assertEquals(12, sphere.step(), "afterStep once per step");
            }
            if (loss instanceof AdaCosLoss ada) {
                assertTrue(ada.scale(4) != AdaCosLoss.fixedScale(4), "the dynamic scale was committed");
            }
        }
    }

    private static ImageDataset quadrants(int n) {
        Random random = new Random(5);
        byte[] pixels = new byte[n * 16];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 4;
            labels[i] = c;
            for (int p = 0; p < 16; p++) {
                int row = p / 4;
                int col = p % 4;
                boolean bright = (row / 2) * 2 + col / 2 == c;
                pixels[i * 16 + p] = (byte) ((bright ? 200 : 30) + random.nextInt(40));
            }
        }
        return new ImageDataset("quadrants", pixels, labels, 1, 4, 4, List.of("a", "b", "c", "d"));
    }
}
