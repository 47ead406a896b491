package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.anglearn.engine.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    private static TrainingState state(long step, long bestStep) {
        return new TrainingState(step, 1, (int) step, 0.5 * step, step, 10 * step, 1.0, 0.5, List.of(), bestStep,
                bestStep < 0 ? Double.NaN : 12.5, List.of("w"), 0, null);
    }

    private static Path save(CheckpointStore store, NDManager m, long step, long bestStep) throws IOException {
        return store.save(state(step, bestStep), new NDList(m.create(new float[] {step, 2})),
                new NDList(m.create(new float[] {3})), new byte[] {4, 2});
    }

    @Test
    void keepsTheNewestAndTheBestAndReadsBackWhatItWrote(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir, 2);
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            for (long s = 1; s <= 5; s++) {
                save(store, m, s, 2);
            }
            List<String> names = new ArrayList<>();
            store.list().forEach(p -> names.add(p.getFileName().toString()));
            assertEquals(List.of("step-000000002", "step-000000004", "step-000000005"), names);
            CheckpointStore.Checkpoint last = store.find("last");
            assertEquals(5, last.step());
            assertEquals(state(5, 2), last.state());
            assertEquals(2, store.find("best").step());
            assertEquals(4, store.find("step-4").step());
            try (NDManager t = m.newSubManager()) {
                assertArrayEquals(new float[] {5, 2}, last.read(CheckpointStore.MODEL_FILE, t).get(0).toFloatArray());
                assertArrayEquals(new byte[] {4, 2}, Files.readAllBytes(last.dir().resolve(CheckpointStore.LOSS_FILE)));
            }
            assertThrows(IOException.class, () -> store.find("step-3"));
            assertThrows(IllegalArgumentException.class, () -> store.find("newest"));
        }
    }

    @Test
    void skipsDamagedAndUnfinishedCheckpoints(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir, 5);
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            save(store, m, 1, -1);
            Path second = save(store, m, 2, -1);
            // A crash mid-write leaves a hidden temporary folder and no manifest: both are ignored.
            Files.createDirectories(dir.resolve(".tmp-step-000000003-123"));
            Files.write(second.resolve(CheckpointStore.OPTIMIZER_FILE), new byte[] {1, 2, 3});
            List<String> skipped = new ArrayList<>();
            assertEquals(1, store.latestValid(skipped).orElseThrow().step());
            assertEquals(1, skipped.size());
            assertTrue(skipped.get(0).contains("optimizer.ndlist"), skipped.get(0));
            Files.delete(second.resolve(CheckpointStore.MANIFEST_FILE));
            IOException e = assertThrows(IOException.class, () -> CheckpointStore.read(second));
            assertTrue(e.getMessage().contains("manifest.json"), e.getMessage());
            save(store, m, 4, -1);
            assertTrue(Files.notExists(dir.resolve(".tmp-step-000000003-123")), "stale temporary folders are removed");
        }
    }

    @Test
    void rewritingAStepReplacesItAtomically(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir, 3);
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            save(store, m, 7, -1);
            save(store, m, 7, 7);
            assertEquals(1, store.list().size());
            assertEquals(7, store.find("best").step());
        }
    }
}
