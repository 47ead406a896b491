package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.rundir.RunFiles;
import io.anglearn.train.StepContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What train says, and records, when Ctrl-C stops it; and its progress lines without a terminal. */
class TrainingInterruptedTest {

    @Test
    void anInterruptedRunSaysWhereItWasItsLastCheckpointAndHowToContinue(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("mine");
        Files.createDirectories(RunFiles.checkpoints(run).resolve("step-000000007"));
        Files.createDirectories(RunFiles.checkpoints(run).resolve("step-000000014"));
        TrainingInterrupted t = new TrainingInterrupted();
        t.started(run);
        t.epoch(3, 7);
        t.batch(3, 2);
        t.step(16);
        StringWriter err = new StringWriter();
        t.report(new PrintWriter(err));
        String said = err.toString();
        assertTrue(said.startsWith(System.lineSeparator()), "a newline ends the progress bar's line first");
        assertTrue(said.contains("interrupted in epoch 3 after batch 2 of 7 (step 16)"), said);
        assertTrue(said.contains("last checkpoint " + RunFiles.checkpoints(run).resolve("step-000000014")), said);
        assertTrue(said.contains("continue with: anglearn train --resume " + run), said);
        String log = Files.readString(RunFiles.log(run));
        assertTrue(log.contains("interrupted in epoch 3 after batch 2 of 7 (step 16); last checkpoint"), log);
    }

    @Test
    void aFinishedRunOrOneWithoutCheckpointsSaysSo(@TempDir Path dir) {
        assertEquals(List.of("interrupted in epoch 1 after batch 3 of 9 (step 3)",
                "no checkpoint yet: resuming starts from the beginning", "continue with: anglearn train --resume "
                        + dir), TrainingInterrupted.lines(dir, 1, 3, 9, 3, List.of()));
        TrainingInterrupted t = new TrainingInterrupted();
        t.started(dir);
        t.finished();
        StringWriter err = new StringWriter();
        t.report(new PrintWriter(err));
        assertEquals("", err.toString());
    }

    @Test
    void progressLinesForLogsComeEveryTenthOfAnEpoch() {
        assertEquals(7, TrainCommand.defaultLogEvery(70));
        assertEquals(1, TrainCommand.defaultLogEvery(3));
        assertEquals("epoch 2, batch 14 of 70, step 84: loss 1.2345, lr 2.10e-03",
                TrainCommand.progressLine(new StepContext.Position(2, 14, 70, 84), 1.23449, 0.0021));
    }
}
