package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.Normalization;
import io.anglearn.engine.NativeAllocator;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.loss.Losses;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.model.ResNetCifar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Training steps leave nothing behind: the trainer's live native arrays and the process's resident
 * memory stay flat over many steps, and with the tuned allocator a step reuses the previous
 * step's memory instead of faulting in fresh pages. A step whose arrays outlived it would grow all
 * three by the step's activations (several MB here) every step.
 */
class StepMemoryTest {

    private static final int WARMUP_STEPS = 10;
    private static final int STEPS = 40;

    /** Resident set size in bytes, from /proc (Linux). */
    private static long residentBytes() throws IOException {
        String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
        return Long.parseLong(f[1]) * 4096;
    }

    /** Minor page faults of this process so far, from /proc (Linux). */
    private static long minorFaults() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[7]);
    }

    /** ResNet8 (the 16/32/64-channel family, channels-last) with a head of 4 classes, for side×side grey images. */
    private static Trainer resNet8Trainer(String lossName, int side) {
        EmbeddingLoss loss = Losses.create(lossName, Map.of());
        EmbeddingNetwork net = new EmbeddingNetwork(ResNetCifar.threeStage(8), 0, loss.newHead(4));
        return Trainer.builder().setNetwork(net).setLoss(loss).setInputShape(new Shape(1, side, side))
                .setSchedule(Schedule.constant(1e-3)).optOptimizer(new AdamOptimizer(5e-4))
                .optDevices(Device.cpu()).optSeed(1).build();
    }

    @ParameterizedTest
    @MethodSource("losses")
    void stepsLeaveNoArraysBehindWithAnyLoss(String name) {
        ImageDataset data = SyntheticData.images("synthetic/steps", 16 * 4, 4, 8, 5);
        List<Integer> arrays = new ArrayList<>();
        List<Integer> afterEvaluation = new ArrayList<>();
        try (Trainer trainer = resNet8Trainer(name, 8)) {
            TrainingListener probe = new TrainingListener() {
                @Override
                public void onBatch(int epoch, int b, double lossValue) {
                    arrays.add(trainer.managedArrayCount());
                }
            };
            Normalization norm = Normalization.of(data);
            for (int epoch = 1; epoch <= 3; epoch++) {
                BatchLoader loader = BatchLoader.builder().setData(data).setNormalization(norm)
                        .optBatchSize(16).optShuffle(true).optSeed(epoch).build();
                trainer.trainEpoch(loader, new EpochProgress(epoch), probe);
                trainer.evaluate(data, norm, 16);
                afterEvaluation.add(trainer.managedArrayCount());
            }
        }
        // Parameters, gradients and optimiser state exist after the first step; after it the count is fixed.
        for (int i = 1; i < arrays.size(); i++) {
            assertEquals(arrays.get(1), arrays.get(i), name + ": live arrays after each step " + arrays);
        }
        for (int i = 1; i < afterEvaluation.size(); i++) {
            assertEquals(afterEvaluation.get(0), afterEvaluation.get(i), name + ": live arrays after each evaluation "
                    + afterEvaluation);
        }
    }

    static List<String> losses() {
        return Losses.NAMES;
    }

    @Test
    void stepsKeepArraysMemoryAndPageFaultsFlat() throws IOException {
        boolean linux = Files.isReadable(Path.of("/proc/self/statm"));
        int batch = 32;
        ImageDataset data = SyntheticData.images("synthetic/steps", batch * 10, 4, 16, 5);
        List<Integer> arrays = new ArrayList<>();
        long[] memory = new long[2];
        long[] faults = new long[2];
        try (Trainer trainer = resNet8Trainer("arc", 16)) {
            int[] step = {0};
            TrainingListener probe = new TrainingListener() {
                @Override
                public void onBatch(int epoch, int b, double lossValue) {
                    step[0]++;
                    arrays.add(trainer.managedArrayCount());
                    try {
                        if (linux && (step[0] == WARMUP_STEPS || step[0] == STEPS)) {
                            int i = step[0] == WARMUP_STEPS ? 0 : 1;
                            memory[i] = residentBytes();
                            faults[i] = minorFaults();
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            for (int epoch = 1; step[0] < STEPS; epoch++) {
                BatchLoader loader = BatchLoader.builder().setData(data).setNormalization(Normalization.of(data))
                        .optBatchSize(batch).optShuffle(true).optSeed(epoch).build();
                trainer.trainEpoch(loader, new EpochProgress(epoch), probe);
            }
        }
        // Parameters, gradients and optimiser state are made by the first step; after it the count is fixed.
        for (int i = 1; i < arrays.size(); i++) {
            assertEquals(arrays.get(1), arrays.get(i), "live arrays after step " + (i + 1) + ": " + arrays);
        }
        if (!linux) {
            return;
        }
        long grown = memory[1] - memory[0];
        assertTrue(grown < 48L << 20, "resident memory grew by " + (grown >> 20) + " MiB over "
                + (STEPS - WARMUP_STEPS) + " steps");
        if (NativeAllocator.isTuned()) {
            // One step of this network writes about 9 MB of activations and gradients (2 200 pages);
            // reused memory costs no faults, fresh memory costs one per page.
            double perStep = (faults[1] - faults[0]) / (double) (STEPS - WARMUP_STEPS);
            assertTrue(perStep < 300, perStep + " page faults per step: steps write into fresh memory");
        }
    }
}
