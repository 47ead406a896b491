package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.Normalization;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.loss.HeadKind;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.run.TrainingRun;
import io.anglearn.rundir.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A NaN or infinity in the loss or in a gradient is caught at the step where it first appears,
 * before the update: the run stops with a diagnosis naming the batch and the term, or, when asked,
 * skips the batch, counts it and goes on with finite weights.
 */
class NonFiniteTest {

    /** Softmax cross-entropy plus a "poison" term that is NaN, or finite with a NaN gradient, on chosen steps. */
    private static final class PoisonedLoss extends EmbeddingLoss {
        private final Set<Integer> nanLossAt;
        private final Set<Integer> nanGradientAt;
        private int call;

        PoisonedLoss(Set<Integer> nanLossAt, Set<Integer> nanGradientAt) {
            super("poisoned");
            this.nanLossAt = nanLossAt;
            this.nanGradientAt = nanGradientAt;
        }

        @Override
        public HeadKind headKind() {
            return HeadKind.LINEAR;
        }

        @Override
        public NDArray logits(NDArray headOutput, NDArray features, NDArray labels) {
            return headOutput;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            call++;
            NDArray sum = null;
            for (NDArray t : terms(labels, predictions).values()) {
                sum = sum == null ? t : sum.add(t);
            }
            return sum;
        }

        /** Counts nothing, so the trainer's diagnosis sees the same step. */
        @Override
        public Map<String, NDArray> terms(NDList labels, NDList predictions) {
            NDArray features = predictions.get(0);
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put("cross-entropy", crossEntropy(predictions.get(1), labels.singletonOrThrow()));
            NDArray poison;
            if (nanLossAt.contains(call)) {
                poison = features.sum().mul(Float.NaN);
            } else if (nanGradientAt.contains(call)) {
                // sqrt(|x - x|) is 0, but its derivative at 0 is infinite times zero: NaN.
                poison = features.sub(features.stopGradient()).abs().sqrt().sum();
            } else {
                poison = features.sum().mul(0f);
            }
            t.put("poison", poison);
            return t;
        }
    }

