package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anglearn.engine.Engines;
import io.anglearn.fuzz.Draw;
import io.anglearn.fuzz.Fuzz;
import io.anglearn.fuzz.FuzzCheck;
import io.anglearn.fuzz.Mutation;
import io.anglearn.fuzz.Mutations;
import io.anglearn.fuzz.ScratchDir;
import io.anglearn.metrics.AngleStatistics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes checkpoint reading: any file of a small checkpoint damaged, either plainly (the manifest's
 * checksums must catch it) or re-sealed with a matching manifest, so the damage reaches the JSON
 * and array decoders; files missing or replaced by folders. A checkpoint either reads, with a sane
 * state and arrays that decode, or is refused with an error naming the file. Inputs are drawn from
 * seeded random sources and not shrunk; a failure prints its seed for replay.
 */
class CheckpointFuzzTest {

    private static final List<String> FILES = List.of(CheckpointStore.MANIFEST_FILE, CheckpointStore.STATE_FILE,
            CheckpointStore.MODEL_FILE, CheckpointStore.OPTIMIZER_FILE, CheckpointStore.LOSS_FILE);

    private static NDManager manager;

    /** How the damage is applied. */
    enum Damage { PLAIN, RESEALED, MISSING, FOLDER }

    @BeforeAll
    static void engine() {
        manager = Engines.pytorch().newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** The undamaged checkpoint reads: a reader that refused everything would fail here. */
    @Test
    void intactCheckpointReads() throws Exception {
        try (ScratchDir scratch = ScratchDir.create()) {
            assertEquals(7, readFully(save(scratch.path(), manager)).step());
        }
    }

    @Test
    void checkpointReadsOrIsRefused() {
        Fuzz.run(getClass(), "checkpointReadsOrIsRefused", 100, CheckpointFuzzTest::checkpointTry);
    }

    private static void checkpointTry(SplittableRandom r) throws Exception {
        String victim = Draw.oneOf(r, FILES);
        Damage damage = Draw.oneOf(r, Damage.class);
        List<Mutation> edits = Mutations.some(r, 3);
        try (ScratchDir scratch = ScratchDir.create()) {
            Path ckpt = save(scratch.path(), manager);
            Path file = ckpt.resolve(victim);
            switch (damage) {
                case PLAIN -> Files.write(file, Mutation.applyAll(Files.readAllBytes(file), edits));
                case RESEALED -> {
                    Files.write(file, Mutation.applyAll(Files.readAllBytes(file), edits));
                    if (!victim.equals(CheckpointStore.MANIFEST_FILE)) {
                        reseal(ckpt);
                    }
                }
                case MISSING -> Files.delete(file);
                case FOLDER -> {
                    Files.delete(file);
                    Files.createDirectory(file);
                }
                default -> throw new AssertionError(damage);
            }
            FuzzCheck.run(ckpt, () -> readFully(ckpt));
        }
    }

    /** Reads a checkpoint as resuming does: verify, then decode both array files. */
    private static TrainingState readFully(Path ckpt) throws Exception {
        CheckpointStore.Checkpoint c = CheckpointStore.read(ckpt);
        TrainingState s = c.state();
        assertNotNull(s.records());
        assertNotNull(s.parameterNames());
        assertTrue(s.step() >= 0 && s.epoch() >= 1 && s.nextBatch() >= 0 && s.bestStep() >= -1, s.toString());
        try (NDManager sub = manager.newSubManager()) {
            NDList model = c.read(CheckpointStore.MODEL_FILE, sub);
            NDList optimizer = c.read(CheckpointStore.OPTIMIZER_FILE, sub);
            assertNotNull(model);
            assertNotNull(optimizer);
        }
        return s;
    }

    /** A tiny checkpoint: two parameters, an Adam-like state, a loss state, two epoch records. */
    static Path save(Path dir, NDManager base) throws Exception {
        try (NDManager m = base.newSubManager()) {
            NDList model = new NDList(m.arange(6f).reshape(2, 3), m.ones(new Shape(3)));
            model.get(0).setName("w");
            NDList optimizer = new NDList(m.zeros(new Shape(2, 3)), m.zeros(new Shape(3)),
                    m.ones(new Shape(2, 3), DataType.FLOAT32), m.ones(new Shape(3)));
            TrainingState state = new TrainingState(7, 3, 1, 1.5, 3, 4, 0.25, 0.125,
                    List.of(new EpochRecord(1, 2.0, 0.5, 0.4, 0.1, new AngleStatistics(1.5, 1.2, 0.3, 1.1, 0.2), 0.003,
                            1.0, 12.0, 0.5, 0), new EpochRecord(2, 1.0, 0.7, Double.NaN, Double.NaN, null, 0.001, 1.0,
                            12.0, 0.5, 1)),
                    5, 12.5, List.of("w", "b"), 0, null);
            return new CheckpointStore(dir.resolve("checkpoints"), 1).save(state, model, optimizer,
                    new byte[] {0, 0, 0, 1, 1, 2, 3});
        }
    }

    /** Rewrites the manifest so that it matches the files as they are now. */
    static void reseal(Path ckpt) throws Exception {
        Path mf = ckpt.resolve(CheckpointStore.MANIFEST_FILE);
        JsonObject manifest = JsonParser.parseString(Files.readString(mf)).getAsJsonObject();
        JsonObject files = manifest.getAsJsonObject("files");
        for (String name : files.keySet()) {
            Path f = ckpt.resolve(name);
            if (Files.isRegularFile(f)) {
                byte[] b = Files.readAllBytes(f);
                files.getAsJsonObject(name).addProperty("sha256", CheckpointStore.sha256(b));
                files.getAsJsonObject(name).addProperty("bytes", b.length);
            }
        }
        Files.write(mf, manifest.toString().getBytes(StandardCharsets.UTF_8));
    }
}
