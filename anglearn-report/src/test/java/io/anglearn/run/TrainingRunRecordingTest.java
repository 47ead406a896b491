package io.anglearn.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.report.HtmlReport;
import io.anglearn.record.RunArtifacts;
import io.anglearn.record.tensorboard.EventFileReader;
import io.anglearn.rundir.RunFiles;
import io.anglearn.train.SyntheticData;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ordinary {@link TrainingRun} records everything the report and its figures read. */
class TrainingRunRecordingTest {

    @Test
    void trainingRunRecordsEveryFigureInput(@TempDir Path runs) throws Exception {
        TrainingConfig c = SyntheticData.smallConfig(runs.toString(), "recorded");
        c.embeddingDim = 2;
        c.epochs = 2;
        c.angleInterval = 3;
        c.targetAngleSamples = 5;
        new TrainingRun(c, SyntheticData.small()).execute(new TrainingListener() {});
        Path dir = runs.resolve("recorded");

        RunArtifacts a = RunArtifacts.load(dir);
        // 2 epochs of 4 steps: steps 3 and 6.
        assertArrayEquals(new double[] {3, 6}, a.anglesByIteration().get("step"));
        assertEquals(2, a.targetAngles().size(), "one sample per evaluated epoch");
        assertEquals(4 * 5, a.targetAngles().get(2).angles().length, "5 per class, 4 classes");
        assertNotNull(a.embedding(), "the final test embedding");
        assertEquals(2, a.embedding().dim());
        assertEquals(32, a.embedding().labels().length);
        assertEquals(4, a.classWeights().length);
        assertNotNull(a.quality().get("map_at_r"));
        assertEquals("3", a.config().get("config.angleInterval"));

        Path event;
        try (Stream<Path> s = Files.list(dir.resolve(RunFiles.TENSORBOARD))) {
            event = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst()
                    .orElseThrow();
        }
        List<EventFileReader.Event> ev = EventFileReader.events(event);
        assertEquals("brain.Event:2", ev.get(0).fileVersion());
        assertEquals(4 * 2, ev.stream().filter(e -> e.histo() != null).count(), "4 classes × 2 epochs");

        HtmlReport r = HtmlReport.builder().optFiguresDir(runs.resolve("figures")).addRun(a).build();
        Path page = runs.resolve("report.html");
        r.write(page);
        // 3 comparative figures, plus the run's ridge, similarity, confusion and (d = 2) scatter figures.
        assertEquals(3 + 4, r.figureCount());
        String html = Files.readString(page);
        assertEquals(7, html.split("src=\"data:image/png;base64,", -1).length - 1, "every figure is embedded");
    }

    @Test
    void recordingCanBeTurnedOff(@TempDir Path runs) throws Exception {
        TrainingConfig c = SyntheticData.smallConfig(runs.toString(), "quiet");
        c.epochs = 1;
        c.tensorBoard = false;
        new TrainingRun(c, SyntheticData.small()).execute(new TrainingListener() {});
        Path dir = runs.resolve("quiet");
        assertTrue(Files.isRegularFile(dir.resolve(RunFiles.METRICS)));
        assertFalse(Files.exists(dir.resolve(RunFiles.TENSORBOARD)));
        assertFalse(Files.exists(dir.resolve(RunFiles.ANGLES_BY_ITERATION)));
        assertFalse(Files.exists(dir.resolve(RunFiles.EMBEDDING_QUALITY)));
    }

    @Test
    void badRecordingSettingsNameTheOption() {
        TrainingConfig c = SyntheticData.smallConfig("runs", "x");
        c.angleInterval = -1;
        assertTrue(assertThrows(IllegalArgumentException.class, c::validate).getMessage().contains("--angle-interval"));
        c.angleInterval = 0;
        c.validate();
        c.targetAngleSamples = 0;
        assertTrue(assertThrows(IllegalArgumentException.class, c::validate).getMessage()
                .contains("--target-angle-samples"));
    }
}
