package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.TestData;
import io.anglearn.run.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The walking skeleton end to end on real Fashion-MNIST: data → ResNet20 → arc → metrics → run directory. */
class SkeletonTrainingIT {

    @Test
    void trainsOneEpochAndWritesTheRunDirectory(@TempDir Path runs) throws Exception {
        TrainingConfig c = new TrainingConfig();
        c.dataDir = TestData.dataset("fashion-mnist").toString();
        c.limitTrain = 2048;
        c.limitTest = 1000;
        c.epochs = 2;
        c.batchSize = 128;
        c.name = "skeleton";
        c.runsDir = runs.toString();
        TrainingRun.Result r = new TrainingRun(c).execute(new TrainingListener() {});
        assertEquals(2, r.epochs().size());
        EpochRecord last = r.epochs().get(1);
        assertTrue(last.testTop1Error() < 60, "test error after 2 short epochs: " + last.testTop1Error());
        assertTrue(Files.isRegularFile(r.runDir().resolve("config.json")));
        List<String> csv = Files.readAllLines(r.runDir().resolve("metrics.csv"));
        assertEquals(3, csv.size(), "header + one row per epoch");
        List<String> header = List.of(csv.get(0).split(","));
        // The retrieval columns are for runs evaluated by retrieval; this one is evaluated by classification.
        List<String> retrieval = List.of("p_at_1", "r_precision", "map_at_r", "nmi");
        for (String row : csv.subList(1, 3)) {
            String[] fields = row.split(",");
            assertEquals(header.size(), fields.length, row);
            for (int i = 0; i < fields.length; i++) {
                boolean applies = !retrieval.contains(header.get(i));
                assertEquals(applies, !fields[i].isBlank() && !fields[i].equals("NaN"),
                        header.get(i) + (applies ? " filled: " : " not applicable: ") + row);
            }
        }
    }
}
