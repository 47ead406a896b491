package io.anglearn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where integration tests find the real datasets; they are skipped, with the reason, when absent. */
public final class TestData {

    private TestData() {}

    /** Returns the folder holding fashion-mnist/ and cifar-10/, or skips the calling test. */
    public static Path root() {
        String prop = System.getProperty("anglearn.test.data");
        Path p = prop == null ? Path.of("../shared/data") : Path.of(prop);
        assumeTrue(Files.isDirectory(p.resolve("fashion-mnist")),
                "integration data not found at " + p.toAbsolutePath().normalize()
                        + " (set -Danglearn.test.data=DIR to a folder with fashion-mnist/ and cifar-10/)");
        return p;
    }

    /**
     * Returns one dataset's folder, or skips the calling test.
     *
     * @param name fashion-mnist or cifar-10
     * @return the folder
     */
    public static Path dataset(String name) {
        Path p = root().resolve(name);
        assumeTrue(Files.isDirectory(p), "integration data " + p + " not found");
        return p;
    }
}
