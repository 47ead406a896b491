package io.anglearn.record;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A run's {@code train.log}: one time-stamped line per event (start, resume, epoch, checkpoint,
 * failure), appended and flushed at once so that a killed run's log ends where it died.
 */
public final class RunLog {

    private final Path file;

    /**
     * Opens (creating on first write) a log file.
     *
     * @param file the file
     */
    public RunLog(Path file) {
        this.file = file;
    }

    /** Returns the file. */
    public Path file() {
        return file;
    }

    /**
     * Appends one line, prefixed with the UTC time.
     *
     * @param message the line (newlines are replaced by spaces)
     * @throws IOException if the file cannot be written
     */
    public void log(String message) throws IOException {
        String line = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + message.replace('\n', ' ') + "\n";
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }
}
