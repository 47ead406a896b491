package io.anglearn.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * One edit of a file's bytes. Positions are taken modulo the length, so any generated edit
 * applies to any file.
 *
 * @param kind what the edit does
 * @param position where, modulo the length (plus one for insertions)
 * @param value the byte, bit, length or 32-bit value the edit uses
 */
public record Mutation(Kind kind, int position, int value) {

    /** The kinds of edit. */
    public enum Kind {
        /** Flips bit {@code value % 8} of one byte. */
        FLIP_BIT,
        /** Sets one byte to {@code value}. */
        SET_BYTE,
        /** Inserts {@code 1 + value % 16} bytes equal to {@code value}. */
        INSERT,
        /** Deletes {@code 1 + value % 64} bytes. */
        DELETE,
        /** Cuts the file at {@code position}. */
        TRUNCATE,
        /** Writes {@code value} as a big-endian 32-bit integer at a 4-byte-aligned offset in the first 64 bytes. */
        HEADER_INT_BE,
        /** Writes {@code value} as a little-endian 32-bit integer at any offset (gzip trailers, NDList lengths). */
        INT_LE,
        /** Writes {@code value} as a big-endian 32-bit integer at any offset (NDList counts and lengths). */
        INT_BE
    }

    /**
     * Applies the edit to a copy of the bytes.
     *
     * @param in the original bytes
     * @return the edited copy
     */
    public byte[] apply(byte[] in) {
        int n = in.length;
        switch (kind) {
            case FLIP_BIT -> {
                if (n == 0) {
                    return in.clone();
                }
                byte[] out = in.clone();
                out[Math.floorMod(position, n)] ^= (byte) (1 << Math.floorMod(value, 8));
                return out;
            }
            case SET_BYTE -> {
                if (n == 0) {
                    return in.clone();
                }
                byte[] out = in.clone();
                out[Math.floorMod(position, n)] = (byte) value;
                return out;
            }
            case INSERT -> {
                int at = Math.floorMod(position, n + 1);
                byte[] extra = new byte[1 + Math.floorMod(value, 16)];
                Arrays.fill(extra, (byte) value);
                ByteArrayOutputStream out = new ByteArrayOutputStream(n + extra.length);
                out.write(in, 0, at);
                out.write(extra, 0, extra.length);
                out.write(in, at, n - at);
                return out.toByteArray();
            }
            case DELETE -> {
                if (n == 0) {
                    return in.clone();
                }
                int at = Math.floorMod(position, n);
                int len = Math.min(n - at, 1 + Math.floorMod(value, 64));
                byte[] out = new byte[n - len];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + len, out, at, n - at - len);
                return out;
            }
            case TRUNCATE -> {
                return Arrays.copyOf(in, Math.floorMod(position, n + 1));
            }
            case HEADER_INT_BE -> {
                int slots = Math.min(16, n / 4);
                return slots == 0 ? in.clone() : putInt(in, 4 * Math.floorMod(position, slots), value, true);
            }
            case INT_LE, INT_BE -> {
                return n < 4 ? in.clone() : putInt(in, Math.floorMod(position, n - 3), value, kind == Kind.INT_BE);
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static byte[] putInt(byte[] in, int at, int v, boolean bigEndian) {
        byte[] out = in.clone();
        for (int i = 0; i < 4; i++) {
            int shift = bigEndian ? 24 - 8 * i : 8 * i;
            out[at + i] = (byte) (v >>> shift);
        }
        return out;
    }

    /**
     * Applies edits in order.
     *
     * @param in the original bytes
     * @param edits the edits
     * @return the edited copy
     */
    public static byte[] applyAll(byte[] in, Iterable<Mutation> edits) {
        byte[] b = in;
        for (Mutation m : edits) {
            b = m.apply(b);
        }
        return b;
    }
}
