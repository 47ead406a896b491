package io.anglearn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The version the build writes is the project's, the same for the jar and a build from source. */
class VersionTest {

    @Test
    void theVersionIsTheProjectVersion() throws Exception {
        // The module's pom names its parent's version, which is the project's.
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        m.find();
        assertEquals(m.group(1).trim(), Version.current());
    }
}
