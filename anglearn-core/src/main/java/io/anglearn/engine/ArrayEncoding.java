package io.anglearn.engine;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.LayoutType;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Checks bytes in DJL's own array encoding ({@code NDList.encode()} / {@code NDArray.encode()},
 * versions 1 to 3) before DJL decodes them.
 *
 * <p>DJL's decoder trusts every count it reads: a damaged rank or string length allocates
 * gigabytes, a data length beyond the end reads past the buffer, and a file that merely starts
 * like a zip, NumPy or safetensors file is decoded as one. This check walks the encoding with every
 * count bounded by the bytes that remain and accepts only what anglearn writes: dense numeric
 * arrays, at most {@value #MAX_RANK} dimensions, whose data length equals the product of the shape
 * times the element size, with no bytes left over.
 */
public final class ArrayEncoding {

    /** Most dimensions accepted for one array. */
    public static final int MAX_RANK = 32;

    /** The smallest encoded array: magic, version, flags, three short strings, rank, layout, length. */
    private static final int MIN_ARRAY_BYTES = 23;

    private ArrayEncoding() {}

    /**
     * Checks an encoded list of arrays ({@code NDList.encode()}).
     *
     * @param origin the file or source, named in errors
     * @param bytes the whole encoding
     * @throws IOException naming {@code origin} and the first problem
     */
    public static void checkList(String origin, byte[] bytes) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        try {
            int count = bb.getInt();
            if (count < 0 || count > bytes.length / MIN_ARRAY_BYTES) {
                throw error(origin, "declares " + count + " arrays, impossible in " + bytes.length + " bytes");
            }
            for (int i = 0; i < count; i++) {
                array(origin, bb, i);
            }
        } catch (BufferUnderflowException e) {
            throw error(origin, "ends after " + bb.position() + " bytes, inside the array encoding: it is truncated");
        }
        if (bb.hasRemaining()) {
            throw error(origin, bb.remaining() + " unexpected bytes after the last array");
        }
    }

    /**
     * Checks one encoded array ({@code NDArray.encode()}).
     *
     * @param origin the file or source, named in errors
     * @param bytes the whole encoding
     * @throws IOException naming {@code origin} and the first problem
     */
    public static void checkArray(String origin, byte[] bytes) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        try {
            array(origin, bb, 0);
        } catch (BufferUnderflowException e) {
            throw error(origin, "ends after " + bb.position() + " bytes, inside the array encoding: it is truncated");
        }
        if (bb.hasRemaining()) {
            throw error(origin, bb.remaining() + " unexpected bytes after the array");
        }
    }

    private static void array(String origin, ByteBuffer bb, int index) throws IOException {
        String where = "array " + index + ": ";
        if (!"NDAR".equals(shortString(origin, bb, where))) {
            throw error(origin, where + "no NDAR magic at byte " + bb.position() + ": not DJL's array encoding");
        }
        int version = bb.getInt();
        if (version < 1 || version > 3) {
            throw error(origin, where + "encoding version " + version + ", expected 1 to 3");
        }
        if (version > 1) {
            byte named = bb.get();
            if (named != 0 && named != 1) {
                throw error(origin, where + "name flag " + named + ", expected 0 or 1");
            }
            if (named == 1) {
                shortString(origin, bb, where);
            }
        }
        String sparse = shortString(origin, bb, where);
        if (!"DENSE".equals(sparse)) {
            throw error(origin, where + "storage '" + sparse + "', expected DENSE");
        }
        String typeName = shortString(origin, bb, where);
        DataType type;
        try {
            type = DataType.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            throw error(origin, where + "unknown data type '" + typeName + "'");
        }
        if (type == DataType.STRING || type == DataType.UNKNOWN || type.getNumOfBytes() <= 0) {
            throw error(origin, where + "data type " + typeName + ", expected a numeric type");
        }
        int rank = bb.getInt();
        if (rank < 0 || rank > MAX_RANK) {
            throw error(origin, where + "rank " + rank + ", expected 0 to " + MAX_RANK);
        }
        long elements = 1;
        for (int d = 0; d < rank; d++) {
            long size = bb.getLong();
            if (size < 0 || size > Integer.MAX_VALUE) {
                throw error(origin, where + "dimension " + d + " is " + size + ", expected 0 to " + Integer.MAX_VALUE);
            }
            elements = Math.min(elements * size, (long) Integer.MAX_VALUE + 1);
        }
        int layout = bb.getInt();
        if (layout < 0 || layout > rank) {
            throw error(origin, where + "layout of " + layout + " letters for rank " + rank);
        }
        for (int i = 0; i < layout; i++) {
            char c = bb.getChar();
            try {
                LayoutType.fromValue(c);
            } catch (IllegalArgumentException e) {
                throw error(origin, where + "unknown layout letter '" + c + "'");
            }
        }
        if (version > 2) {
            byte order = bb.get();
            if (order != '<' && order != '>') {
                throw error(origin, where + "byte order mark " + order + ", expected '<' or '>'");
            }
        }
        int length = bb.getInt();
        long expected = elements * type.getNumOfBytes();
        if (length != expected) {
            throw error(origin, where + "holds " + length + " data bytes, but its shape and type need " + expected);
        }
        if (length > bb.remaining()) {
            throw error(origin, where + "needs " + length + " data bytes, only " + bb.remaining()
                    + " remain: it is truncated");
        }
        bb.position(bb.position() + length);
    }

    /**
     * Reads a string as DJL writes it ({@code DataOutputStream.writeUTF}); only ASCII strings shorter
     * than 256 bytes, which DJL's own reader decodes the same way, are accepted.
     */
    private static String shortString(String origin, ByteBuffer bb, String where) throws IOException {
        int length = bb.getShort() & 0xFFFF;
        if (length > 255) {
            throw error(origin, where + "a string of " + length + " bytes at byte " + (bb.position() - 2)
                    + ", expected a short name");
        }
        byte[] b = new byte[length];
        bb.get(b);
        for (byte x : b) {
            if (x <= 0) {
                throw error(origin, where + "a string with a non-ASCII byte at byte " + bb.position());
            }
        }
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static IOException error(String origin, String problem) {
        return new IOException(origin + ": " + problem);
    }
}
