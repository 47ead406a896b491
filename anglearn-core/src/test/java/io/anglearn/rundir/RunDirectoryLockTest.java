package io.anglearn.rundir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.run.TrainingRun;
import io.anglearn.train.SyntheticData;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second training run on a directory that is being trained refuses instead of interleaving. */
class RunDirectoryLockTest {

    @Test
    void aSecondRunOnALockedDirectoryRefusesAndWritesNothing(@TempDir Path runs) throws Exception {
        Path dir = Files.createDirectories(runs.resolve("busy"));
        try (RunDirectoryLock held = RunDirectoryLock.acquire(dir)) {
            TrainingConfig c = SyntheticData.smallConfig(runs.toString(), "busy");
            c.epochs = 1;
            IOException e = assertThrows(IOException.class,
                    () -> new TrainingRun(c, SyntheticData.small()).execute(new TrainingListener() {}));
            assertTrue(e.getMessage().contains("is being trained by another anglearn run"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("config.json")), "the refused run wrote nothing");
            assertFalse(Files.exists(dir.resolve("train.log")), "the refused run wrote nothing");
        }
        // Released: the same directory can now be trained.
        TrainingConfig c = SyntheticData.smallConfig(runs.toString(), "busy");
        c.epochs = 1;
        c.tensorBoard = false;
        new TrainingRun(c, SyntheticData.small()).execute(new TrainingListener() {});
        assertTrue(Files.isRegularFile(dir.resolve("metrics.csv")));
        try (RunDirectoryLock again = RunDirectoryLock.acquire(dir)) {
            assertTrue(Files.exists(dir.resolve(RunDirectoryLock.FILE)), "the run released its lock when it ended");
        }
    }
}
