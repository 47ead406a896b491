package io.anglearn.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict reader of the .npy files tests check, following NumPy's format specification. */
public final class NpyFiles {

    private NpyFiles() {}

    /** A parsed header. */
    public record Header(String descr, boolean fortranOrder, long[] shape, int dataOffset) {}

    private static final Pattern DICT = Pattern.compile(
            "\\{'descr': '([<>|][a-z][0-9]+)', 'fortran_order': (True|False), 'shape': \\(([0-9, ]*)\\), \\} *\n");

    /** Reads and validates a version-1.0 header. */
    public static Header readHeader(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        assertTrue(all.length >= 10, "file shorter than the preamble");
        assertEquals((byte) 0x93, all[0]);
        assertEquals("NUMPY", new String(all, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, all[6], "major version");
        assertEquals(0, all[7], "minor version");
        int len = (all[8] & 0xFF) | (all[9] & 0xFF) << 8;
        String text = new String(all, 10, len, StandardCharsets.US_ASCII);
        assertEquals(0, (10 + len) % 64, "header padded to a multiple of 64 bytes");
        assertTrue(text.endsWith("\n"), "header ends with a newline");
        Matcher m = DICT.matcher(text);
        assertTrue(m.matches(), "header dictionary: " + text);
        String dims = m.group(3).trim();
        long[] shape = dims.isEmpty() ? new long[0]
                : Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        if (shape.length == 1) {
            assertTrue(dims.endsWith(","), "a 1-D shape is written (n,)");
        }
        return new Header(m.group(1), m.group(2).equals("True"), shape, 10 + len);
    }

    /** Reads float32 data. */
    public static float[] readFloat32(Path file) throws IOException {
        Header h = readHeader(file);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(h.dataOffset());
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    /** Reads int32 data. */
    public static int[] readInt32(Path file) throws IOException {
        Header h = readHeader(file);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(h.dataOffset());
        int[] out = new int[b.remaining() / 4];
        b.asIntBuffer().get(out);
        return out;
    }
}
