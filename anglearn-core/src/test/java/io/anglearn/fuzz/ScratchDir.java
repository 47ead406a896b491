package io.anglearn.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary folder for one fuzz execution, removed when closed (a test's {@code @TempDir} would be
 * shared by all its tries).
 */
public final class ScratchDir implements AutoCloseable {

    private final Path path;

    private ScratchDir(Path path) {
        this.path = path;
    }

    /**
     * Creates an empty temporary folder.
     *
     * @return the folder
     */
    public static ScratchDir create() {
        try {
            return new ScratchDir(Files.createTempDirectory("anglearn-fuzz-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the folder. */
    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(path)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
