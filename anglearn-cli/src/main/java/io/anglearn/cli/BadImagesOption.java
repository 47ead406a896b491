package io.anglearn.cli;

import io.anglearn.data.BadImagePolicy;
import io.anglearn.util.Words;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --bad-images stop|skip}, shared as a picocli mixin by the commands that read image files
 * ({@code predict}, {@code embed}, {@code search}), with the report of the files left out.
 */
final class BadImagesOption {

    @Option(names = "--bad-images", paramLabel = "POLICY", defaultValue = "stop",
            description = "stop (default): an unreadable image file stops the command, with every such file named;"
                    + " skip: leave such files out and list them.")
    String value;

    /**
     * Parses the value.
     *
     * @throws IllegalArgumentException naming {@code --bad-images} and the closest value
     */
    BadImagePolicy policy() {
        return BadImagePolicy.parse(value);
    }

    /** Reports the files left out, if any: their count, then each with its reason. */
    static void report(PrintWriter w, List<String> unreadable) {
        if (unreadable.isEmpty()) {
            return;
        }
        w.println("skipped " + Words.count(unreadable.size(), "image file") + " that cannot be read:");
        unreadable.forEach(u -> w.println("  " + u));
        w.flush();
    }
}
