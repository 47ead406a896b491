package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start summary's lines, in particular the warning about a batch too large for the training split. */
class RunSummaryTest {

    private static RunSummary summary(int trainImages, int batch) {
        int steps = (trainImages + batch - 1) / batch;
        return new RunSummary(Path.of("runs", "mine"), null, "folder:photos", Path.of("photos"), null,
                List.of("a", "b"), List.of("a", "b"), true, null, trainImages, 12, trainImages, 12, new int[] {3, 32, 32},
                "none", List.of(), steps, 5, batch, "shuffle", "resnet20", 1000, "arc", null, "adam", "one-cycle", 0.003,
                "cpu");
    }

    @Test
    void aBatchOfMoreThanAQuarterOfTheImagesIsWarnedAboutWithASize() {
        String lines = String.join("\n", summary(60, 256).lines());
        assertTrue(lines.contains("warning   the batch of 256 is more than a quarter of the 60 training images: 1 step per"
                + " epoch barely trains; try --batch-size 4"), lines);
        assertFalse(String.join("\n", summary(60, 8).lines()).contains("warning"));
        assertFalse(String.join("\n", summary(60000, 256).lines()).contains("warning"));
    }

    @Test
    void theSuggestedSizeGivesAtLeastEightSteps() {
        assertEquals(4, RunSummary.suggestedBatchSize(60));
        assertEquals(64, RunSummary.suggestedBatchSize(600));
        assertEquals(1, RunSummary.suggestedBatchSize(3));
        assertTrue(RunSummary.tooLargeBatch(16, 63));
        assertFalse(RunSummary.tooLargeBatch(16, 64));
    }

    @Test
    void limitedSplitsSayOfHowManyAndTheSamplerAndMinerAreNamed() {
        RunSummary limited = new RunSummary(Path.of("runs", "t1"), null, "fashion-mnist", Path.of("data"), null,
                List.of("a", "b"), List.of("a", "b"), true, null, 5000, 500, 60000, 10000, new int[] {1, 28, 28},
                "none", List.of(), 20, 1, 256, "m-per-class:4", "resnet20", 1000, "triplet", "batch-hard margin=0.2",
                "adam", "one-cycle", 0.003, "cpu");
        List<String> lines = limited.lines();
        assertTrue(lines.contains("images    5000 of 60000 for training, 500 of 10000 for testing; 1x28x28 (grey);"
                + " augmentation none"), String.join("\n", lines));
        assertTrue(lines.contains("steps     20 per epoch (batch 256, sampler m-per-class:4), 1 epoch, 20 steps in all;"
                + " adam, one-cycle to lr 0.00300"), String.join("\n", lines));
        assertTrue(lines.contains("model     resnet20, 1,000 parameters, loss triplet with miner batch-hard margin=0.2,"
                + " on cpu"), String.join("\n", lines));
        String full = String.join("\n", summary(60, 8).lines());
        assertTrue(full.contains("images    60 for training, 12 for testing;") && full.contains("sampler shuffle")
                && full.contains("loss arc, on cpu"), full);
    }
}
