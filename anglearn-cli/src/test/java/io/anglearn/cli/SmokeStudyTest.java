package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.study.Scale;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A study shrunk by overrides (the README's smoke run) goes to a folder of its own, never over the committed results. */
class SmokeStudyTest {

    @Test
    void overridesNameTheirOwnFolder() {
        assertNull(ReproduceCommand.smokeName(Scale.parse("cpu"), 0, 0, 0));
        assertEquals("cpu-epochs1-train1000-test500", ReproduceCommand.smokeName(Scale.parse("cpu"), 1, 1000, 500));
        assertEquals("full-train64", ReproduceCommand.smokeName(Scale.parse("full"), 0, 64, 0));
    }

    @Test
    void aSmokeRunSaysWhereItGoesAndLeavesResultsAlone() {
        CliRun list = CliRun.of("reproduce", "--study", "table5", "--losses", "soft,arc", "--epochs", "1",
                "--limit-train", "1000", "--limit-test", "500", "--seeds", "1", "--list");
        assertEquals(0, list.code(), list.err());
        Path smoke = Path.of("runs", "smoke", "cpu-epochs1-train1000-test500", "table5");
        assertTrue(list.out().contains("smoke run (cpu-epochs1-train1000-test500): writing to " + smoke + ", not "
                + Path.of("results", "cpu", "table5")), list.out());
        assertFalse(Files.exists(Path.of("results", "cpu", "table5", "study.json")), "nothing written under results/");
    }

    @Test
    void theCommittedResultsFolderIsRefusedForASmokeRun() {
        CliRun run = CliRun.of("reproduce", "--study", "table5", "--epochs", "1", "--results-dir",
                Path.of("results", "cpu").toString());
        assertEquals(2, run.code(), run.out());
        assertTrue(run.err().contains("--results-dir results/cpu holds the study's committed results")
                && run.err().contains("runs/smoke/cpu-epochs1"), run.err());
    }
}
