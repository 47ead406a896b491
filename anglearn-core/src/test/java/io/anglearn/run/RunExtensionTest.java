package io.anglearn.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anglearn.train.CheckpointStore;
import io.anglearn.train.OneCycleSchedule;
import io.anglearn.train.RestartedSchedule;
import io.anglearn.train.RunStatus;
import io.anglearn.train.Schedule;
import io.anglearn.train.StepContext;
import io.anglearn.train.SyntheticData;
import io.anglearn.train.TrainingComponents;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's status, and extending a finished run with more epochs: the schedule restarts over the
 * added epochs ({@link RestartedSchedule}), the steps already trained keep their rates, the
 * extension is recorded in config.json, and an extension killed midway resumes to the same weights
 * as one that was not.
 */
class RunExtensionTest {

    @TempDir
    static Path dir;
    static Path folder;

    /** Four classes of 12 grey 8×8 images; a quarter of each class is held out. */
    @BeforeAll
    static void writeFolder() throws Exception {
        folder = SyntheticData.writeFolder(dir.resolve("images"), SyntheticData.images("four", 48, 4, 8, 7));
    }

    private static TrainingConfig config(String name) {
        TrainingConfig c = SyntheticData.folderConfig(folder, dir.resolve("runs"), name);
        c.checkpointEvery = 1;
        c.tensorBoard = false;
        return c;
    }

    @Test
    void theRestartedScheduleRunsEachSegmentAfresh() {
        OneCycleSchedule first = new OneCycleSchedule(0.01, 30);
        OneCycleSchedule second = new OneCycleSchedule(0.01, 20);
        RestartedSchedule s = new RestartedSchedule(new long[] {0, 30}, new Schedule[] {first, second});
        for (long i = 0; i < 30; i++) {
            assertEquals(first.learningRate(i), s.learningRate(i), 0);
            assertEquals(first.momentum(i), s.momentum(i), 0);
        }
        for (long i = 30; i < 50; i++) {
            assertEquals(second.learningRate(i - 30), s.learningRate(i), 0);
            assertEquals(second.momentum(i - 30), s.momentum(i), 0);
        }
        assertEquals(0.01 / 25, s.learningRate(30), 1e-15, "the extension warms up again from peak / 25");
        assertThrows(IllegalArgumentException.class, () -> new RestartedSchedule(new long[] {5}, new Schedule[] {first}));
        assertThrows(IllegalArgumentException.class,
                () -> new RestartedSchedule(new long[] {0, 0}, new Schedule[] {first, second}));

        TrainingConfig c = new TrainingConfig();
        c.epochs = 5;
        c.scheduleRestarts = new ArrayList<>(List.of(3));
        Schedule built = TrainingComponents.buildSchedule(c, 10);
        OneCycleSchedule before = new OneCycleSchedule(c.learningRate, 30, c.warmupFraction, 25, 1e4, c.maxMomentum,
                c.minMomentum);
        OneCycleSchedule after = new OneCycleSchedule(c.learningRate, 20, c.warmupFraction, 25, 1e4, c.maxMomentum,
                c.minMomentum);
        assertEquals(before.learningRate(29), built.learningRate(29), 0);
        assertEquals(after.learningRate(0), built.learningRate(30), 0);
        assertEquals(after.learningRate(19), built.learningRate(49), 0);
        c.scheduleRestarts = new ArrayList<>(List.of(5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().contains("scheduleRestarts must be ascending epochs between 1 and --epochs - 1"),
                e.getMessage());
    }

    @Test
    void aFinishedRunIsExtendedAndAKilledExtensionResumesToTheSameWeights() throws Exception {
        TrainingRun.Result one = new TrainingRun(config("ext")).execute(new TrainingListener() {});
        Path run = one.runDir();
        RunStatus st = TrainingRun.status(run);
        assertTrue(st.finished());
        assertEquals(1, st.epochsDone());
        assertEquals(3, st.step(), "36 training images in batches of 12");
        assertEquals(1, st.last().epoch());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.extend(run, 1));
        assertTrue(e.getMessage().contains("has already trained 1 epoch; give more to extend it"), e.getMessage());

        // A copy of the finished run, extended and killed midway through its added epochs.
        Path killed = dir.resolve("runs").resolve("ext-killed");
        copyTree(run, killed);
        TrainingRun.Result extended = TrainingRun.extend(run, 3).execute(new TrainingListener() {});
        assertEquals(3, extended.epochs().size());
        assertEquals(one.epochs().get(0).trainLoss(), extended.epochs().get(0).trainLoss(), 0,
                "the first epoch is the finished run's, not trained again");
        JsonObject doc = JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject();
        assertEquals(3, doc.getAsJsonObject("config").get("epochs").getAsInt());
        assertEquals("[1]", doc.getAsJsonObject("config").get("scheduleRestarts").toString());
        JsonObject ext = doc.getAsJsonObject("resolved").getAsJsonArray("extensions").get(0).getAsJsonObject();
        assertEquals(1, ext.get("fromEpochs").getAsInt());
        assertEquals(3, ext.get("toEpochs").getAsInt());
        assertTrue(Files.readString(run.resolve("train.log")).contains("extended from 1 to 3 epochs; the one-cycle"
                + " schedule starts again at epoch 2"));
        // The rate at the extension's first step is the one-cycle's starting rate again.
        TrainingConfig c = TrainingConfig.read(run.resolve("config.json"));
        assertEquals(c.learningRate / 25, TrainingComponents.buildSchedule(c, 3).learningRate(3), 1e-15);
        assertTrue(TrainingRun.status(run).finished());

        assertThrows(IllegalStateException.class, () -> TrainingRun.extend(killed, 3).execute(new TrainingListener() {
            @Override
            public void onStep(StepContext s) {
                if (s.step() == 8) {
                    throw new IllegalStateException("killed");
                }
            }
        }));
        RunStatus half = TrainingRun.status(killed);
        assertFalse(half.finished());
        assertEquals(2, half.epochsDone());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.extend(killed, 4));
        assertTrue(e.getMessage().contains("has not finished: 2 of its 3 epochs are done")
                && e.getMessage().contains("anglearn train --resume"), e.getMessage());
        TrainingRun.Result resumed = TrainingRun.resume(killed).execute(new TrainingListener() {});
        ResumeEqualityTest.assertSameRecords(extended.epochs(), resumed.epochs());
        CheckpointStore.Checkpoint a = new CheckpointStore(run.resolve("checkpoints"), 3).find("last");
        CheckpointStore.Checkpoint b = new CheckpointStore(killed.resolve("checkpoints"), 3).find("last");
        assertArrayEquals(Files.readAllBytes(a.dir().resolve(CheckpointStore.MODEL_FILE)),
                Files.readAllBytes(b.dir().resolve(CheckpointStore.MODEL_FILE)));
    }

    @Test
    void aFolderThatIsNotARunIsNamedSo() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("not-a-run"));
        IOException e = assertThrows(IOException.class, () -> TrainingRun.status(empty));
        assertEquals(empty + " is not a run directory: config.json is missing", e.getMessage());
        e = assertThrows(IOException.class, () -> TrainingRun.resume(empty));
        assertEquals(empty + " is not a run directory: config.json is missing", e.getMessage());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().endsWith(".lock")) {
                    Files.copy(p, t);
                }
            }
        }
    }
}
