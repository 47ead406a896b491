package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.TestData;
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
        for (String row : csv.subList(1, 3)) {
            for (String field : row.split(",")) {
                assertTrue(!field.isBlank() && !field.equals("NaN"), "every field filled: " + row);
            }
        }
    }
}
