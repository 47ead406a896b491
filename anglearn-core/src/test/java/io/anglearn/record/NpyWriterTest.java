package io.anglearn.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTest {

    @Test
    void headerIsPaddedTo64BytesAndEndsWithNewline() {
        for (long n : new long[] {1, 7, 123456789}) {
            String h = NpyWriter.headerText("<f4", n, 3);
            assertEquals(0, (10 + h.length()) % 64);
            assertEquals('\n', h.charAt(h.length() - 1));
        }
        assertEquals("{'descr': '<i4', 'fortran_order': False, 'shape': (5,), }",
                NpyWriter.headerText("<i4", 5).trim());
    }

    @Test
    void writesLittleEndianDataAfterTheHeader(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.npy");
        NpyWriter.writeFloat32(f, new float[] {1f, -2.5f, 3f, 0f, 5f, 6f}, 2, 3);
        NpyFiles.Header h = NpyFiles.readHeader(f);
        assertArrayEquals(new long[] {2, 3}, h.shape());
        // The 60-character dictionary, the 10-byte preamble and the newline need two 64-byte blocks.
        assertEquals(128, h.dataOffset());
        assertEquals(128 + 24, Files.size(f));
        byte[] b = Files.readAllBytes(f);
        // 1.0f is 0x3F800000, stored little-endian.
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, java.util.Arrays.copyOfRange(b, 128, 132));
        assertArrayEquals(new float[] {1f, -2.5f, 3f, 0f, 5f, 6f}, NpyFiles.readFloat32(f));
        Path g = dir.resolve("b.npy");
        NpyWriter.writeInt32(g, new int[] {3, 1, 2}, 3);
        assertArrayEquals(new int[] {3, 1, 2}, NpyFiles.readInt32(g));
    }

    @Test
    void rejectsAShapeThatDoesNotFitTheData(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpyWriter.writeFloat32(dir.resolve("c.npy"), new float[5], 2, 3));
        assertEquals(true, e.getMessage().contains("c.npy"));
    }
}
