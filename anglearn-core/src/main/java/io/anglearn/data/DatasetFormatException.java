package io.anglearn.data;

import java.io.IOException;
import java.nio.file.Path;

/** A dataset file is not what its format requires; the message names the file and the problem. */
public class DatasetFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file the offending file
     * @param problem what was found and what was expected
     */
    public DatasetFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param file the offending file
     * @param problem what was found and what was expected
     * @param cause the underlying failure
     */
    public DatasetFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
