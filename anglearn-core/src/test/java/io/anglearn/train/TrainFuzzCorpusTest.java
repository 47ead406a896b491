package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.anglearn.engine.Engines;
import io.anglearn.fuzz.FuzzCheck;
import io.anglearn.fuzz.ScratchDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the configuration and checkpoint fuzz corpus ({@code src/test/resources/fuzz-corpus/},
 * described in each folder's README): each crafted input must be refused with an
 * {@link IOException} whose message names the file at fault and the problem.
 */
class TrainFuzzCorpusTest {

    /**
     * One corpus input.
     *
     * @param name the file (configurations) or folder (checkpoints) in the corpus
     * @param culprit the file the message must name (checkpoints), or null for the input itself
     * @param problem a fragment the message must contain
     */
    record Case(String name, String culprit, String problem) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> configs() {
        return Stream.of(
                new Case("invalid-utf8.json", null, "not UTF-8 text"),
                new Case("number-as-text.json", null, "a number field holds empty String"),
                new Case("deep-nesting.json", null, "Nesting limit 255 reached"),
                new Case("unknown-architecture.json", null, "unknown --arch 'resnet21': did you mean 'resnet20'?"),
                new Case("null-runs-dir.json", null, "--runs-dir must not be empty"),
                new Case("unknown-loss-parameter.json", null, "loss 'arc' has no parameter 'nope'"),
                new Case("array-not-object.json", null, "expected a JSON object"),
                new Case("huge-number.json", null, "--epochs must be > 0"),
                new Case("negative-epochs.json", null, "--epochs must be > 0, got -1"),
                new Case("truncated.json", null, "not a valid configuration"));
    }

    static Stream<Case> checkpoints() {
        return Stream.of(
                new Case("flipped-model", CheckpointStore.MODEL_FILE, "differs from the manifest's"),
                new Case("truncated-optimizer", CheckpointStore.OPTIMIZER_FILE, "the manifest says"),
                new Case("resealed-huge-rank", CheckpointStore.MODEL_FILE, "array 0: rank 2147483647"),
                new Case("resealed-huge-data-length", CheckpointStore.MODEL_FILE,
                        "array 0: holds 2147483392 data bytes, but its shape and type need 24"),
                new Case("resealed-billion-arrays", CheckpointStore.OPTIMIZER_FILE, "declares 1000000000 arrays"),
                new Case("resealed-zip-magic", CheckpointStore.MODEL_FILE, "arrays, impossible in 64 bytes"),
                new Case("resealed-string-array", CheckpointStore.MODEL_FILE, "data type STRING, expected a numeric"),
                new Case("resealed-state-null-records", CheckpointStore.STATE_FILE, "not a valid training state"),
                new Case("resealed-state-negative-step", CheckpointStore.STATE_FILE, "position out of range (step -7"),
                new Case("resealed-state-wrong-type", CheckpointStore.STATE_FILE, "not a valid training state"),
                new Case("manifest-version-text", CheckpointStore.MANIFEST_FILE, "format version \"one\""),
                new Case("manifest-files-array", CheckpointStore.MANIFEST_FILE, "does not list model.ndlist"),
                new Case("manifest-invalid-utf8", CheckpointStore.MANIFEST_FILE, "not UTF-8 text"),
                new Case("missing-state", CheckpointStore.STATE_FILE, "is missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void configurationsAreRefused(Case c) throws Exception {
        try (ScratchDir scratch = ScratchDir.create()) {
            Path file = scratch.path().resolve(c.name());
            copy("config/" + c.name(), file);
            expectFailure(c, file, file, () -> TrainingConfig.read(file));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkpoints")
    void checkpointsAreRefused(Case c) throws Exception {
        try (ScratchDir scratch = ScratchDir.create(); NDManager m = Engines.pytorch().newBaseManager()) {
            Path dir = copyCheckpoint(c.name(), scratch.path());
            expectFailure(c, dir, dir.resolve(c.culprit()), () -> readFully(dir, m));
        }
    }

    /** The corpus's intact checkpoint reads and decodes: the failures above are the damage's own. */
    @Test
    void theIntactCheckpointReads() throws Exception {
        try (ScratchDir scratch = ScratchDir.create(); NDManager m = Engines.pytorch().newBaseManager()) {
            Path dir = copyCheckpoint("valid", scratch.path());
            assertEquals(7, readFully(dir, m).step());
        }
    }

    private static TrainingState readFully(Path dir, NDManager m) throws IOException {
        CheckpointStore.Checkpoint c = CheckpointStore.read(dir);
        try (NDManager sub = m.newSubManager()) {
            assertEquals(2, c.read(CheckpointStore.MODEL_FILE, sub).size());
            assertEquals(4, c.read(CheckpointStore.OPTIMIZER_FILE, sub).size());
        }
        return c.state();
    }

    private static Path copyCheckpoint(String name, Path into) throws IOException {
        Path dir = Files.createDirectories(into.resolve(name));
        for (String f : List.of(CheckpointStore.MANIFEST_FILE, CheckpointStore.STATE_FILE, CheckpointStore.MODEL_FILE,
                CheckpointStore.OPTIMIZER_FILE, CheckpointStore.LOSS_FILE)) {
            if (TrainFuzzCorpusTest.class.getResource("/fuzz-corpus/checkpoint/" + name + "/" + f) != null) {
                copy("checkpoint/" + name + "/" + f, dir.resolve(f));
            }
        }
        return dir;
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = TrainFuzzCorpusTest.class.getResourceAsStream("/fuzz-corpus/" + resource)) {
            assertNotNull(in, "corpus file " + resource + " is missing");
            Files.copy(in, to);
        }
    }

    private static void expectFailure(Case c, Path input, Path culprit, java.util.concurrent.Callable<?> read) {
        FuzzCheck.Outcome<?> out = FuzzCheck.run(input, read);
        assertNotNull(out.error(), c + " must be refused");
        assertEquals(IOException.class, out.error().getClass(), () -> c + ": " + out.error());
        String m = out.error().getMessage();
        assertTrue(m.contains(culprit.toString()), () -> c + ": the message must name " + culprit + ": " + m);
        assertTrue(m.contains(c.problem()), () -> c + ": the message must say '" + c.problem() + "': " + m);
    }
}
