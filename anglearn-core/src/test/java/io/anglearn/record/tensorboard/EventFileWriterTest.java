package io.anglearn.record.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileWriterTest {

    @TempDir
    Path dir;

    @Test
    void maskMatchesTensorFlowsKnownValue() {
        // CRC-32C("123456789") = 0xE3069283 is the standard check value of the Castagnoli polynomial.
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b);
        assertEquals(0xE3069283L, c.getValue());
        long crc = 0xE3069283L;
        long expected = ((((crc >>> 15) | (crc << 17)) & 0xffffffffL) + 0xa282ead8L) & 0xffffffffL;
        assertEquals((int) expected, RecordWriter.maskedCrc32c(b, 0, b.length));
    }

    @Test
    void scalarsAndHistogramsReadBackWithValidCrcs() throws IOException {
        Path file;
        Histogram h = Histogram.of(new double[] {0.1, 0.2, 0.2, 1.5, 3.0}, 0, Math.PI, 4);
        try (EventFileWriter w = new EventFileWriter(dir)) {
            file = w.file();
            w.scalar("train/loss", 7, 1.25);
            w.scalar("test/top1_error", 8, 12.5);
            w.histogram("target_angle/class_3", 9, h);
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."));
        List<EventFileReader.Event> ev = EventFileReader.events(file);
        assertEquals(4, ev.size());
        assertEquals("brain.Event:2", ev.get(0).fileVersion());
        assertNull(ev.get(0).tag());
        double now = System.currentTimeMillis() / 1000.0;
        for (EventFileReader.Event e : ev) {
            assertTrue(Math.abs(now - e.wallTime()) < 600, "wall time " + e.wallTime());
        }
        assertEquals("train/loss", ev.get(1).tag());
        assertEquals(7, ev.get(1).step());
        assertEquals(1.25f, ev.get(1).simpleValue());
        assertEquals("test/top1_error", ev.get(2).tag());
        assertEquals(12.5f, ev.get(2).simpleValue());
        EventFileReader.Event he = ev.get(3);
        assertEquals("target_angle/class_3", he.tag());
        assertEquals(9, he.step());
        assertNull(he.simpleValue());
        assertEquals(0.1, EventFileReader.asDouble(he.histo().get(1).get(0)));
        assertEquals(3.0, EventFileReader.asDouble(he.histo().get(2).get(0)));
        assertEquals(5.0, EventFileReader.asDouble(he.histo().get(3).get(0)));
        assertEquals(5.0, EventFileReader.asDouble(he.histo().get(4).get(0)), 1e-12);
        assertEquals(0.01 + 0.04 + 0.04 + 2.25 + 9.0, EventFileReader.asDouble(he.histo().get(5).get(0)), 1e-12);
        double q = Math.PI / 4;
        assertArrayEquals(new double[] {q, 2 * q, 3 * q, Math.PI}, EventFileReader.packedDoubles(he.histo().get(6).get(0)), 1e-12);
        assertArrayEquals(new double[] {3, 1, 0, 1}, EventFileReader.packedDoubles(he.histo().get(7).get(0)));
    }

    @Test
    void aCorruptedByteIsCaughtByTheReader() throws IOException {
        Path file;
        try (EventFileWriter w = new EventFileWriter(dir)) {
            file = w.file();
            w.scalar("a", 1, 2);
        }
        byte[] b = Files.readAllBytes(file);
        b[b.length - 6] ^= 1; // inside the last record's payload
        Files.write(file, b);
        IOException e = assertThrows(IOException.class, () -> EventFileReader.events(file));
        assertTrue(e.getMessage().contains("data CRC mismatch"), e.getMessage());
    }

    @Test
    void histogramBucketsAreRightClosed() {
        Histogram h = Histogram.of(new double[] {0, 1, 1.0000001, 2}, 0, 2, 2);
        assertArrayEquals(new double[] {2, 2}, h.bucketCounts());
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new double[0], 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Histogram.of(new double[] {Double.NaN}, 0, 1, 1));
    }

    @Test
    void projectorFilesNameEachOther() throws IOException {
        ProjectorFiles.write(dir, "test_features", new float[] {1, 2, 3, 4}, 2, List.of("label", "class"),
                List.of(List.of("0", "T-shirt/top"), List.of("1", "Trou\tser")));
        assertEquals("1.0\t2.0\n3.0\t4.0\n", Files.readString(dir.resolve("test_features.tsv")));
        assertEquals("label\tclass\n0\tT-shirt/top\n1\tTrou ser\n", Files.readString(dir.resolve("test_features_metadata.tsv")));
        String cfg = Files.readString(dir.resolve("projector_config.pbtxt"));
        assertTrue(cfg.contains("tensor_path: \"test_features.tsv\""), cfg);
        assertTrue(cfg.contains("metadata_path: \"test_features_metadata.tsv\""), cfg);
    }
}
