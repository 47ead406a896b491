package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way an IDX file can be malformed ends in an error naming the file and what was expected. */
class IdxReaderTest {

    @TempDir
    Path dir;

    private String failure(byte[] bytes, int rank) throws Exception {
        Path f = TestFiles.write(dir, "bad-idx", bytes, false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(f, rank));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsPlainAndGzipFilesAlike() throws Exception {
        byte[] bytes = TestFiles.idx(new int[] {3, 4, 4}, TestFiles.images(3, 4));
        Path plain = TestFiles.write(dir, "a", bytes, false);
        Path gz = TestFiles.write(dir, "b", bytes, true);
        IdxReader.IdxArray a = IdxReader.read(plain, 3);
        IdxReader.IdxArray b = IdxReader.read(gz, 3);
        assertArrayEquals(new int[] {3, 4, 4}, a.dims());
        assertArrayEquals(TestFiles.images(3, 4), a.data());
        assertArrayEquals(a.data(), b.data());
    }

    @Test
    void rejectsAShortFile() throws Exception {
        assertTrue(failure(new byte[] {0, 0}, 1).contains("shorter than the 4-byte IDX magic"));
    }

    @Test
    void rejectsAWrongMagic() throws Exception {
        byte[] b = TestFiles.idx(new int[] {2}, new byte[2]);
        b[2] = 0x0D; // float type code
        assertTrue(failure(b, 1).contains("expected 0x00000801"));
    }

    @Test
    void rejectsAWrongRank() throws Exception {
        assertTrue(failure(TestFiles.idx(new int[] {2}, new byte[2]), 3).contains("has 1 dimensions, expected 3"));
    }

    @Test
    void rejectsAHeaderCutShort() throws Exception {
        byte[] b = Arrays.copyOf(TestFiles.idx(new int[] {2, 2, 2}, new byte[0]), 10);
        assertTrue(failure(b, 3).contains("header ends after 10 bytes, expected 16"));
    }

    @Test
    void rejectsANonPositiveDimension() throws Exception {
        assertTrue(failure(TestFiles.idx(new int[] {0}, new byte[0]), 1).contains("dimension 1 is 0, expected > 0"));
        assertTrue(failure(TestFiles.idx(new int[] {-5}, new byte[0]), 1).contains("dimension 1 is -5"));
    }

    @Test
    void neverAllocatesFromAForgedCount() throws Exception {
        // 2^31-1 images of 2^31-1 x 2^31-1 pixels, followed by 4 bytes: refused without allocating.
        int big = Integer.MAX_VALUE;
        String m = failure(TestFiles.idx(new int[] {big, big, big}, new byte[4]), 3);
        assertTrue(m.contains("truncated"), m);
    }

    @Test
    void rejectsATruncatedPayload() throws Exception {
        byte[] b = TestFiles.idx(new int[] {10}, new byte[10]);
        String m = failure(Arrays.copyOf(b, b.length - 3), 1);
        assertTrue(m.contains("more data than the 7 bytes after the header"), m);
    }

    @Test
    void rejectsTrailingBytes() throws Exception {
        byte[] b = TestFiles.idx(new int[] {10}, new byte[12]);
        assertTrue(failure(b, 1).contains("= 10 data bytes, but 12 follow"));
    }

    @Test
    void rejectsCorruptAndTruncatedGzip() throws Exception {
        byte[] gz = TestFiles.gzip(TestFiles.idx(new int[] {1000}, new byte[1000]));
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(cut, 1));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        byte[] bad = gz.clone();
        bad[2] = 7; // compression method: only 8 (deflate) exists
        Path corrupt = dir.resolve("corrupt.gz");
        Files.write(corrupt, bad);
        e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(corrupt, 1));
        assertTrue(e.getMessage().contains("not a valid gzip stream"), e.getMessage());
    }

    @Test
    void rejectsAMissingFile() {
        Path none = dir.resolve("absent");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.read(none, 1));
        assertEquals(none + ": is not a readable file", e.getMessage());
    }
}
