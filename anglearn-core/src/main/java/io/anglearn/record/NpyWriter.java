package io.anglearn.record;

import io.anglearn.rundir.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes arrays in NumPy's {@code .npy} format, version 1.0, so that {@code numpy.load} reads them:
 * the magic {@code \x93NUMPY}, version bytes 1 and 0, a little-endian 2-byte header length, then an
 * ASCII header such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (100, 64), }}
 * padded with spaces and ended by a newline so that the data starts at a multiple of 64 bytes,
 * then the data, little-endian and C order. Files are written atomically.
 */
public final class NpyWriter {

    /** The bytes every {@code .npy} file starts with. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private NpyWriter() {}

    /**
     * Writes float32 data.
     *
     * @param file the target
     * @param data the values, C order
     * @param shape the shape; its product must equal {@code data.length}
     * @throws IOException if writing fails
     */
    public static void writeFloat32(Path file, float[] data, long... shape) throws IOException {
        checkShape(file, data.length, shape);
        ByteBuffer buf = header("<f4", shape, 4L * data.length);
        buf.asFloatBuffer().put(data);
        AtomicFiles.write(file, buf.array());
    }

    /**
     * Writes int32 data.
     *
     * @param file the target
     * @param data the values, C order
     * @param shape the shape; its product must equal {@code data.length}
     * @throws IOException if writing fails
     */
    public static void writeInt32(Path file, int[] data, long... shape) throws IOException {
        checkShape(file, data.length, shape);
        ByteBuffer buf = header("<i4", shape, 4L * data.length);
        buf.asIntBuffer().put(data);
        AtomicFiles.write(file, buf.array());
    }

    /**
     * Returns the header text (dictionary, padding and newline) for a dtype and shape.
     *
     * @param descr the NumPy type, e.g. {@code <f4}
     * @param shape the shape
     * @return the header, whose length plus 10 is a multiple of 64
     */
    static String headerText(String descr, long... shape) {
        String dims = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ")) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        return dict + " ".repeat(padding) + "\n";
    }

    /** Returns a buffer for the whole file with the header written; its position is where the data goes. */
    private static ByteBuffer header(String descr, long[] shape, long dataBytes) {
        byte[] text = headerText(descr, shape).getBytes(StandardCharsets.US_ASCII);
        long total = MAGIC.length + 4L + text.length + dataBytes;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("array of " + dataBytes + " bytes is too large for one .npy file here");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return buf;
    }

    private static void checkShape(Path file, int length, long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(file + ": negative dimension in shape " + Arrays.toString(shape));
            }
            n *= s;
        }
        if (shape.length == 0 || n != length) {
            throw new IllegalArgumentException(file + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " values, the data has " + length);
        }
    }
}
