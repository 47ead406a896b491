package io.anglearn.record.tensorboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Frames byte strings as TFRecords, the container of TensorBoard event files: each record is the
 * data length as a little-endian uint64, the masked CRC-32C of those 8 bytes (uint32 LE), the
 * data, and the masked CRC-32C of the data (uint32 LE). The mask, from TensorFlow's
 * {@code crc32c::Mask}, rotates the CRC right by 15 bits and adds 0xa282ead8, so that a CRC of
 * data that itself contains CRCs stays well distributed.
 */
public final class RecordWriter {

    private static final int MASK_DELTA = 0xa282ead8;

    private final OutputStream out;

    /**
     * Wraps a stream; the caller closes it.
     *
     * @param out where records go
     */
    public RecordWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * Writes one record.
     *
     * @param data the payload
     * @throws IOException if the stream fails
     */
    public void write(byte[] data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(data.length);
        header.putInt(maskedCrc32c(header.array(), 0, 8));
        ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        footer.putInt(maskedCrc32c(data, 0, data.length));
        out.write(header.array());
        out.write(data);
        out.write(footer.array());
    }

    /**
     * The masked CRC-32C of a byte range.
     *
     * @param b the bytes
     * @param off the first byte
     * @param len how many
     * @return ((crc >>> 15) | (crc << 17)) + 0xa282ead8, as an int
     */
    public static int maskedCrc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }
}
