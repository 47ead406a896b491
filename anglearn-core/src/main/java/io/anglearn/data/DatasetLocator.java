package io.anglearn.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Finds a dataset's folder. Search order: {@code $ANGLEARN_DATA}, {@code ~/.anglearn/data}, then
 * {@code /usr/share/datasets} (where Debian's dataset packages install). In each root the dataset
 * is looked for as {@code <root>/<name>} and as the root itself.
 *
 * <p>An explicit folder (the user's {@code --data-dir}) is the only place searched: a dataset it
 * does not hold is an error naming what the folder lacks, never a silent fall-back to a copy
 * found elsewhere.
 */
public final class DatasetLocator {

    private final Path explicit;
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
        explicit = explicitDir;
        roots = new ArrayList<>();
        Path env = envDir != null && !envDir.isBlank() ? Path.of(envDir) : null;
        Path user = home != null ? Path.of(home, ".anglearn", "data") : null;
        if (explicitDir != null) {
            roots.add(explicitDir);
        } else {
            if (env != null) {
                roots.add(env);
            }
            if (user != null) {
                roots.add(user);
            }
            roots.add(Path.of("/usr/share/datasets"));
        }
        store = explicitDir != null ? explicitDir : env != null ? env : user != null ? user : Path.of("data");
    }

    /**
     * Returns where downloaded datasets are stored: the explicit folder, else {@code $ANGLEARN_DATA},
     * else {@code ~/.anglearn/data}.
     */
    public Path defaultStore() {
        return store;
    }

    /** Returns the roots searched, in order (only the explicit folder when one is given). */
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
        return locate(name, isComplete, dir -> null, howToGet);
    }

    /**
     * Finds the folder holding a dataset, saying what an explicit folder lacks when it does not.
     *
     * @param name the dataset's folder name, e.g. {@code fashion-mnist}
     * @param isComplete tells whether a candidate folder holds the dataset's files
     * @param missing says what a candidate folder lacks (e.g. {@code lacks t10k-labels-idx1-ubyte}),
     *     or returns null when it cannot tell
     * @param howToGet one sentence on how to obtain the dataset
     * @return the folder
     * @throws DatasetNotFoundException naming every place looked at, and with an explicit folder
     *     what each candidate lacks
     */
    public Path locate(String name, Predicate<Path> isComplete, Function<Path, String> missing, String howToGet)
            throws DatasetNotFoundException {
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
        if (explicit == null) {
            throw new DatasetNotFoundException("dataset '" + name + "' not found; looked in: " + tried + ". " + howToGet);
        }
        List<String> why = new ArrayList<>();
        for (Path candidate : tried) {
            String lacks = Files.isDirectory(candidate) ? missing.apply(candidate) : null;
            why.add(candidate + (Files.isDirectory(candidate) ? " " + (lacks == null ? "does not hold it" : lacks)
                    : Files.exists(candidate) ? " is not a folder" : " does not exist"));
        }
        throw new DatasetNotFoundException("dataset '" + name + "' is not in --data-dir " + explicit + ": "
                + String.join("; ", why) + ". " + howToGet);
    }

    /** The dataset was in none of the searched places. */
    public static final class DatasetNotFoundException extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        DatasetNotFoundException(String message) {
            super(message);
        }
    }
}
