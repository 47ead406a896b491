package io.anglearn.study;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SlurmJobTest {

    private static SlurmJob.Builder job() {
        return SlurmJob.builder().setStudy(Studies.create("table6", Scale.PAPER, 5)).setReproduceArgs("--study table6")
                .setAnglearnCommand("java -jar /shared/anglearn.jar").setLogDir("/shared/logs");
    }

    @Test
    void arrayHasOneTaskPerCellAndRequeues() {
        String s = job().optPartition("gpu").optGpusPerTask(1).optMaxParallel(4).optTime("12:00:00").optMemory("32G")
                .build().arrayScript();
        // table6 at paper scale: 2 datasets × 4 losses × 5 seeds = 40 cells.
        assertTrue(s.contains("#SBATCH --array=0-39%4\n"), s);
        assertTrue(s.contains("#SBATCH --gpus-per-task=1\n"), s);
        assertTrue(s.contains("#SBATCH --partition=gpu\n"), s);
        assertTrue(s.contains("#SBATCH --requeue\n"), s);
        assertTrue(s.contains("#SBATCH --time=12:00:00\n") && s.contains("#SBATCH --mem=32G\n"), s);
        assertTrue(s.contains("reproduce --study table6 --cell \"${SLURM_ARRAY_TASK_ID}\" --wait-for-lock"), s);
        assertTrue(s.startsWith("#!/usr/bin/env bash\n"), s);
    }

    @Test
    void submitChainsTheTablesJobAfterTheArray() {
        SlurmJob j = job().build();
        String submit = j.submitScript("a.sbatch", "t.sbatch");
        assertTrue(submit.contains("sbatch --parsable --dependency=afterany:${array}"), submit);
        assertTrue(j.aggregateScript().contains("reproduce --study table6 --aggregate"), j.aggregateScript());
    }

    @Test
    void rejectsMalformedOptions() {
        assertThrows(IllegalArgumentException.class, () -> job().optTime("12h").build());
        assertThrows(IllegalArgumentException.class, () -> job().optMemory("lots").build());
        assertThrows(IllegalArgumentException.class, () -> job().optPartition("gpu; rm -rf /").build());
        assertThrows(IllegalArgumentException.class, () -> job().optCpusPerTask(0).build());
        assertThrows(IllegalArgumentException.class, () -> SlurmJob.builder().build());
    }
}
