package io.anglearn.util;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * anglearn's version, as the build wrote it into {@code io/anglearn/version.properties}: the same
 * for {@code anglearn --version}, a run's {@code config.json} and an index's provenance, whether
 * anglearn runs from its jar or from the build's class folders.
 */
public final class Version {

    private static final String VERSION = read();

    private Version() {}

    /**
     * Returns the version, e.g. {@code 0.1.0-SNAPSHOT}.
     *
     * @return the version, or {@code unknown} when the resource is missing (a build that skipped
     *     resource processing)
     */
    public static String current() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("/io/anglearn/version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "").trim();
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through: the version is informative only
        }
        return "unknown";
    }
}
