package io.anglearn.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.rundir.RunFiles;
import io.anglearn.train.CheckpointStore;
import io.anglearn.train.EpochRecord;
import io.anglearn.train.StepContext;
import io.anglearn.train.SyntheticData;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingData;
import io.anglearn.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed at arbitrary steps and resumed ends with bit-identical weights, optimiser state
 * and metrics to an uninterrupted one.
 */
public class ResumeEqualityTest {

    /** Simulates a crash: throws after the given optimiser step, before anything else is written. */
    private static final class Kill extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private static TrainingListener killAfter(long step) {
        return new TrainingListener() {
            @Override
            public void onStep(StepContext s) {
                if (s.step() == step) {
                    throw new Kill();
                }
            }
        };
    }

    @Test
    void killedAndResumedRunEqualsUninterruptedRun(@TempDir Path runs) throws Exception {
        checkResume(runs, "arc", List.of(CheckpointStore.MODEL_FILE, CheckpointStore.OPTIMIZER_FILE));
    }

    @Test
    void centerLossCentresAreRestoredToo(@TempDir Path runs) throws Exception {
        checkResume(runs, "center",
                List.of(CheckpointStore.MODEL_FILE, CheckpointStore.OPTIMIZER_FILE, CheckpointStore.LOSS_FILE));
    }

    private static void checkResume(Path runs, String lossName, List<String> files) throws Exception {
        TrainingData data = SyntheticData.small();
        TrainingConfig c = SyntheticData.smallConfig(runs.toString(), "whole");
        c.loss = lossName;
        c.epochs = 2;
        c.checkpointEvery = 3;
        c.evalEvery = 2;
        c.optimizer = "adam";
        c.angleInterval = 1; // the recorder measures at every step, so resuming must keep its rows exactly
        TrainingRun.Result whole = new TrainingRun(c, data).execute(new TrainingListener() {});

        TrainingConfig k = c.copy();
        k.name = "killed";
        // 4 steps per epoch, checkpoints after steps 3, 4 (epoch end), 6 and 8 (epoch end). Killed
        // after step 5 (resumes from step 4, an epoch boundary), again after step 7 (resumes from
        // step 6, mid-epoch 2, repeating step 7), then run to the end.
        assertThrows(Kill.class, () -> new TrainingRun(k, data).execute(killAfter(5)));
        Path killedDir = runs.resolve("killed");
        assertThrows(Kill.class, () -> TrainingRun.resume(killedDir, data).execute(killAfter(7)));
        TrainingRun.Result resumed = TrainingRun.resume(killedDir, data).execute(new TrainingListener() {});

        assertSameRecords(whole.epochs(), resumed.epochs());
        CheckpointStore.Checkpoint a = new CheckpointStore(whole.runDir().resolve("checkpoints"), 3).find("last");
        CheckpointStore.Checkpoint b = new CheckpointStore(resumed.runDir().resolve("checkpoints"), 3).find("last");
        assertEquals(8, a.step());
        assertEquals(a.step(), b.step());
        if (files.contains(CheckpointStore.LOSS_FILE)) {
            assertTrue(Files.size(a.dir().resolve(CheckpointStore.LOSS_FILE)) > 0, "the loss has state to compare");
        }
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(a.dir().resolve(f)), Files.readAllBytes(b.dir().resolve(f)),
                    f + " differs between the uninterrupted and the resumed run");
        }
        // The recorder kept the rows up to each resumed step and measured the rest again: the same file.
        String angles = Files.readString(runs.resolve("whole").resolve(RunFiles.ANGLES_BY_ITERATION));
        assertEquals(8, angles.lines().count() - 1, angles);
        assertEquals(angles, Files.readString(killedDir.resolve(RunFiles.ANGLES_BY_ITERATION)));
        String log = Files.readString(killedDir.resolve("train.log"));
        assertTrue(log.contains("resumed from step-000000004"), log);
        assertTrue(log.contains("resumed from step-000000006"), log);
    }

    public static void assertSameRecords(List<EpochRecord> expected, List<EpochRecord> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            EpochRecord e = expected.get(i);
            EpochRecord a = actual.get(i);
            String at = "epoch " + e.epoch();
            assertEquals(e.epoch(), a.epoch(), at);
            assertEquals(e.trainLoss(), a.trainLoss(), 0.0, at + " train loss");
            assertEquals(e.trainAccuracy(), a.trainAccuracy(), 0.0, at + " train accuracy");
            assertEquals(e.testTop1Error(), a.testTop1Error(), 0.0, at + " top-1");
            assertEquals(e.testTop5Error(), a.testTop5Error(), 0.0, at + " top-5");
            assertEquals(e.angles(), a.angles(), at + " angle statistics");
            assertEquals(e.learningRate(), a.learningRate(), 0.0, at + " learning rate");
        }
    }
}
