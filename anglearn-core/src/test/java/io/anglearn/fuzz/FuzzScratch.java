package io.anglearn.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder per fuzz target for the files it writes on every execution, in memory-backed
 * {@code /dev/shm} where there is one, and the property every coverage-guided target checks: a
 * clean failure names the input.
 */
public final class FuzzScratch {

    private FuzzScratch() {}

    /**
     * Returns a fresh folder for a target.
     *
     * @param target the target's name
     * @return the folder, deleted when the JVM exits
     */
    public static Path folder(String target) {
        try {
            Path shm = Path.of("/dev/shm");
            Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
            Path dir = Files.createTempDirectory(base, "anglearn-fuzz-" + target + "-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks a clean failure: its message names the input.
     *
     * @param e the failure
     * @param input what it must name
     * @throws AssertionError when it does not
     */
    public static void requireNames(Exception e, Object input) {
        String m = e.getMessage();
        if (m == null || !m.contains(String.valueOf(input))) {
            throw new AssertionError("a failure that does not name " + input + ": " + e, e);
        }
    }
}
