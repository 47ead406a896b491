package io.anglearn.rundir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void replacesContentLeavesNoTemporaryAndKeepsPermissions(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("metrics.csv");
        AtomicFiles.writeString(f, "a\n");
        assertEquals("a\n", Files.readString(f));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), "new files are shareable");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.writeString(f, "b\n");
        assertEquals("b\n", Files.readString(f));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), "a replaced file keeps its mode");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aFailedReplaceLeavesWhatWasThereAndNoTemporary(@TempDir Path dir) throws Exception {
        // The rename cannot replace a non-empty folder: the write must fail cleanly.
        Path target = dir.resolve("checkpoint");
        Files.createDirectories(target);
        Files.writeString(target.resolve("inside"), "kept");
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> AtomicFiles.writeString(target, "new"));
        assertEquals("kept", Files.readString(target.resolve("inside")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "the temporary file is removed after the failure");
        }
        assertTrue(Files.isDirectory(target));
    }
}
