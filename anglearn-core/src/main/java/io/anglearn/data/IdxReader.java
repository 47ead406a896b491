package io.anglearn.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed.
 *
 * <p>Only unsigned-byte payloads are accepted (type code {@code 0x08}), which is what image and
 * label files use. The whole decompressed file is read first under a size cap, then the header's
 * dimensions must account for exactly the bytes that follow it, so nothing is ever allocated
 * from a header count.
 */
public final class IdxReader {

    /** Largest decompressed file accepted (1 GiB): guards against decompression bombs. */
    public static final long MAX_PAYLOAD_BYTES = PayloadReader.DEFAULT_MAX_BYTES;

    private IdxReader() {}

    /**
     * A decoded IDX tensor: its dimensions and its bytes.
     *
     * @param dims the dimensions, outermost first
     * @param data the payload after the header, {@code product(dims)} bytes
     */
    public record IdxArray(int[] dims, byte[] data) {}

    /**
     * Reads an IDX file whose payload must have {@code expectedRank} dimensions.
     *
     * @param file the file; gzip-compressed content (by its magic bytes) is decompressed
     * @param expectedRank 1 for labels, 3 for images
     * @return the dimensions and bytes
     * @throws IOException if the file cannot be read or is malformed; the message names the file
     */
    public static IdxArray read(Path file, int expectedRank) throws IOException {
        return parse(file, PayloadReader.readFile(file, MAX_PAYLOAD_BYTES, null, false).bytes(), expectedRank);
    }

    /**
     * Decodes the bytes of an IDX file.
     *
     * @param file the file the bytes came from, named in errors
     * @param bytes the whole decompressed file
     * @param expectedRank the number of dimensions required
     * @return the dimensions and the payload
     * @throws DatasetFormatException if the header is malformed or does not match the length
     */
    public static IdxArray parse(Path file, byte[] bytes, int expectedRank) throws DatasetFormatException {
        if (bytes.length < 4) {
            throw new DatasetFormatException(file, "file is " + bytes.length
                    + " bytes, shorter than the 4-byte IDX magic number");
        }
        int magic = readInt(bytes, 0);
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != 0x08) {
            throw new DatasetFormatException(file, String.format(
                    "not an unsigned-byte IDX file: magic 0x%08X, expected 0x0000080%d", magic, expectedRank));
        }
        int rank = magic & 0xFF;
        if (rank != expectedRank) {
            throw new DatasetFormatException(file, "IDX file has " + rank + " dimensions, expected "
                    + expectedRank + String.format(" (magic 0x0000080%d)", expectedRank));
        }
        int header = 4 + 4 * rank;
        if (bytes.length < header) {
            throw new DatasetFormatException(file, "header ends after " + bytes.length + " bytes, expected "
                    + header + " for " + rank + " dimensions");
        }
        int[] dims = new int[rank];
        long actual = bytes.length - (long) header;
        long total = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = readInt(bytes, 4 + 4 * i);
            if (dims[i] <= 0) {
                throw new DatasetFormatException(file, "dimension " + (i + 1) + " is " + dims[i] + ", expected > 0");
            }
            // total stays <= actual < 2^31 before each product, so it cannot overflow a long.
            total = total > actual ? total : total * dims[i];
        }
        if (total > actual) {
            throw new DatasetFormatException(file, "header declares dimensions " + Arrays.toString(dims)
                    + ", more data than the " + actual + " bytes after the header: the file is truncated or"
                    + " the header is corrupt");
        }
        if (total < actual) {
            throw new DatasetFormatException(file, "header declares dimensions " + Arrays.toString(dims) + " = "
                    + total + " data bytes, but " + actual + " follow the header: unexpected extra bytes");
        }
        return new IdxArray(dims, Arrays.copyOfRange(bytes, header, bytes.length));
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }
}
