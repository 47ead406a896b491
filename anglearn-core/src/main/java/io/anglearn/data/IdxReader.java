package io.anglearn.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format), raw or gzip-compressed.
 *
 * <p>Only unsigned-byte payloads are accepted (type code {@code 0x08}), which is what image and
 * label files use. The header's counts are checked against {@link #MAX_PAYLOAD_BYTES} before
 * anything is allocated, and the file must end exactly where the header says.
 */
public final class IdxReader {

    /** Largest payload accepted (1 GiB): guards against forged headers and decompression bombs. */
    public static final long MAX_PAYLOAD_BYTES = 1L << 30;

    private IdxReader() {}

    /** A decoded IDX tensor: its dimensions and its bytes. */
    public record IdxArray(int[] dims, byte[] data) {}

    /**
     * Reads an IDX file whose payload must have {@code expectedRank} dimensions.
     *
     * @param file the file; a name ending in {@code .gz} (or a gzip magic) is decompressed
     * @param expectedRank 1 for labels, 3 for images
     * @return the dimensions and bytes
     * @throws IOException if the file cannot be read or is malformed; the message names the file
     */
    public static IdxArray read(Path file, int expectedRank) throws IOException {
        try (InputStream in = open(file);
                DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16))) {
            int magic;
            try {
                magic = data.readInt();
            } catch (EOFException e) {
                throw new DatasetFormatException(file, "file is shorter than the 4-byte IDX magic number");
            }
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != 0x08) {
                throw new DatasetFormatException(file, String.format(
                        "not an unsigned-byte IDX file: magic 0x%08X, expected 0x0000080%d", magic, expectedRank));
            }
            int rank = magic & 0xFF;
            if (rank != expectedRank) {
                throw new DatasetFormatException(file, "IDX file has " + rank + " dimensions, expected "
                        + expectedRank + String.format(" (magic 0x0000080%d)", expectedRank));
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                try {
                    dims[i] = data.readInt();
                } catch (EOFException e) {
                    throw new DatasetFormatException(file, "header ends before dimension " + (i + 1) + " of " + rank);
                }
                if (dims[i] <= 0) {
                    throw new DatasetFormatException(file, "dimension " + (i + 1) + " is " + dims[i] + ", expected > 0");
                }
                total *= dims[i];
                if (total > MAX_PAYLOAD_BYTES) {
                    throw new DatasetFormatException(file, "header declares more than " + MAX_PAYLOAD_BYTES
                            + " bytes of data; refusing to allocate it");
                }
            }
            byte[] payload = new byte[(int) total];
            try {
                data.readFully(payload);
            } catch (EOFException e) {
                throw new DatasetFormatException(file, "truncated: header declares " + total + " data bytes");
            }
            if (data.read() != -1) {
                throw new DatasetFormatException(file, "has bytes after the " + total + " declared by its header");
            }
            return new IdxArray(dims, payload);
        } catch (ZipException e) {
            throw new DatasetFormatException(file, "corrupt gzip stream (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new DatasetFormatException(file, "gzip stream ends early", e);
        }
    }

    static InputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(file, "is not a readable file");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GZIPInputStream(raw, 1 << 16);
        }
        return raw;
    }
}
