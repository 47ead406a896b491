package io.anglearn.train;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.anglearn.engine.ArrayEncoding;
import io.anglearn.fuzz.FuzzScratch;
import io.anglearn.rundir.RunFiles;
import io.anglearn.rundir.RunManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzz targets (Jazzer) for the run files a user may hand over: a training
 * configuration ({@code --config}), a run's {@code config.json}, a checkpoint's manifest, and the
 * array files of a checkpoint ({@code .ndlist}, checked before DJL decodes them). The property: read,
 * or refused with an {@link IOException} or {@link IllegalArgumentException} naming the file.
 */
class TrainFuzzTargetsTest {

    private static Path dir;

    private static Path scratch() {
        if (dir == null) {
            dir = FuzzScratch.folder("train");
        }
        return dir;
    }

    /** A configuration file; what reads must also validate. */
    @FuzzTest(maxDuration = "2m")
    void config(byte[] data) throws IOException {
        Path f = scratch().resolve("config.json");
        Files.write(f, data);
        try {
            TrainingConfig.read(f);
        } catch (IOException | IllegalArgumentException e) {
            FuzzScratch.requireNames(e, f);
        }
    }

    /** A run directory's config.json, read as the manifest. */
    @FuzzTest(maxDuration = "2m")
    void runManifest(byte[] data) throws IOException {
        Path run = Files.createDirectories(scratch().resolve("run"));
        Path f = RunFiles.config(run);
        Files.write(f, data);
        try {
            RunManifest.read(run);
        } catch (IOException | IllegalArgumentException e) {
            FuzzScratch.requireNames(e, f);
        }
    }

    /** A checkpoint folder whose manifest.json is the input (the other files absent or empty). */
    @FuzzTest(maxDuration = "2m")
    void checkpointManifest(byte[] data) throws IOException {
        Path ck = Files.createDirectories(scratch().resolve("checkpoint"));
        Path f = ck.resolve(CheckpointStore.MANIFEST_FILE);
        Files.write(f, data);
        Files.write(ck.resolve(CheckpointStore.STATE_FILE), new byte[0]);
        try {
            CheckpointStore.read(ck);
        } catch (IOException | IllegalArgumentException e) {
            FuzzScratch.requireNames(e, ck);
        }
    }

    /** A checkpoint's array list (model.ndlist, optimizer.ndlist). */
    @FuzzTest(maxDuration = "3m")
    void checkpointArrays(byte[] data) {
        try {
            ArrayEncoding.checkList("model.ndlist", data);
        } catch (IOException e) {
            FuzzScratch.requireNames(e, "model.ndlist");
        }
    }
}
