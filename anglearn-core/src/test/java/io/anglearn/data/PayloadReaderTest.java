package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files are found plain, per-file gzip, in the official sub-folder or in the archive; caps and digests hold. */
class PayloadReaderTest {

    @TempDir
    Path dir;

    private static final PayloadReader.Layout LAYOUT = new PayloadReader.Layout("sub", "pack.tar.gz");

    @Test
    void readsTheSameBytesFromEveryForm() throws Exception {
        byte[] a = "first file".getBytes();
        byte[] b = "second file".getBytes();
        Map<String, Checksum> sums = Map.of("a.bin", Checksum.sha256(TestFiles.sha256(a)),
                "b.bin", Checksum.sha1(TestFiles.sha1(b)));
        List<PayloadReader.Member> members = List.of(new PayloadReader.Member("a.bin", 100, sums.get("a.bin")),
                new PayloadReader.Member("b.bin", 100, sums.get("b.bin")));

        Path plain = Files.createDirectories(dir.resolve("plain"));
        TestFiles.write(plain, "a.bin", a, false);
        TestFiles.write(plain, "b.bin", b, true);
        Path sub = Files.createDirectories(dir.resolve("extracted/sub"));
        TestFiles.write(sub, "a.bin", a, false);
        TestFiles.write(sub, "b.bin", b, false);
        Path packed = Files.createDirectories(dir.resolve("packed"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("sub/readme.txt", "x".getBytes());
        entries.put("sub/b.bin", b);
        entries.put("sub/a.bin", a);
        TestFiles.tarGz(packed.resolve("pack.tar.gz"), entries);

        for (Path d : List.of(plain, dir.resolve("extracted"), packed)) {
            assertTrue(PayloadReader.present(d, List.of("a.bin", "b.bin"), LAYOUT), d.toString());
            Map<String, PayloadReader.Payload> got = PayloadReader.read(d, members, LAYOUT, true);
            assertEquals(List.of("a.bin", "b.bin"), List.copyOf(got.keySet()));
            assertArrayEquals(a, got.get("a.bin").bytes());
            assertArrayEquals(b, got.get("b.bin").bytes());
            assertTrue(got.get("a.bin").check().verified());
            assertEquals("SHA-1", got.get("b.bin").check().algorithm());
        }
        assertTrue(PayloadReader.read(packed, members, LAYOUT, true).get("a.bin").check().origin()
                .endsWith("pack.tar.gz!sub/a.bin"));
    }

    @Test
    void namesTheMissingFileAndWhereItWasLookedFor() throws Exception {
        assertFalse(PayloadReader.present(dir, List.of("a.bin"), LAYOUT));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> PayloadReader.read(dir,
                List.of(new PayloadReader.Member("a.bin", 10, null)), LAYOUT, true));
        assertTrue(e.getMessage().contains("missing a.bin") && e.getMessage().contains("a.bin.gz")
                && e.getMessage().contains("sub/") && e.getMessage().contains("pack.tar.gz"), e.getMessage());
    }

    @Test
    void rejectsADigestThatDiffersFromThePublishedOne() throws Exception {
        byte[] a = "content".getBytes();
        Path f = TestFiles.write(dir, "a.bin", a, true);
        Checksum wrong = Checksum.sha256("00".repeat(32));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> PayloadReader.readFile(f, 100, wrong, true));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("expected " + wrong.hex())
                && e.getMessage().contains(TestFiles.sha256(a)), e.getMessage());
        // With verification off the same file is read and its digest reported, not compared.
        PayloadReader.Payload p = PayloadReader.readFile(f, 100, wrong, false);
        assertFalse(p.check().verified());
    }

    @Test
    void acceptsARecompressedCopyWithTheSameContent() throws Exception {
        byte[] a = new byte[5000];
        Checksum sum = Checksum.sha256(TestFiles.sha256(a));
        Path gz1 = TestFiles.write(Files.createDirectories(dir.resolve("one")), "a.bin", a, true);
        Path gz2 = dir.resolve("two/a.bin.gz");
        Files.createDirectories(gz2.getParent());
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bo) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        }) {
            out.write(a);
        }
        Files.write(gz2, bo.toByteArray());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(gz1), Files.readAllBytes(gz2)));
        assertTrue(PayloadReader.readFile(gz1, 10000, sum, true).check().verified());
        assertTrue(PayloadReader.readFile(gz2, 10000, sum, true).check().verified());
    }

    @Test
    void stopsADecompressionBombAtTheCap() throws Exception {
        Path bomb = TestFiles.write(dir, "bomb", new byte[4 << 20], true);
        assertTrue(Files.size(bomb) < 10_000);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> PayloadReader.readFile(bomb, 1 << 20, null, false));
        assertTrue(e.getMessage().contains("decompresses to more than 1048576 bytes"), e.getMessage());
    }

    @Test
    void refusesAPlainFileLargerThanTheCapBeforeReadingIt() throws Exception {
        Path f = TestFiles.write(dir, "big", new byte[2000], false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> PayloadReader.readFile(f, 1000, null, false));
        assertTrue(e.getMessage().contains("is 2000 bytes, more than the 1000 expected at most"), e.getMessage());
    }

    @Test
    void refusesAnArchiveEntryLargerThanTheCap() throws Exception {
        TestFiles.tarGz(dir.resolve("pack.tar.gz"), Map.of("sub/a.bin", new byte[5000]));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> PayloadReader.read(dir,
                List.of(new PayloadReader.Member("a.bin", 1000, null)), LAYOUT, true));
        assertTrue(e.getMessage().contains("pack.tar.gz") && e.getMessage().contains("!sub/a.bin")
                && e.getMessage().contains("more than the 1000 expected"), e.getMessage());
    }

    @Test
    void reportsAnArchiveWithoutTheFileAndATruncatedArchive() throws Exception {
        Path archive = TestFiles.tarGz(dir.resolve("pack.tar.gz"), Map.of("sub/other.bin", new byte[10]));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> PayloadReader.read(dir,
                List.of(new PayloadReader.Member("a.bin", 1000, null)), LAYOUT, true));
        assertTrue(e.getMessage().contains("has no regular file named a.bin"), e.getMessage());

        TestFiles.tarGz(archive, Map.of("sub/a.bin", TestFiles.images(40, 28)));
        byte[] whole = Files.readAllBytes(archive);
        Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 2));
        e = assertThrows(DatasetFormatException.class, () -> PayloadReader.read(dir,
                List.of(new PayloadReader.Member("a.bin", 1 << 20, null)), LAYOUT, true));
        assertTrue(e.getMessage().startsWith(archive.toString()) && e.getMessage().contains("truncated"),
                e.getMessage());
    }
}
