package io.anglearn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.metrics.AngleStatistics;
import io.anglearn.record.MetricsTable;
import io.anglearn.record.RunArtifacts;
import io.anglearn.rundir.AtomicFiles;
import io.anglearn.rundir.RunFiles;
import io.anglearn.train.EpochRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the report says about itself: the images a figure holds, why a figure is missing, results first. */
class ReportExplanationsTest {

    @Test
    void theSimilarityCaptionCountsTheImagesUsed() {
        assertEquals("6 test images per class (all the recorded embedding holds; 10 were asked for)",
                HtmlReport.usedPerClass(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, 2, 10));
        assertEquals("10 test images per class", HtmlReport.usedPerClass(repeat(2, 10), 2, 10));
        assertEquals("1 test image per class of 1 of the 3 classes (all the recorded embedding holds; 4 were asked for)",
                HtmlReport.usedPerClass(new int[] {2}, 3, 4));
        assertEquals("2 to 3 test images per class (up to 10 each, as many as the recorded embedding holds)",
                HtmlReport.usedPerClass(new int[] {0, 0, 1, 1, 1}, 2, 10));
        assertEquals("no test images", HtmlReport.usedPerClass(new int[0], 2, 10));
    }

    private static int[] repeat(int classes, int per) {
        int[] out = new int[classes * per];
        for (int i = 0; i < out.length; i++) {
            out[i] = i / per;
        }
        return out;
    }

    @Test
    void aMissingAngleFigureSaysWhy(@TempDir Path dir) throws Exception {
        Path run = writeRun(dir.resolve("short"), "\"angleInterval\": 50, \"batchSize\": 16", "\"stepsPerEpoch\": 3", 2);
        assertEquals("it trained 6 steps, fewer than its --angle-interval 50 (the first row is written at step 50)",
                HtmlReport.whyNoAngles(RunArtifacts.load(run)));
        Path old = writeRun(dir.resolve("old"), "\"angleInterval\": 50, \"batchSize\": 16", "\"trainImages\": 40", 1);
        assertEquals("it trained 2 steps, fewer than its --angle-interval 50 (the first row is written at step 50)",
                HtmlReport.whyNoAngles(RunArtifacts.load(old)), "steps per epoch from the images and the batch size");
        Path off = writeRun(dir.resolve("off"), "\"angleInterval\": 0", "\"stepsPerEpoch\": 3", 1);
        assertEquals("it was trained with --angle-interval 0 (off)", HtmlReport.whyNoAngles(RunArtifacts.load(off)));
        Path quiet = writeRun(dir.resolve("quiet"), "\"tensorBoard\": false", "\"stepsPerEpoch\": 3", 1);
        assertEquals("it was trained with --no-tensorboard", HtmlReport.whyNoAngles(RunArtifacts.load(quiet)));

        String html = HtmlReport.builder().addRun(RunArtifacts.load(run)).build().render();
        assertTrue(html.contains("no run recorded angle statistics by iteration (" + RunFiles.ANGLES_BY_ITERATION
                + "). short: it trained 6 steps, fewer than its --angle-interval 50"), "the figure's note says why");
        assertTrue(html.indexOf("test top-1 error (%)") >= 0 && html.indexOf("test top-1 error (%)")
                < html.indexOf("settings of the run and what they resolved to"), "the metrics come before the settings");
    }

    private static Path writeRun(Path dir, String config, String resolved, int epochs) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(RunFiles.CONFIG), "{\"config\": {\"dataset\": \"fashion-mnist\", \"loss\":"
                + " \"arc\", " + config + "}, \"resolved\": {\"numClasses\": 10, " + resolved + "}}\n");
        List<EpochRecord> records = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            records.add(new EpochRecord(e, 1.0, 50, 40, 10, AngleStatistics.of(new float[] {1, 0, 0, 1}, 2,
                    new int[] {0, 1}, new double[][] {{1, 0}, {0, 1}}), 1e-3, 1, 100, 1, 0));
        }
        MetricsTable.write(dir.resolve(RunFiles.METRICS), records);
        return dir;
    }
}
