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
                List.of("a", "b"), List.of("a", "b"), true, null, trainImages, 12, new int[] {3, 32, 32}, "none",
                List.of(), steps, 5, batch, "resnet20", 1000, "arc", "adam", "one-cycle", 0.003, "cpu");
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
}
