package io.anglearn.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.data.IdxDataset;
import io.anglearn.run.TrainingRun;
import io.anglearn.train.StepContext;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingListener;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cell whose run was interrupted resumes from its checkpoint and ends as an uninterrupted one. */
class StudyRunnerResumeTest {

    /** Simulates a crash after a step. */
    private static final class Kill extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void anInterruptedCellResumesAndMatchesAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        writeIdx(data, IdxDataset.TRAIN_IMAGES, IdxDataset.TRAIN_LABELS, 64, 1);
        writeIdx(data, IdxDataset.TEST_IMAGES, IdxDataset.TEST_LABELS, 32, 2);
        TrainingConfig c = new TrainingConfig();
        c.dataset = "idx:" + data;
        c.epochs = 2;
        c.batchSize = 16;
        c.checkpointEvery = 3;
        c.angleInterval = 1;
        Study study = new Study("resume", "resume test", Scale.CPU,
                List.of(new StudyCell("cell-0", "row", "arc", 0, c)), List.of("test_top1_err"), Map.of(), "");

        StudyRunner whole = new StudyRunner(study, tmp.resolve("whole"), "cpu", null);
        assertEquals(StudyRunner.Outcome.TRAINED, whole.runCell(0, line -> { }));

        // The same cell, killed after step 5 (newest checkpoint: step 4), as a preempted task leaves it.
        StudyRunner killed = new StudyRunner(study, tmp.resolve("killed"), "cpu", null);
        TrainingConfig k = c.copy();
        k.runsDir = killed.runsDir().toString();
        k.name = "cell-0";
        k.device = "cpu";
        assertThrows(Kill.class, () -> new TrainingRun(k).execute(new TrainingListener() {
            @Override
            public void onStep(StepContext s) {
                if (s.step() == 5) {
                    throw new Kill();
                }
            }
        }));
        // What --list shows of it: partial with the epoch it finished; running while a process holds its lock.
        StudyRunner.CellStatus partial = killed.status(study.cell(0));
        assertEquals(StudyRunner.CellState.PARTIAL, partial.state());
        assertEquals("partial, 1 of 2 epochs recorded", partial.toString());
        try (FileChannel ch = FileChannel.open(killed.runsDir().resolve("cell-0.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            assertEquals("running, 1 of 2 epochs recorded", killed.status(study.cell(0)).toString());
        }
        assertEquals(StudyRunner.CellState.PARTIAL, killed.status(study.cell(0)).state(), "the lock let go again");
        assertEquals("pending", new StudyRunner(study, tmp.resolve("unrun"), "cpu", null).status(study.cell(0)).toString());
        assertEquals("done", whole.status(study.cell(0)).toString());

        List<String> log = new ArrayList<>();
        assertEquals(StudyRunner.Outcome.TRAINED, killed.runCell(0, log::add));
        assertEquals(StudyRunner.CellState.DONE, killed.status(study.cell(0)).state());
        assertTrue(log.stream().anyMatch(l -> l.contains("resuming it from its newest intact checkpoint")), log.toString());
        assertTrue(Files.readString(killed.runsDir().resolve("cell-0/train.log")).contains("resumed from step-000000004"));
        assertEquals(whole.result(study.cell(0)).metrics(), killed.result(study.cell(0)).metrics());

        // Provenance: every field a reader needs to check the cell, in the file itself (not only in the record).
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(Files.readString(
                killed.runsDir().resolve("cell-0/result.json"))).getAsJsonObject();
        for (String field : CellResult.PROVENANCE) {
            assertTrue(json.has(field) && !json.get(field).isJsonNull(), "result.json records " + field + ": " + json);
        }
        CellResult resumed = killed.result(study.cell(0));
        assertTrue(resumed.date().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), resumed.date());
        assertEquals(c.toJson(), resumed.config().toJson(), "the cell's configuration as the study defines it");
        // Training time summed over both processes: the epoch the killed process finished counts too.
        double summed = 0;
        for (String line : Files.readAllLines(killed.runsDir().resolve("cell-0/metrics.csv")).subList(1, 3)) {
            summed += Double.parseDouble(line.split(",")[11]);
        }
        assertEquals(summed, resumed.trainingSeconds(), 1e-9);
        assertTrue(Files.readAllLines(killed.runsDir().resolve("cell-0/metrics.csv")).get(0).split(",")[11].equals("seconds"));

        // Aggregating draws the study's figures from the runs: the error and WC-Intra curves.
        assertTrue(killed.aggregateIfComplete());
        for (String base : List.of("curve-test-error", "curve-wc-intra")) {
            for (String ext : List.of(".png", ".svg", ".csv")) {
                assertTrue(Files.size(killed.studyDir().resolve(base + ext)) > 0, base + ext);
            }
        }
        List<String> points = Files.readAllLines(killed.studyDir().resolve("curve-wc-intra.csv"));
        assertEquals(1 + 8, points.size(), "one point per iteration of 2 epochs of 4 steps: " + points);
        assertTrue(points.get(1).startsWith("arc,1.0"), points.toString());
        // The one row and column the cells share are named once, in the subtitle, not per series.
        String svg = Files.readString(killed.studyDir().resolve("curve-wc-intra.svg"));
        assertTrue(svg.contains("resume test: WC-Intra by iteration") && svg.contains("row, cpu scale, one seed"), svg);
        Study table = new Study("t", "Table 6: CIFAR-10+ test error (%)", Scale.CPU, study.cells(), List.of(), Map.of(), "");
        assertEquals("Table 6: WC-Intra by iteration", StudyFigures.chartTitle(table, "WC-Intra by iteration"));
        Path report = StudyFigures.writeReport(study, killed);
        String html = Files.readString(report);
        assertTrue(html.contains("<html") && html.contains("cell-0"), "the report covers the cell's run");

        // A committed cell has no config.json (it names local paths): figures and report still draw from a clone.
        Files.delete(killed.runsDir().resolve("cell-0/config.json"));
        Files.delete(killed.studyDir().resolve("curve-wc-intra.csv"));
        assertTrue(StudyFigures.write(study, killed).contains("curve-wc-intra"));
        assertEquals(points, Files.readAllLines(killed.studyDir().resolve("curve-wc-intra.csv")));
        assertTrue(Files.readString(StudyFigures.writeReport(study, killed)).contains("cell-0"));
    }

