package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code anglearn train} with SIGKILL at least 20 times — during a training step, in the
 * middle of writing a checkpoint, and during evaluation — resuming with {@code --resume} after
 * each kill; the run must then finish with exactly the result of an uninterrupted one: the same
 * metrics, the same angle statistics, and byte-identical model, optimiser and loss state.
 *
 * <p>The moments are chosen by watching the run: a kill "in a step" comes a random 0–1500 ms
 * after the launch has checkpointed at least one more step (so the run advances), one "in a
 * checkpoint" as soon as a temporary checkpoint folder of this launch appears, one "in
 * evaluation" a random 0–300 ms after the log says an evaluation began.
 * Center loss is used because it also has state of its own to restore. The number of kills is
 * {@code -Danglearn.kills=N} (default 20); a summary is written to
 * {@code target/kill-and-resume.txt}.
 *
 * <p>Needs the anglearn jar (built by the package phase) and Fashion-MNIST; skipped otherwise.
 */
class KillAndResumeIT {

    private enum Moment { STEP, CHECKPOINT, EVALUATION }

    private static final int KILLS = Integer.getInteger("anglearn.kills", 20);
    private static final Moment[] CYCLE = {Moment.STEP, Moment.CHECKPOINT, Moment.STEP, Moment.EVALUATION};
    private static final long WAIT_MS = 180_000;

