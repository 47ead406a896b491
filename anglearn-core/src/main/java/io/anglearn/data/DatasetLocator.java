package io.anglearn.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Finds a dataset's folder. Search order: an explicit {@code --data-dir}, {@code $ANGLEARN_DATA},
 * {@code ~/.anglearn/data}, then {@code /usr/share/datasets} (where Debian's dataset packages
 * install). In each root the dataset is looked for as {@code <root>/<name>} and as the root
 * itself.
 */
public final class DatasetLocator {

    private final List<Path> roots;
    private final Path store;

    /**
     * Creates a locator with the standard search order.
     *
     * @param explicitDir the user's {@code --data-dir}, or {@code null}
     */
    public DatasetLocator(Path explicitDir) {
        this(explicitDir, System.getenv("ANGLEARN_DATA"), System.getProperty("user.home"));
    }

    DatasetLocator(Path explicitDir, String envDir, String home) {
        roots = new ArrayList<>();
        Path env = envDir != null && !envDir.isBlank() ? Path.of(envDir) : null;
        Path user = home != null ? Path.of(home, ".anglearn", "data") : null;
        if (explicitDir != null) {
            roots.add(explicitDir);
        }
        if (env != null) {
            roots.add(env);
        }
        if (user != null) {
            roots.add(user);
        }
        store = explicitDir != null ? explicitDir : env != null ? env : user != null ? user : Path.of("data");
        roots.add(Path.of("/usr/share/datasets"));
    }

    /**
     * Returns where downloaded datasets are stored: the explicit folder, else {@code $ANGLEARN_DATA},
     * else {@code ~/.anglearn/data}.
     */
    public Path defaultStore() {
        return store;
    }

    /** Returns the roots searched, in order. */
    public List<Path> roots() {
        return List.copyOf(roots);
    }

    /**
     * Finds the folder holding a dataset.
     *
     * @param name the dataset's folder name, e.g. {@code fashion-mnist}
     * @param isComplete tells whether a candidate folder holds the dataset's files
     * @param howToGet one sentence on how to obtain the dataset
     * @return the folder
     * @throws DatasetNotFoundException naming every place looked at
     */
    public Path locate(String name, Predicate<Path> isComplete, String howToGet) throws DatasetNotFoundException {
        List<Path> tried = new ArrayList<>();
        for (Path root : roots) {
            for (Path candidate : List.of(root.resolve(name), root)) {
                if (tried.contains(candidate)) {
                    continue;
                }
                tried.add(candidate);
                if (Files.isDirectory(candidate) && isComplete.test(candidate)) {
                    return candidate;
                }
            }
        }
        throw new DatasetNotFoundException(name, tried, howToGet);
    }

    /** The dataset was in none of the searched places. */
    public static final class DatasetNotFoundException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        DatasetNotFoundException(String name, List<Path> tried, String howToGet) {
            super("dataset '" + name + "' not found; looked in: " + tried + ". " + howToGet);
        }
    }
}
