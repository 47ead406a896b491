package io.anglearn.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyTableTest {

    private static void finish(StudyRunner runner, StudyCell c, double err) throws Exception {
        Path dir = runner.runsDir().resolve(c.id());
        Files.createDirectories(dir);
        CellResult r = new CellResult(c.id(), c.row(), c.column(), c.seed(),
                Map.of("test_top1_err", err, "wc_intra", err / 100), 1.0, null, null, null, null, null);
        Files.writeString(dir.resolve("result.json"), new Gson().toJson(r));
    }

    @Test
    void meanStdAndDifferenceFromThePaper(@TempDir Path results) throws Exception {
        Study s = Studies.create("table5", Scale.CPU, 3);
        StudyRunner runner = new StudyRunner(s, results, "cpu", null);
        List<StudyCell> arc = new ArrayList<>();
        for (StudyCell c : s.cells()) {
            if (c.column().equals("arc")) {
                arc.add(c);
            }
        }
        finish(runner, arc.get(0), 6.0);
        finish(runner, arc.get(1), 7.0);
        finish(runner, arc.get(2), 8.0);
        StudyTable t = StudyTable.aggregate(s, runner);
        StudyTable.Entry e = t.entries().stream().filter(x -> x.column().equals("arc")).findFirst().orElseThrow();
        assertEquals(3, e.n());
        assertEquals(7.0, e.mean(), 1e-12);
        assertEquals(1.0, e.std(), 1e-12, "sample standard deviation of 6, 7, 8");
        assertEquals(6.04, e.paper(), 0);
        assertEquals(0.96, e.difference(), 1e-12);
        assertFalse(t.complete(), "soft, center and arcface have not run");
        String md = t.toMarkdown();
        assertTrue(md.contains("7.00 ± 1.00 (n=3)<br>paper 6.04, +0.96"), md);
        assertTrue(md.contains("not run<br>paper 6.30"), md);
        assertTrue(md.contains("Incomplete"), md);
        assertTrue(t.toCsv().contains("table5,cpu,test_top1_err,Fashion-MNIST,arc,3,7.000000,1.000000,6.040000,0.960000"),
                t.toCsv());
        t.write(runner.studyDir());
        assertTrue(Files.isRegularFile(results.resolve("table5").resolve("table.md")));
    }

    @Test
    void thePapersRowsThatWereNotRunStandBesideTheMeasuredOnes(@TempDir Path results) throws Exception {
        Study s = Studies.create("table4", Scale.CPU, 1);
        StudyRunner runner = new StudyRunner(s, results, "cpu", null);
        finish(runner, s.cell(0), 70.0);
        String md = StudyTable.aggregate(s, runner).toMarkdown();
        assertTrue(md.contains("The paper's values for rows not run here:"), md);
        assertTrue(md.contains("| 10 epochs | 15.72 | 17.67 | 14.08 | 12.09 |"), md);
        assertTrue(md.contains("| 200 epochs | 6.21 | 6.60 | 6.22 | 5.68 |"), md);
    }

    @Test
    void aLockedCellIsSkippedAndACompleteOneIsNotRerun(@TempDir Path results) throws Exception {
        Study s = Studies.create("table5", Scale.CPU, 1);
        StudyRunner runner = new StudyRunner(s, results, "cpu", null);
        Files.createDirectories(runner.runsDir());
        StudyCell first = s.cell(0);
        try (FileChannel ch = FileChannel.open(runner.runsDir().resolve(first.id() + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            assertTrue(held.isValid());
            assertEquals(StudyRunner.Outcome.SKIPPED_LOCKED, runner.runCell(0, line -> { }));
        }
        finish(runner, first, 5.0);
        List<String> log = new ArrayList<>();
        assertEquals(StudyRunner.Outcome.SKIPPED_COMPLETE, runner.runCell(0, log::add));
        assertTrue(log.get(0).contains("complete"), log.toString());
    }

    @Test
    void aStudyDirectoryKeepsToOneScale(@TempDir Path results) throws Exception {
        StudyRunner cpu = new StudyRunner(Studies.create("table5", Scale.CPU, 1), results, "cpu", null);
        assertFalse(cpu.checkDirectory());
        cpu.claimDirectory();
        assertTrue(cpu.checkDirectory());
        cpu.claimDirectory(); // idempotent
        StudyRunner full = new StudyRunner(Studies.create("table5", Scale.FULL, 1), results, "cpu", null);
        String msg = assertThrows(IllegalStateException.class, full::checkDirectory).getMessage();
        assertTrue(msg.contains("at scale 'cpu', not 'table5' at scale 'full'") && msg.contains("--results-dir"), msg);
        assertThrows(IllegalStateException.class, () -> full.runCell(0, line -> { }));
        Files.writeString(results.resolve("table5").resolve(StudyRunner.STUDY_MARK), "{not json");
        assertTrue(assertThrows(IllegalStateException.class, cpu::checkDirectory).getMessage().contains("unreadable"));
    }
}