    private static List<String> java() {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-jar",
                Path.of("target", "anglearn.jar").toAbsolutePath().toString()));
    }

    private static List<String> train(Path data, Path runs, String name) {
        List<String> cmd = java();
        cmd.addAll(List.of("train", "--dataset", "fashion-mnist", "--data-dir", data.toString(), "--arch", "resnet20",
                "--loss", "center", "--epochs", "3", "--limit-train", "640", "--limit-test", "1000", "--batch-size",
                "64", "--checkpoint-every", "1", "--keep-checkpoints", "2", "--angle-interval", "3",
                "--target-angle-samples", "20", "--seed", "7", "--runs-dir", runs.toString(), "--name", name));
        return cmd;
    }

    private static List<String> resume(Path dir) {
        List<String> cmd = java();
        cmd.addAll(List.of("train", "--resume", dir.toString()));
        return cmd;
    }

    private static Process start(List<String> cmd, Path output) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                output.toFile())).start();
    }

    @Test
    void killedAnywhereAndResumedEqualsUninterrupted(@TempDir Path work) throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("target", "anglearn.jar")), "the anglearn jar is not built");
        Path data = Path.of(System.getProperty("anglearn.test.data", "../shared/data"));
        assumeTrue(Files.isDirectory(data.resolve("fashion-mnist")), "Fashion-MNIST not found under " + data);
        Path runs = work.resolve("runs");
        Path output = work.resolve("output.txt");

        Process whole = start(train(data, runs, "whole"), output);
        assertTrue(whole.waitFor(10, TimeUnit.MINUTES), "the uninterrupted run finished");
        assertEquals(0, whole.exitValue(), Files.readString(output));

        Path dir = runs.resolve("killed");
        Random random = new Random(20261128);
        Map<Moment, Integer> kills = new EnumMap<>(Moment.class);
        List<String> events = new ArrayList<>();
        int launches = 0;
        int finishedEarly = 0;
        while (kills.values().stream().mapToInt(Integer::intValue).sum() < KILLS) {
            Moment moment = CYCLE[launches % CYCLE.length];
            long logBefore = logLines(dir);
            java.util.Set<String> tmpBefore = temporaryCheckpoints(dir);
            long stepBefore = newestStep(dir);
            Process p = start(launches == 0 ? train(data, runs, "killed") : resume(dir), output);
            launches++;
            boolean reached = switch (moment) {
                // After at least one more step is safely checkpointed, so that the run advances.
                case STEP -> waitFor(p, () -> hasStarted(dir) && newestStep(dir) > stepBefore)
                        && sleep(p, random.nextInt(1500));
                // A temporary folder this launch created: a checkpoint being written right now.
                case CHECKPOINT -> waitFor(p, () -> !tmpBefore.containsAll(temporaryCheckpoints(dir)));
                case EVALUATION -> waitFor(p, () -> evaluating(dir, logBefore)) && sleep(p, random.nextInt(300));
            };
            if (!reached) {
                // The run ended before the moment came (it was near its end): start it over.
                assertEquals(0, p.waitFor() == 0 ? 0 : p.exitValue(), Files.readString(output));
                finishedEarly++;
                assertTrue(finishedEarly < 3, "the run keeps finishing before it can be killed:\n" + Files.readString(output));
                deleteTree(dir);
                events.add("run finished before a kill " + moment + "; restarted from scratch");
                launches = 0;
                continue;
            }
            boolean halfWritten = !tmpBefore.containsAll(temporaryCheckpoints(dir));
            p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the killed process exited");
            assertEquals(137, p.exitValue(), "killed by SIGKILL");
            kills.merge(moment, 1, Integer::sum);
            events.add(String.format("kill %d %s: newest checkpoint %s%s, log: %s", events.size() + 1, moment,
                    newestCheckpoint(dir), halfWritten ? ", a checkpoint half-written" : "", lastLogLine(dir)));
        }
        Process last = start(resume(dir), output);
        assertTrue(last.waitFor(10, TimeUnit.MINUTES), "the final resume finished");
        assertEquals(0, last.exitValue(), Files.readString(output));

        // Every resume found an intact checkpoint (or, before the first one, started over): the log
        // reports no checkpoint refused as damaged.
        String log = Files.readString(dir.resolve("train.log"));
        assertTrue(log.contains("resumed from step-"), log);
        assertTrue(!log.contains("skipped damaged") && !log.contains("refused"), log);
        assertEquals(stripTimes(Files.readString(runs.resolve("whole").resolve("metrics.csv"))),
                stripTimes(Files.readString(dir.resolve("metrics.csv"))), "same metrics as the uninterrupted run");
        assertEquals(Files.readString(runs.resolve("whole").resolve("angles_by_iteration.csv")),
                Files.readString(dir.resolve("angles_by_iteration.csv")), "same angle statistics");
        Path a = newestCheckpointDir(runs.resolve("whole"));
        Path b = newestCheckpointDir(dir);
        assertEquals(a.getFileName(), b.getFileName());
        for (String f : List.of("model.ndlist", "optimizer.ndlist", "loss.bin")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f + " differs");
        }
        try (Stream<Path> s = Files.list(dir.resolve("checkpoints"))) {
            assertTrue(s.noneMatch(x -> x.getFileName().toString().startsWith(".tmp")),
                    "half-written checkpoints were cleaned up");
        }

        StringBuilder summary = new StringBuilder(String.format("%d SIGKILLs over %d launches (%s), then resumed"
                + " to the end: metrics, angle statistics and model/optimiser/loss state identical to the"
                + " uninterrupted run.%n", KILLS, launches, kills));
        events.forEach(e -> summary.append(e).append('\n'));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "kill-and-resume.txt"), summary.toString());
        System.out.print(summary);
        assertTrue(kills.getOrDefault(Moment.CHECKPOINT, 0) > 0 && kills.getOrDefault(Moment.EVALUATION, 0) > 0
                && kills.getOrDefault(Moment.STEP, 0) > 0, "every kind of moment was hit: " + kills);
    }

    /** Waits until the condition holds (true) or the process exits first (false). */
    private static boolean waitFor(Process p, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!p.isAlive()) {
                return false;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the moment to kill never came in " + WAIT_MS + " ms");
    }

    private static boolean sleep(Process p, long ms) throws InterruptedException {
        return !p.waitFor(ms, TimeUnit.MILLISECONDS);
    }

    private static boolean hasStarted(Path dir) {
        return Files.isRegularFile(dir.resolve("config.json"));
    }

    private static java.util.Set<String> temporaryCheckpoints(Path dir) {
        try (Stream<Path> s = Files.list(dir.resolve("checkpoints"))) {
            return s.map(x -> x.getFileName().toString()).filter(n -> n.startsWith(".tmp"))
                    .collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            return java.util.Set.of();
        }
    }

    private static long newestStep(Path dir) {
        try {
            Path p = newestCheckpointDir(dir);
            return p == null ? -1 : Long.parseLong(p.getFileName().toString().substring("step-".length()));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** True once the log has a new line saying an evaluation began and none saying it ended. */
    private static boolean evaluating(Path dir, long linesBefore) {
        List<String> lines = logTail(dir, linesBefore);
        return !lines.isEmpty() && lines.get(lines.size() - 1).contains(": evaluating on ");
    }

    private static long logLines(Path dir) {
        try (Stream<String> s = Files.lines(dir.resolve("train.log"))) {
            return s.count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static List<String> logTail(Path dir, long skip) {
        try (Stream<String> s = Files.lines(dir.resolve("train.log"))) {
            return s.skip(skip).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    private static String lastLogLine(Path dir) {
        List<String> lines = logTail(dir, 0);
        return lines.isEmpty() ? "(empty)" : lines.get(lines.size() - 1).replaceFirst("^\\S+\\s+", "");
    }

    private static String newestCheckpoint(Path dir) throws IOException {
        Path p = newestCheckpointDir(dir);
        return p == null ? "none" : p.getFileName().toString();
    }

    private static Path newestCheckpointDir(Path dir) throws IOException {
        Path c = dir.resolve("checkpoints");
        if (!Files.isDirectory(c)) {
            return null;
        }
        try (Stream<Path> s = Files.list(c)) {
            return s.filter(x -> x.getFileName().toString().startsWith("step-"))
                    .max(Comparator.comparing(x -> x.getFileName().toString())).orElse(null);
        }
    }

    /** Drops the wall-time columns (seconds, images_per_s, model_s), which differ between any two runs. */
    private static String stripTimes(String csv) {
        List<String> lines = csv.lines().toList();
        List<String> header = List.of(lines.get(0).split(","));
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (!List.of("seconds", "images_per_s", "model_s").contains(header.get(i))) {
                keep.add(i);
            }
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            String[] f = line.split(",");
            for (int i : keep) {
                out.append(f[i]).append(',');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