    @Test
    void aCellEvaluatedByRetrievalRecordsItsRetrievalMetrics(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        writeIdx(data, IdxDataset.TRAIN_IMAGES, IdxDataset.TRAIN_LABELS, 64, 1);
        writeIdx(data, IdxDataset.TEST_IMAGES, IdxDataset.TEST_LABELS, 32, 2);
        TrainingConfig c = new TrainingConfig();
        c.dataset = "idx:" + data;
        c.epochs = 2;
        c.evalEvery = 2;
        c.batchSize = 8;
        c.angleInterval = 0;
        c.loss = "triplet";
        c.miner = "batch-hard";
        c.sampler = "m-per-class:4";
        c.trainClasses = "0-1";
        c.testClasses = "2-3";
        Study study = new Study("retrieval", "retrieval test", Scale.CPU,
                List.of(new StudyCell("cell-0", "row", "triplet", 1, c)), List.of("map_at_r", "p_at_1"), Map.of(), "");
        StudyRunner runner = new StudyRunner(study, tmp.resolve("results"), "cpu", null);
        List<String> log = new ArrayList<>();
        assertEquals(StudyRunner.Outcome.TRAINED, runner.runCell(0, log::add));
        assertTrue(log.contains("cell-0: epoch 1 (not evaluated)"), log.toString());
        Map<String, Double> m = runner.result(study.cell(0)).metrics();
        // The last row of the run's metrics.csv holds the same values.
        List<String> rows = Files.readAllLines(runner.runsDir().resolve("cell-0/metrics.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        String[] last = rows.get(rows.size() - 1).split(",");
        for (String metric : List.of("map_at_r", "p_at_1", "r_precision", "nmi")) {
            double recorded = Double.parseDouble(last[header.indexOf(metric)]);
            assertTrue(recorded >= 0 && recorded <= 1, metric + " " + recorded);
            assertEquals(recorded, m.get(metric), 1e-6, metric);
        }
        assertTrue(Double.isNaN(m.get("test_top1_err")), "no classification of classes not trained on");
        assertTrue(runner.aggregateIfComplete());
        String table = Files.readString(runner.studyDir().resolve("table.md"));
        assertTrue(table.contains("## map_at_r") && table.contains(String.format(java.util.Locale.ROOT, "| %.4f (n=1) |",
                m.get("map_at_r"))), table);
    }

    private static void writeIdx(Path dir, String images, String labels, int n, long seed) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(seed);
        int side = 8;
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        ByteArrayOutputStream lab = new ByteArrayOutputStream();
        try (DataOutputStream i = new DataOutputStream(img); DataOutputStream l = new DataOutputStream(lab)) {
            i.writeInt(0x0803);
            i.writeInt(n);
            i.writeInt(side);
            i.writeInt(side);
            l.writeInt(0x0801);
            l.writeInt(n);
            for (int s = 0; s < n; s++) {
                int y = s % 4;
                l.writeByte(y);
                for (int p = 0; p < side * side; p++) {
                    boolean on = p / side >= y && p / side < y + 3 && p % side >= 2 * y && p % side < 2 * y + 3;
                    i.writeByte((on ? 200 : 30) + r.nextInt(50));
                }
            }
        }
        Files.write(dir.resolve(images), img.toByteArray());
        Files.write(dir.resolve(labels), lab.toByteArray());
    }
}
