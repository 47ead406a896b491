package io.anglearn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The glibc tuning is applied with the engine, where glibc exists, and its switch is validated. */
class NativeAllocatorTest {

    @Test
    void isOnOnceTheEngineStartsOnGlibcLinux() {
        Engines.pytorch();
        boolean glibc = Platform.isLinux() && Files.exists(Path.of("/usr/bin/ldd"))
                && !Files.exists(Path.of("/lib/ld-musl-x86_64.so.1"));
        if ("system".equals(System.getProperty(NativeAllocator.PROPERTY))) {
            assertEquals(false, NativeAllocator.isTuned());
        } else if (glibc) {
            assertTrue(NativeAllocator.isTuned(), "mallopt should have been applied");
        }
        assertEquals(NativeAllocator.isTuned(), NativeAllocator.tune(), "later calls repeat the first answer");
    }

    @Test
    void modeNamesTheProperty() {
        assertEquals("tuned", NativeAllocator.mode(null));
        assertEquals("system", NativeAllocator.mode(" System "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeAllocator.mode("off"));
        assertTrue(e.getMessage().contains(NativeAllocator.PROPERTY) && e.getMessage().contains("off"), e.getMessage());
    }
}
