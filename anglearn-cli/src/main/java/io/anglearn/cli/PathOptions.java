package io.anglearn.cli;

import io.anglearn.rundir.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the files and folders options name before a command starts its work, so a wrong path
 * ends in one line naming the option, the path and what was expected, not in an error half-way
 * through (or after a long training run).
 */
final class PathOptions {

    private PathOptions() {}

    /**
     * Requires a folder that exists.
     *
     * @param option the option, e.g. {@code --data-dir}
     * @param dir the path given
     * @throws IllegalArgumentException if it does not exist or is not a folder
     */
    static void existingDirectory(String option, Path dir) {
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " is not a folder");
        }
    }

    /**
     * Requires a run directory: a folder holding a run's {@code config.json}.
     *
     * @param option the option, e.g. {@code --run} or {@code --resume}
     * @param dir the path given
     * @throws IllegalArgumentException if it does not exist, is not a folder, or holds no run
     */
    static void runDirectory(String option, Path dir) {
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " does not exist; expected a run directory"
                    + " (a folder holding " + RunFiles.CONFIG + ", as anglearn train writes)");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " is not a folder; expected a run directory");
        }
        if (!RunFiles.isRun(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " is not a run directory: " + RunFiles.CONFIG + " is missing");
        }
    }

    /**
     * Requires a regular file that exists and can be read.
     *
     * @param option the option, e.g. {@code --config}
     * @param file the path given
     * @throws IllegalArgumentException if it does not exist, is a folder, or cannot be read
     */
    static void existingFile(String option, Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(option + " " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + " is a folder; expected a file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(option + " " + file + " cannot be read (permission denied)");
        }
    }

    /**
     * Requires a folder that exists and is writable, or can be created: its nearest existing
     * ancestor must be a writable folder.
     *
     * @param option the option, e.g. {@code --runs-dir}
     * @param dir the path given
     * @throws IllegalArgumentException naming the path at fault
     */
    static void writableDirectory(String option, Path dir) {
        Path existing = nearestExisting(dir);
        if (existing == null) {
            return; // nothing of the path exists; creating it reports any problem in full
        }
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException(option + " " + dir + ": " + (existing.equals(dir.toAbsolutePath().normalize())
                    ? "it is a file, not a folder" : existing + " is a file, not a folder"));
        }
        if (!Files.isWritable(existing)) {
            throw new IllegalArgumentException(option + " " + dir + ": " + existing + " is not writable");
        }
    }

    /**
     * Requires a file that can be written: not a folder, in a folder that exists and is writable
     * or can be created.
     *
     * @param option the option, e.g. {@code --out}
     * @param file the path given
     * @throws IllegalArgumentException naming the path at fault
     */
    static void writableFile(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + " is a folder; expected a file name");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new IllegalArgumentException(option + " " + file + " is not writable");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            writableDirectory(option, parent);
        }
    }

    private static Path nearestExisting(Path path) {
        Path p = path.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }
}
