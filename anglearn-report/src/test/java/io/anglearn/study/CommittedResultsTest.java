package io.anglearn.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anglearn.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The study cells committed under {@code results/} carry their provenance: a reader can tell when,
 * on what and from which commit each finished, how long it trained in all, and rerun it from the
 * configuration in its {@code result.json}.
 */
class CommittedResultsTest {

    /** The repository's results folder, seen from this module's folder (where the tests run). */
    private static final Path RESULTS = Path.of("..", "results");

    private static List<Path> results(boolean pytorch) throws IOException {
        try (Stream<Path> s = Files.walk(RESULTS)) {
            return s.filter(p -> p.getFileName().toString().equals("result.json"))
                    .filter(p -> p.toString().contains("/pytorch/") == pytorch).sorted().toList();
        }
    }

    @Test
    void everyCommittedCellRecordsItsProvenance() throws IOException {
        List<Path> cells = results(false);
        assertTrue(cells.size() >= 54, "the committed full-data and unseen cells: " + cells.size());
        for (Path f : cells) {
            JsonObject json = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            for (String field : CellResult.PROVENANCE) {
                assertTrue(json.has(field) && !json.get(field).isJsonNull(), f + " records " + field);
            }
            assertTrue(json.get("date").getAsString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), f + ": date");
            assertTrue(json.get("commit").getAsString().matches("[0-9a-f]{7,40}(-dirty)?"), f + ": commit");
            // The configuration is one `train --config` takes, and it is the cell's.
            TrainingConfig c = TrainingConfig.read(f);
            assertEquals(json.get("id").getAsString(), c.name, f + ": configuration of another cell");
            assertEquals(json.get("seed").getAsInt(), c.seed, f + ": seed");
            // Only relative paths, so that the configuration reruns from any clone.
            assertEquals(null, c.dataDir, f + ": a local data folder in the configuration");
            assertFalse(Path.of(c.runsDir).isAbsolute(), f + ": an absolute runs folder in the configuration");
            assertFalse(c.dataset.matches("(idx|folder):/.*"), f + ": an absolute dataset path in the configuration");
            // The summed training time is the metrics' seconds column, every process's epochs included.
            List<String> lines = Files.readAllLines(f.resolveSibling("metrics.csv"));
            int col = List.of(lines.get(0).split(",")).indexOf("seconds");
            double sum = 0;
            for (String line : lines.subList(1, lines.size())) {
                sum += Double.parseDouble(line.split(",")[col]);
            }
            assertEquals(c.epochs, lines.size() - 1, f + ": one metrics row per configured epoch");
            assertEquals(sum, json.get("trainingSeconds").getAsDouble(), 0.01, f + ": summed training seconds");
        }
    }

    @Test
    void everyCommittedPyTorchCellRecordsItsProvenance() throws IOException {
        List<Path> cells = results(true);
        assertTrue(cells.size() >= 5, "the committed PyTorch cells: " + cells.size());
        for (Path f : cells) {
            JsonObject json = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            for (String field : List.of("torch", "commit", "cpu", "date", "training_seconds")) {
                assertTrue(json.has(field) && !json.get(field).isJsonNull(), f + " records " + field);
            }
        }
    }
}
