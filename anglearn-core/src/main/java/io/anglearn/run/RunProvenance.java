package io.anglearn.run;

import io.anglearn.engine.Engines;
import io.anglearn.util.CpuInfo;
import io.anglearn.util.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Where and with what a run was started, as its {@code config.json} records it: the library and
 * engine versions, the Java runtime, the operating system and processor, the git commit of the
 * working directory and the time.
 *
 * @param anglearnVersion the library version
 * @param engine the deep-learning engine and its version
 * @param java the Java version and vendor
 * @param os the operating system and architecture
 * @param cpu the processor
 * @param commit the working directory's git commit ({@code -dirty} if modified), or null outside git
 * @param created when (ISO-8601)
 */
public record RunProvenance(String anglearnVersion, String engine, String java, String os, String cpu,
        String commit, String created) {

    /**
     * Returns the provenance of a run starting now, in this process and working directory.
     *
     * @return the provenance
     */
    public static RunProvenance current() {
        return new RunProvenance(Version.current(), Engines.describe(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), CpuInfo.describe(), gitCommit(),
                Instant.now().toString());
    }

    /**
     * Returns the git commit of the working directory (with "-dirty" if modified), or null outside git.
     *
     * @return the commit, or null
     */
    public static String gitCommit() {
        try {
            String head = run("git", "rev-parse", "HEAD");
            if (head == null || !head.matches("[0-9a-f]{40}")) {
                return null;
            }
            String status = run("git", "status", "--porcelain", "--untracked-files=no");
            return status != null && !status.isEmpty() ? head + "-dirty" : head;
        } catch (IOException e) {
            return null;
        }
    }

    private static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return null;
        }
    }
}
