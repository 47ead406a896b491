package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without PyTorch's native library (no native jar on the classpath, an empty DJL cache, offline),
 * the command must fail with one readable line, not a stack trace.
 */
class MissingNativeLibraryIT {

    @Test
    void missingNativeLibraryIsOneLine(@TempDir Path tmp) throws Exception {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("pytorch-native"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, "-DENGINE_CACHE_DIR=" + tmp.resolve("cache"), "-DDJL_CACHE_DIR=" + tmp.resolve("djl"),
                "-Dai.djl.offline=true", "io.anglearn.cli.Main", "train", "--data-dir", tmp.toString(),
                "--runs-dir", tmp.resolve("runs").toString(), "--no-progress"));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command must not hang");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(1, p.exitValue(), err);
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line expected, got:\n" + err);
        assertTrue(lines.get(0).startsWith("anglearn train: PyTorch native library could not be loaded"), err);
        assertTrue(lines.get(0).contains("pytorch-native-cpu"), "names the fix: " + err);
        assertFalse(Files.exists(tmp.resolve("runs")), "no run directory is left behind");
    }
}