    /** 96 images of 4 classes, each bright in its own quadrant: 6 batches of 16. */
    private static ImageDataset quadrants() {
        int n = 96;
        byte[] pixels = new byte[n * 16];
        int[] labels = new int[n];
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < n; i++) {
            int c = i % 4;
            labels[i] = c;
            for (int p = 0; p < 16; p++) {
                boolean bright = (p / 4 / 2) * 2 + p % 4 / 2 == c;
                pixels[i * 16 + p] = (byte) ((bright ? 200 : 30) + random.nextInt(40));
            }
        }
        return new ImageDataset("quadrants", pixels, labels, 1, 4, 4, List.of("a", "b", "c", "d"));
    }

    private record Outcome(Trainer trainer, EpochProgress progress, List<String> skips) {}

    private static Trainer trainer(EmbeddingLoss loss, NonFinitePolicy policy) {
        SequentialBlock backbone = new SequentialBlock().add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(16).build()).add(BatchNorm.builder().build()).add(Activation::relu);
        EmbeddingNetwork net = new EmbeddingNetwork(backbone, 8, loss.newHead(4));
        return Trainer.builder().setNetwork(net).setLoss(loss).setInputShape(new Shape(1, 4, 4))
                .setSchedule(Schedule.constant(1e-2)).optOptimizer(new AdamOptimizer(0)).optDevices(Device.cpu())
                .optSeed(3).optNonFinitePolicy(policy).build();
    }

    private static Outcome trainOneEpoch(Trainer trainer) {
        ImageDataset data = quadrants();
        BatchLoader loader = BatchLoader.builder().setData(data).setNormalization(Normalization.of(data))
                .optBatchSize(16).optShuffle(true).optSeed(1).build();
        List<String> skips = new ArrayList<>();
        EpochProgress p = trainer.trainEpoch(loader, new EpochProgress(1), new TrainingListener() {
            @Override
            public void onBatchSkipped(int epoch, int batch, String diagnosis) {
                skips.add(diagnosis);
            }
        });
        return new Outcome(trainer, p, skips);
    }

    private static void assertAllFinite(Trainer trainer) {
        for (NDArray a : trainer.parameterArrays()) {
            assertEquals(0, NonFiniteDiagnosis.nonFinite(a), "parameter " + a.getName() + " stayed finite");
        }
    }

    @Test
    void nanLossStopsAtItsStepNamingTheTerm() {
        try (Trainer t = trainer(new PoisonedLoss(Set.of(3), Set.of()), NonFinitePolicy.STOP)) {
            NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () -> trainOneEpoch(t));
            assertEquals(1, e.epoch());
            assertEquals(3, e.batch());
            assertEquals(3, e.step());
            assertEquals(2, t.steps(), "the poisoned step was not applied");
            String m = e.getMessage();
            assertTrue(m.contains("epoch 1, batch 3 (step 3, loss 'poisoned'"), m);
            assertTrue(m.contains("poison = NaN"), m);
            assertTrue(m.contains("Likely cause: the loss term 'poison'"), m);
            assertTrue(m.contains("--on-non-finite skip"), m);
            assertAllFinite(t);
        }
    }

    @Test
    void finiteLossWithNanGradientIsCaughtToo() {
        try (Trainer t = trainer(new PoisonedLoss(Set.of(), Set.of(2)), NonFinitePolicy.STOP)) {
            NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () -> trainOneEpoch(t));
            assertEquals(2, e.step());
            String m = e.getMessage();
            assertTrue(m.contains("poison = 0.0"), m);
            assertTrue(m.contains("gradients NaN or infinite in"), m);
            assertTrue(m.contains("Likely cause: the backward pass"), m);
            assertAllFinite(t);
        }
    }

    @Test
    void skipPolicySkipsCountsAndGoesOn() {
        try (Trainer t = trainer(new PoisonedLoss(Set.of(2), Set.of(5)), NonFinitePolicy.SKIP)) {
            Outcome o = trainOneEpoch(t);
            assertEquals(6, o.progress().nextBatch());
            assertEquals(2, o.progress().skippedBatches());
            assertEquals(4, t.steps(), "two of six batches were not applied");
            assertTrue(Double.isFinite(o.progress().meanLoss()), "the mean is over the trained batches");
            assertEquals(2, o.skips().size());
            assertTrue(o.skips().get(0).startsWith("skipped epoch 1, batch 2"), o.skips().get(0));
            assertTrue(o.skips().get(1).startsWith("skipped epoch 1, batch 5"), o.skips().get(1));
            // Had the skipped gradients been left in place, PyTorch would add the next ones to them
            // and every later batch would be non-finite too.
            assertAllFinite(t);
        }
    }

    @Test
    void skippingStopsWhenEveryBatchIsNonFinite() {
        Set<Integer> all = new java.util.HashSet<>();
        for (int i = 1; i <= 200; i++) {
            all.add(i);
        }
        try (Trainer t = trainer(new PoisonedLoss(all, Set.of()), NonFinitePolicy.SKIP)) {
            ImageDataset data = quadrants();
            BatchLoader loader = BatchLoader.builder().setData(data).setNormalization(Normalization.of(data))
                    .optBatchSize(16).optShuffle(true).optSeed(1).build();
            NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () -> {
                for (int epoch = 1; epoch <= 10; epoch++) {
                    t.trainEpoch(loader, new EpochProgress(epoch), new TrainingListener() {});
                }
            });
            assertTrue(e.getMessage().contains(Trainer.MAX_CONSECUTIVE_SKIPS + " batches in a row"), e.getMessage());
            assertEquals(0, t.steps());
        }
    }

    @Test
    void divergingRunStopsWithDiagnosisAndKeepsItsCheckpoint(@TempDir Path runs) throws Exception {
        TrainingConfig c = SyntheticData.smallConfig(runs.toString(), "diverging");
        c.optimizer = "sgd";
        c.schedule = "constant";
        c.learningRate = 1e30;
        c.epochs = 3;
        NonFiniteValueException e = assertThrows(NonFiniteValueException.class,
                () -> new TrainingRun(c, SyntheticData.small()).execute(new TrainingListener() {}));
        Path dir = runs.resolve("diverging");
        String log = Files.readString(dir.resolve("train.log"));
        assertTrue(log.contains("non-finite value at epoch " + e.epoch() + ", batch " + e.batch()), log);
        assertTrue(Files.isRegularFile(dir.resolve(RunFiles.CONFIG)));
    }

    @Test
    void configRejectsAnUnknownPolicy() {
        TrainingConfig c = SyntheticData.smallConfig("runs", "x");
        c.onNonFinite = "ignore";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().contains("--on-non-finite"), e.getMessage());
        c.onNonFinite = "SKIP";
        c.validate();
    }
}
