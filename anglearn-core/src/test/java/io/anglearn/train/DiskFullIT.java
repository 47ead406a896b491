package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anglearn.run.ResumeEqualityTest;
import io.anglearn.run.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose disk fills up, or whose run directory turns read-only, stops with an error that
 * names the file and the reason; its newest checkpoint stays intact, and once space is back the
 * run resumes from it and ends exactly like an uninterrupted one.
 *
 * <p>Uses a real, small tmpfs mounted for the test, so it needs root and permission to mount;
 * skipped with the reason otherwise.
 */
class DiskFullIT {

    private static int sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
        return p.exitValue();
    }

    private static Throwable rootMessageHolder(Throwable t) {
        return t instanceof UncheckedIOException && t.getCause() != null ? t.getCause() : t;
    }

    @Test
    void fullDiskAndReadOnlyDirectoryStopClearlyAndLoseNothing(@TempDir Path work) throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && "root".equals(System.getProperty("user.name")),
                "needs root on Linux to mount a small tmpfs");
        Path disk = Files.createDirectories(work.resolve("disk"));
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", disk.toString()) == 0,
                "mounting a tmpfs is not permitted here");
        try {
            TrainingData data = SyntheticData.small();
            TrainingConfig c = SyntheticData.smallConfig(disk.toString(), "full");
            c.epochs = 3;
            c.checkpointEvery = 1;
            c.keepCheckpoints = 1;
            // ResNet20's checkpoint (weights and Adam's moments) is about 3.3 MB: the second one does not fit in 6 MB.
            Exception full = assertThrows(Exception.class, () -> new TrainingRun(c, data).execute(new TrainingListener() {}));
            String m = rootMessageHolder(full).getMessage();
            assertTrue(m.contains("No space left on device"), m);
            assertTrue(m.contains(disk.toString()), "names the file or folder: " + m);
            assertTrue(m.contains("intact"), m);
            Path dir = disk.resolve("full");
            CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 1);
            List<String> damaged = new ArrayList<>();
            Optional<CheckpointStore.Checkpoint> kept = store.latestValid(damaged);
            assertTrue(kept.isPresent(), "a checkpoint survived");
            assertTrue(damaged.isEmpty(), "no damaged checkpoint: " + damaged);
            try (Stream<Path> s = Files.list(dir.resolve("checkpoints"))) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".tmp")), "the failed write was removed");
            }
            byte[] model = Files.readAllBytes(kept.get().dir().resolve(CheckpointStore.MODEL_FILE));

            // Read-only: resuming refuses clearly and changes nothing.
            assertEquals(0, sh("mount", "-o", "remount,ro", disk.toString()));
            Exception ro = assertThrows(Exception.class, () -> TrainingRun.resume(dir, data).execute(new TrainingListener() {}));
            String r = rootMessageHolder(ro).getMessage();
            assertTrue(r.contains("Read-only file system") && r.contains(disk.toString()), r);

            // Space back: the run resumes from the kept checkpoint and ends like an uninterrupted run.
            assertEquals(0, sh("mount", "-o", "remount,rw,size=64m", disk.toString()));
            assertArrayEquals(model, Files.readAllBytes(kept.get().dir().resolve(CheckpointStore.MODEL_FILE)),
                    "the kept checkpoint is unchanged");
            TrainingRun.Result resumed = TrainingRun.resume(dir, data).execute(new TrainingListener() {});
            TrainingConfig w = c.copy();
            w.runsDir = work.resolve("runs").toString();
            w.name = "whole";
            TrainingRun.Result whole = new TrainingRun(w, data).execute(new TrainingListener() {});
            ResumeEqualityTest.assertSameRecords(whole.epochs(), resumed.epochs());
            assertTrue(Files.readString(dir.resolve("train.log")).contains("resumed from step-"));
        } finally {
            sh("umount", "-l", disk.toString());
        }
    }

    @Test
    void runsDirectoryThatIsAFileIsRefusedClearly(@TempDir Path work) throws IOException {
        Path file = Files.writeString(work.resolve("not-a-folder"), "x");
        TrainingConfig c = SyntheticData.smallConfig(file.toString(), "r");
        Exception e = assertThrows(Exception.class,
                () -> new TrainingRun(c, SyntheticData.small()).execute(new TrainingListener() {}));
        String m = rootMessageHolder(e).getMessage();
        assertTrue(m.contains(file.toString()), m);
        assertEquals("x", Files.readString(file), "the file in the way is untouched");
    }
}
