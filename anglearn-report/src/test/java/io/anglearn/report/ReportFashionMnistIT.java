package io.anglearn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.TestData;
import io.anglearn.data.FashionMnist;
import io.anglearn.data.ImageDataset;
import io.anglearn.record.RunArtifacts;
import io.anglearn.record.RunRecorder;
import io.anglearn.record.tensorboard.EventFileReader;
import io.anglearn.run.TrainingRun;
import io.anglearn.rundir.RunFiles;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingData;
import io.anglearn.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * End to end on real Fashion-MNIST: short runs of {@code soft} and {@code arc}, each with the
 * pooled 64-d features and with a 2-d projection, each an ordinary {@link TrainingRun}, which
 * records through its {@link RunRecorder} (angle statistics on a fixed probe set every N
 * iterations, target angles and test metrics each epoch, the test embedding at the end); then
 * the report with every figure, rendered in headless Chromium, and the TensorBoard files read back.
 * The runs and the report stay in {@code target/fashion-mnist-report} for a look.
 */
class ReportFashionMnistIT {

    private static final int ANGLE_INTERVAL = 5;

    @Test
    void shortRunsProduceEveryFigureInAReportThatRenders() throws Exception {
        Path data = TestData.dataset("fashion-mnist");
        Path out = Path.of("target", "fashion-mnist-report").toAbsolutePath();
        deleteTree(out);
        ImageDataset train = FashionMnist.load(data, FashionMnist.Split.TRAIN).limit(2000);
        ImageDataset test = FashionMnist.load(data, FashionMnist.Split.TEST).limit(1000);
        HtmlReport.Builder report = HtmlReport.builder().optFiguresDir(out.resolve("figures"));
        for (String loss : List.of("soft", "arc")) {
            for (int dim : new int[] {0, 2}) {
                Path dir = out.resolve(loss + (dim == 2 ? "-2d" : "-64d"));
                record(dir, loss, dim, train, test);
                report.addRun(RunArtifacts.load(dir));
            }
        }
        HtmlReport r = report.build();
        Path page = out.resolve("report.html");
        r.write(page);
        // Figures: 3 comparative, and per run ridge + similarity + confusion, plus 2 scatters for the 2-d runs.
        assertEquals(3 + 4 * 3 + 2, r.figureCount());
        for (String loss : List.of("soft", "arc")) {
            RunArtifacts a = RunArtifacts.load(out.resolve(loss + "-2d"));
            assertEquals(2, a.embedding().dim());
            assertEquals(6, a.anglesByIteration().get("step").length, "2 epochs × 15 steps, every 5");
            assertEquals(2, a.targetAngles().size());
            assertNotNull(a.quality().get("map_at_r"));
            Path event;
            try (Stream<Path> s = Files.list(a.dir().resolve(RunFiles.TENSORBOARD))) {
                event = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst()
                        .orElseThrow();
            }
            List<EventFileReader.Event> ev = EventFileReader.events(event);
            assertEquals("brain.Event:2", ev.get(0).fileVersion());
            assertEquals(20, ev.stream().filter(e -> e.histo() != null).count(), "10 classes × 2 epochs");
        }
        HeadlessChromium chromium = HeadlessChromium.findOrSkip();
        Path work = Files.createDirectories(out.resolve("chromium"));
        HtmlReportChromiumIT.assertRendered(chromium, page, r.figureCount(), work, out.resolve("report-screenshot.png"));
    }

    /** One short run through the ordinary training path, which records everything itself. */
    private static void record(Path dir, String lossName, int dim, ImageDataset train, ImageDataset test)
            throws Exception {
        TrainingConfig c = new TrainingConfig();
        c.loss = lossName;
        c.embeddingDim = dim;
        c.epochs = 2;
        c.batchSize = 128;
        c.limitTrain = train.size();
        c.limitTest = test.size();
        c.angleInterval = ANGLE_INTERVAL;
        c.runsDir = dir.getParent().toString();
        c.name = dir.getFileName().toString();
        new TrainingRun(c, new TrainingData(train, test)).execute(new TrainingListener() {});
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
