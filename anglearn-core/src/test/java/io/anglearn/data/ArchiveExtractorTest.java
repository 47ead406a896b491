package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives with unsafe entries are refused whole, and a refused archive leaves the destination untouched. */
class ArchiveExtractorTest {

    @TempDir
    Path dir;

    /** Writes an archive with one entry built by {@code entry}, preceded by a harmless file. */
    private Path archive(TarArchiveEntry entry, byte[] content) throws IOException {
        Path file = dir.resolve("a.tar.gz");
        try (OutputStream raw = new GZIPOutputStream(Files.newOutputStream(file));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(raw)) {
            TarArchiveEntry ok = new TarArchiveEntry("data/ok.txt");
            ok.setSize(2);
            tar.putArchiveEntry(ok);
            tar.write("ok".getBytes());
            tar.closeArchiveEntry();
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return file;
    }

    private void assertRefused(Path archive, String why) throws IOException {
        Path dest = dir.resolve("dest");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ArchiveExtractor.extract(archive, dest, 1 << 20));
        assertTrue(e.getMessage().startsWith(archive.toString()) && e.getMessage().contains(why), e.getMessage());
        try (Stream<Path> s = Files.list(dest)) {
            assertEquals(List.of(), s.toList(), "nothing extracted, no staging folder left");
        }
        assertFalse(Files.exists(dir.resolve("evil")));
    }

    @Test
    void extractsPlainFilesAndFolders() throws Exception {
        Path a = TestFiles.tarGz(dir.resolve("ok.tar.gz"), Map.of("top/sub/x.bin", new byte[] {1, 2, 3}));
        List<Path> out = ArchiveExtractor.extract(a, dir.resolve("dest"), 100);
        assertEquals(List.of(dir.resolve("dest/top")), out);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("dest/top/sub/x.bin")));
    }

    @Test
    void refusesParentTraversal() throws Exception {
        assertRefused(archive(new TarArchiveEntry("data/../../evil"), new byte[1]), "has a '..' component");
    }

    @Test
    void refusesAbsolutePaths() throws Exception {
        // TarArchiveEntry strips a leading '/' unless told to keep it, as a malicious archive would.
        assertRefused(archive(new TarArchiveEntry("/evil", true), new byte[1]), "has an absolute path");
    }

    @Test
    void refusesSymbolicAndHardLinks() throws Exception {
        TarArchiveEntry sym = new TarArchiveEntry("data/link", TarConstants.LF_SYMLINK);
        sym.setLinkName("/etc/passwd");
        assertRefused(archive(sym, new byte[0]), "is a link");
        TarArchiveEntry hard = new TarArchiveEntry("data/hard", TarConstants.LF_LINK);
        hard.setLinkName("data/ok.txt");
        assertRefused(archive(hard, new byte[0]), "is a link");
    }

    @Test
    void refusesDevicesAndFifos() throws Exception {
        assertRefused(archive(new TarArchiveEntry("data/dev", TarConstants.LF_CHR), new byte[0]), "is a device or FIFO");
        assertRefused(archive(new TarArchiveEntry("data/fifo", TarConstants.LF_FIFO), new byte[0]), "is a device or FIFO");
    }

    @Test
    void capsTheExtractedSize() throws Exception {
        Path a = TestFiles.tarGz(dir.resolve("big.tar.gz"), Map.of("top/zeros", new byte[5000]));
        Path dest = dir.resolve("dest");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ArchiveExtractor.extract(a, dest, 1000));
        assertTrue(e.getMessage().contains("extracts to more than 1000 bytes"), e.getMessage());
        try (Stream<Path> s = Files.list(dest)) {
            assertEquals(0, s.count());
        }
    }
}
