package io.anglearn.record.tensorboard;

import com.google.protobuf.CodedOutputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a TensorBoard event file, {@code events.out.tfevents.<seconds>.<host>}, in a log
 * directory: TFRecords ({@link RecordWriter}) holding protobuf {@code Event} messages, the first
 * carrying {@code file_version = "brain.Event:2"}, the rest a {@code Summary} with one scalar
 * ({@code simple_value}) or histogram ({@code HistogramProto}) value.
 *
 * <p>Messages are encoded field by field with protobuf's {@link CodedOutputStream}, using the
 * field numbers of TensorFlow's {@code event.proto} and {@code summary.proto}:
 * Event {wall_time = 1 double, step = 2 int64, file_version = 3 string, summary = 5},
 * Summary {value = 1 repeated}, Summary.Value {tag = 1, simple_value = 2 float, histo = 5},
 * HistogramProto {min = 1, max = 2, num = 3, sum = 4, sum_squares = 5, bucket_limit = 6 packed,
 * bucket = 7 packed}.
 *
 * <p>Event files are append-only logs, as TensorBoard expects: each event is flushed when
 * written, so a crash loses at most the event being written, and TensorBoard ignores a
 * truncated last record.
 */
public final class EventFileWriter implements Closeable {

    /** The file version string TensorBoard requires in the first event. */
    public static final String FILE_VERSION = "brain.Event:2";

    private final Path file;
    private final OutputStream stream;
    private final RecordWriter records;

    /**
     * Creates the log directory if needed and a new event file in it.
     *
     * @param logDir the TensorBoard log directory
     * @throws IOException if the file cannot be created
     */
    public EventFileWriter(Path logDir) throws IOException {
        Files.createDirectories(logDir);
        long seconds = System.currentTimeMillis() / 1000;
        String base = "events.out.tfevents." + seconds + "." + hostName();
        Path f = logDir.resolve(base);
        for (int i = 1; Files.exists(f); i++) {
            f = logDir.resolve(base + "." + i); // two writers in the same second
        }
        file = f;
        stream = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW));
        records = new RecordWriter(stream);
        writeEvent(0, out -> out.writeString(3, FILE_VERSION));
    }

    /** Returns the event file's path. */
    public Path file() {
        return file;
    }

    /**
     * Writes a scalar.
     *
     * @param tag its name, e.g. {@code test/top1_error}
     * @param step the global step (x axis)
     * @param value the value
     * @throws IOException if writing fails
     */
    public void scalar(String tag, long step, double value) throws IOException {
        byte[] value1 = message(v -> {
            v.writeString(1, tag);
            v.writeFloat(2, (float) value);
        });
        writeSummary(step, value1);
    }

    /**
     * Writes a histogram.
     *
     * @param tag its name
     * @param step the global step
     * @param h the histogram
     * @throws IOException if writing fails
     */
    public void histogram(String tag, long step, Histogram h) throws IOException {
        byte[] histo = message(p -> {
            p.writeDouble(1, h.min());
            p.writeDouble(2, h.max());
            p.writeDouble(3, h.num());
            p.writeDouble(4, h.sum());
            p.writeDouble(5, h.sumSquares());
            writePackedDoubles(p, 6, h.bucketLimits());
            writePackedDoubles(p, 7, h.bucketCounts());
        });
        byte[] value1 = message(v -> {
            v.writeString(1, tag);
            v.writeByteArray(5, histo);
        });
        writeSummary(step, value1);
    }

    private void writeSummary(long step, byte[] value) throws IOException {
        byte[] summary = message(s -> s.writeByteArray(1, value));
        writeEvent(step, e -> e.writeByteArray(5, summary));
    }

    private void writeEvent(long step, Fields body) throws IOException {
        double wallTime = System.currentTimeMillis() / 1000.0;
        records.write(message(e -> {
            e.writeDouble(1, wallTime);
            e.writeInt64(2, step);
            body.write(e);
        }));
        stream.flush();
    }

    private static void writePackedDoubles(CodedOutputStream out, int field, double[] values) throws IOException {
        out.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(values.length * 8);
        for (double v : values) {
            out.writeDoubleNoTag(v);
        }
    }

    /** Writes the fields of one message. */
    @FunctionalInterface
    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static String hostName() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            h = "localhost";
        }
        return h.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
