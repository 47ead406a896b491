package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anglearn.rundir.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs a tiny study (2 losses × 2 seeds on a few hundred Fashion-MNIST images) on a real one-node
 * Slurm cluster started on this machine: the emitted scripts are submitted unmodified with sbatch;
 * then one array task is cancelled mid-run, requeued, and the tables must come out complete and
 * equal to the uninterrupted run's.
 *
 * <p>Needs root (to start munged, slurmctld and slurmd; Debian's slurm-wlm and munge are installed
 * when missing), the anglearn jar (built by the package phase) and Fashion-MNIST; skipped with the
 * reason otherwise.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmClusterIT {

    private static final String CELL_WORK = "--epochs 2 --limit-train 1000 --limit-test 300";

    private static Path work;
    private static Path clusterDir;
    private static Path script;
    private static Map<String, String> env;
    private static String uninterruptedTable;

    @BeforeAll
    static void startCluster() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Slurm test needs Linux");
        assumeTrue("root".equals(System.getProperty("user.name")), "Slurm test needs root to start munged and slurmd");
        assumeTrue(Files.isRegularFile(Path.of("target", "anglearn.jar")), "the anglearn jar is not built");
        String data = System.getProperty("anglearn.test.data", "../shared/data");
        assumeTrue(Files.isDirectory(Path.of(data, "fashion-mnist")), "Fashion-MNIST not found under " + data);
        boolean installed = new ProcessBuilder("sh", "-c", "command -v slurmctld && command -v munged").start().waitFor() == 0;
        assumeTrue(installed || new ProcessBuilder("sh", "-c", "command -v apt-get").start().waitFor() == 0,
                "Slurm is not installed and apt-get is not available to install it");
        work = Files.createTempDirectory("anglearn-slurm");
        // munged runs as the munge user and must reach its socket folder inside.
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        clusterDir = work.resolve("cluster");
        script = work.resolve("cluster.sh");
        try (var in = SlurmClusterIT.class.getResourceAsStream("/slurm/cluster.sh")) {
            Files.copy(in, script);
        }
        Result up = run(List.of("bash", script.toString(), "start", clusterDir.toString()), Map.of(), 600);
        assertEquals(0, up.code(), "cluster start failed:\n" + up.output());
        env = new HashMap<>();
        env.put("SLURM_CONF", clusterDir.resolve("slurm.conf").toString());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        try {
            if (script != null) {
                run(List.of("bash", script.toString(), "stop", clusterDir.toString()), Map.of(), 60);
            }
        } finally {
            // The cluster's state and two study grids with checkpoints: about 50 MB per run.
            if (work != null) {
                AtomicFiles.deleteRecursively(work);
            }
        }
    }

    private record Result(int code, String output) {}

    private static Result run(List<String> cmd, Map<String, String> extraEnv, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "timed out: " + cmd);
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Emits the study's Slurm scripts into results/table5/slurm and returns the submit script. */
    private static Path emit(Path results) throws Exception {
        String data = Path.of(System.getProperty("anglearn.test.data", "../shared/data")).toAbsolutePath().toString();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-jar", Path.of("target", "anglearn.jar").toAbsolutePath().toString(),
                "reproduce", "--study", "table5", "--losses", "soft,arc", "--seeds", "2", "--data-dir", data,
                "--results-dir", results.toString(), "--emit", "slurm", "--cpus-per-task", "1"));
        cmd.addAll(List.of(CELL_WORK.split(" ")));
        Result r = run(cmd, Map.of(), 120);
        assertEquals(0, r.code(), r.output());
        Path submit = results.resolve("table5").resolve("slurm").resolve("submit-table5.sh");
        assertTrue(Files.isRegularFile(submit), r.output());
        return submit;
    }

    private static String submit(Path submitScript) throws Exception {
        Result r = run(List.of("bash", submitScript.toString()), env, 60);
        assertEquals(0, r.code(), r.output());
        String line = r.output().strip();
        assertTrue(line.startsWith("array job "), line);
        return line.substring("array job ".length()).split(" ")[0];
    }

    private static void waitForEmptyQueue(int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            Result q = run(List.of("squeue", "-h"), env, 30);
            if (q.code() == 0 && q.output().isBlank()) {
                return;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("the Slurm jobs did not finish in " + seconds + " s:\n"
                + run(List.of("squeue"), env, 30).output());
    }

    private static String table(Path results) throws IOException {
        Path csv = results.resolve("table5").resolve("table.csv");
        assertTrue(Files.isRegularFile(csv), "aggregated table missing: " + csv);
        return Files.readString(csv);
    }

    private static void assertComplete(String csv) {
        // One row per loss and metric; the error rows carry the check.
        List<String> lines = csv.lines().filter(l -> l.contains(",test_top1_err,")).toList();
        assertEquals(2, lines.size(), csv);
        assertEquals(1 + 2 * 4, csv.lines().count(), "2 losses x 4 metrics: " + csv);
        for (String line : lines) {
            String[] f = line.split(",");
            assertEquals("2", f[5], "two finished seeds per loss: " + line);
            double err = Double.parseDouble(f[6]);
            assertTrue(err > 0 && err < 100, line);
        }
    }

    @Test
    @Order(1)
    void studyRunsThroughSbatchAndIsAggregated() throws Exception {
        Path results = work.resolve("results-a");
        submit(emit(results));
        waitForEmptyQueue(900);
        uninterruptedTable = table(results);
        assertComplete(uninterruptedTable);
        for (String id : List.of("fmnist_soft_s1", "fmnist_soft_s2", "fmnist_arc_s1", "fmnist_arc_s2")) {
            assertTrue(Files.isRegularFile(results.resolve("table5/runs/" + id + "/result.json")), id);
        }
        assertTrue(Files.isRegularFile(results.resolve("table5/table.md")));
    }

    @Test
    @Order(2)
    void aCancelledAndRequeuedTaskStillGivesTheSameCompleteResult() throws Exception {
        assumeTrue(uninterruptedTable != null, "the uninterrupted run did not complete");
        Path results = work.resolve("results-b");
        String job = submit(emit(results));
        Path cellDir = results.resolve("table5/runs/fmnist_soft_s2");
        long end = System.nanoTime() + 600_000_000_000L;
        while (!Files.exists(cellDir.resolve("config.json"))) {
            assertTrue(System.nanoTime() < end, "array task 1 never started training");
            Thread.sleep(200);
        }
        Result cancel = run(List.of("scancel", job + "_1"), env, 30);
        assertEquals(0, cancel.code(), cancel.output());
        String state = "";
        for (int i = 0; i < 60 && !state.contains("CANCELLED"); i++) {
            Thread.sleep(500);
            state = run(List.of("scontrol", "show", "job", job + "_1"), env, 30).output();
        }
        assertTrue(state.contains("JobState=CANCELLED"), state);
        assertFalse(Files.exists(cellDir.resolve("result.json")), "the task was cancelled before its cell finished");
        Result requeue = run(List.of("scontrol", "requeue", job + "_1"), env, 30);
        assertEquals(0, requeue.code(), requeue.output());
        waitForEmptyQueue(900);
        String log = Files.readString(results.resolve("table5/slurm/logs/anglearn-table5-" + job + "_1.out"));
        assertTrue(log.contains("attempt 1") && log.contains("incomplete run found"), log);
        String table = table(results);
        assertComplete(table);
        assertEquals(uninterruptedTable, table, "a requeued cell ends with the uninterrupted run's numbers");
    }
}
