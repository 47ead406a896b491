package io.anglearn.record.tensorboard;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * An event-file reader for tests, written apart from the writer: it splits TFRecords, checks
 * both masked CRC-32Cs of every record, and decodes protobuf messages generically into
 * field number → raw values, rejecting any wire type the schema does not allow.
 */
public final class EventFileReader {

    private EventFileReader() {}

    /** TensorFlow's masking of a CRC, re-derived here: rotate right by 15, add the constant. */
    public static int mask(long crc) {
        long rotated = ((crc >>> 15) | (crc << 17)) & 0xffffffffL;
        return (int) ((rotated + 0xa282ead8L) & 0xffffffffL);
    }

    public static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return mask(c.getValue());
    }

    /** Splits a file into record payloads, failing on any CRC mismatch or trailing garbage. */
    public static List<byte[]> records(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (buf.hasRemaining()) {
            if (buf.remaining() < 12) {
                throw new IOException("truncated record header at byte " + buf.position());
            }
            int start = buf.position();
            long len = buf.getLong();
            int lenCrc = buf.getInt();
            if (lenCrc != crc(all, start, 8)) {
                throw new IOException("length CRC mismatch at byte " + start);
            }
            if (len < 0 || len > buf.remaining() - 4) {
                throw new IOException("record length " + len + " overruns the file at byte " + start);
            }
            byte[] data = new byte[(int) len];
            buf.get(data);
            int dataCrc = buf.getInt();
            if (dataCrc != crc(data, 0, data.length)) {
                throw new IOException("data CRC mismatch in record at byte " + start);
            }
            out.add(data);
        }
        return out;
    }

    /** Decodes a message into field number → list of values (Long for varint, Long bits for fixed64, Integer bits for fixed32, byte[] for length-delimited). */
    public static Map<Integer, List<Object>> fields(byte[] message) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(message);
        Map<Integer, List<Object>> out = new LinkedHashMap<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            Object v = switch (WireFormat.getTagWireType(tag)) {
                case WireFormat.WIRETYPE_VARINT -> in.readInt64();
                case WireFormat.WIRETYPE_FIXED64 -> in.readFixed64();
                case WireFormat.WIRETYPE_FIXED32 -> in.readFixed32();
                case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.readByteArray();
                default -> throw new IOException("unexpected wire type in tag " + tag);
            };
            out.computeIfAbsent(field, k -> new ArrayList<>()).add(v);
        }
        return out;
    }

    public static double asDouble(Object fixed64) {
        return Double.longBitsToDouble((Long) fixed64);
    }

    public static float asFloat(Object fixed32) {
        return Float.intBitsToFloat((Integer) fixed32);
    }

    public static double[] packedDoubles(Object bytes) {
        ByteBuffer b = ByteBuffer.wrap((byte[]) bytes).order(ByteOrder.LITTLE_ENDIAN);
        double[] d = new double[b.remaining() / 8];
        for (int i = 0; i < d.length; i++) {
            d[i] = b.getDouble();
        }
        return d;
    }

    /** One decoded event: wall time, step, and either a file version or one summary value. */
    public record Event(double wallTime, long step, String fileVersion, String tag, Float simpleValue, Map<Integer, List<Object>> histo) {}

    /** Decodes every event of a file, checking that only known fields appear. */
    public static List<Event> events(Path file) throws IOException {
        List<Event> out = new ArrayList<>();
        for (byte[] r : records(file)) {
            Map<Integer, List<Object>> e = fields(r);
            onlyFields(e, 1, 2, 3, 5);
            double wall = asDouble(e.get(1).get(0));
            long step = e.containsKey(2) ? (Long) e.get(2).get(0) : 0;
            String version = e.containsKey(3) ? new String((byte[]) e.get(3).get(0), java.nio.charset.StandardCharsets.UTF_8) : null;
            String tag = null;
            Float simple = null;
            Map<Integer, List<Object>> histo = null;
            if (e.containsKey(5)) {
                Map<Integer, List<Object>> summary = fields((byte[]) e.get(5).get(0));
                onlyFields(summary, 1);
                if (summary.get(1).size() != 1) {
                    throw new IOException("expected one value per summary");
                }
                Map<Integer, List<Object>> value = fields((byte[]) summary.get(1).get(0));
                onlyFields(value, 1, 2, 5);
                tag = new String((byte[]) value.get(1).get(0), java.nio.charset.StandardCharsets.UTF_8);
                if (value.containsKey(2)) {
                    simple = asFloat(value.get(2).get(0));
                }
                if (value.containsKey(5)) {
                    histo = fields((byte[]) value.get(5).get(0));
                    onlyFields(histo, 1, 2, 3, 4, 5, 6, 7);
                }
            }
            out.add(new Event(wall, step, version, tag, simple, histo));
        }
        return out;
    }

    private static void onlyFields(Map<Integer, List<Object>> m, int... allowed) throws IOException {
        for (int f : m.keySet()) {
            boolean ok = false;
            for (int a : allowed) {
                ok |= a == f;
            }
            if (!ok) {
                throw new IOException("unexpected field " + f);
            }
        }
    }
}
