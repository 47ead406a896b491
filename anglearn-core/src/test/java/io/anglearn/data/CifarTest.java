package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 and CIFAR-100 binary files written by the test: decoding, labels, and every malformation. */
class CifarTest {

    @TempDir
    Path dir;

    /** Three CIFAR-100 records per split: (coarse, fine) label pairs. */
    private static final int[][] TRAIN100 = {{4, 0}, {19, 99}, {0, 57}};
    private static final int[][] TEST100 = {{7, 12}, {3, 5}};

    private Map<String, Checksum> writeCifar100(Path d, boolean gz) throws Exception {
        Files.createDirectories(d);
        byte[] train = TestFiles.cifarRecords(TRAIN100);
        byte[] test = TestFiles.cifarRecords(TEST100);
        TestFiles.write(d, Cifar100.TRAIN_FILE, train, gz);
        TestFiles.write(d, Cifar100.TEST_FILE, test, gz);
        return Map.of(Cifar100.TRAIN_FILE, Checksum.sha1(TestFiles.sha1(train)),
                Cifar100.TEST_FILE, Checksum.sha1(TestFiles.sha1(test)));
    }

    @Test
    void cifar100ReadsFineLabelsByDefaultAndCoarseOnRequest() throws Exception {
        Map<String, Checksum> sums = writeCifar100(dir, true);
        LoadedDataset fine = Cifar100.load(dir, LabelKind.FINE, sums, 3, 2, true);
        assertEquals(100, fine.train().numClasses());
        assertEquals(0, fine.train().label(0));
        assertEquals(99, fine.train().label(1));
        assertEquals(57, fine.train().label(2));
        assertEquals("worm", fine.train().classNames().get(99));
        assertEquals(12, fine.test().label(0));
        assertTrue(fine.checks().stream().allMatch(PayloadCheck::verified));
        assertEquals("SHA-1", fine.checks().get(0).algorithm());

        LoadedDataset coarse = Cifar100.load(dir, LabelKind.COARSE, sums, 3, 2, true);
        assertEquals(20, coarse.train().numClasses());
        assertEquals(19, coarse.train().label(1));
        assertEquals("vehicles_2", coarse.train().classNames().get(19));
        assertEquals(3, coarse.test().label(1));

        byte[] img = new byte[3072];
        fine.train().copyImage(1, img, 0);
        byte[] records = TestFiles.cifarRecords(TRAIN100);
        assertArrayEquals(Arrays.copyOfRange(records, 3074 + 2, 2 * 3074), img);
        assertEquals(3, fine.train().channels());
        assertEquals(32, fine.train().width());
    }

    @Test
    void cifar100IsReadFromTheOfficialArchiveLayout() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-100-binary/coarse_label_names.txt", "x\n".getBytes());
        entries.put("cifar-100-binary/train.bin", TestFiles.cifarRecords(TRAIN100));
        entries.put("cifar-100-binary/test.bin", TestFiles.cifarRecords(TEST100));
        TestFiles.tarGz(dir.resolve("cifar-100-binary.tar.gz"), entries);
        assertTrue(Cifar100.isComplete(dir));
        LoadedDataset d = Cifar100.load(dir, LabelKind.FINE, Map.of(), -1, -1, true);
        assertEquals(3, d.train().size());
        assertEquals(2, d.test().size());
    }

    @Test
    void cifar100RejectsAFineLabelAbove99AndACoarseLabelAbove19() throws Exception {
        Files.createDirectories(dir);
        TestFiles.write(dir, Cifar100.TEST_FILE, TestFiles.cifarRecords(TEST100), false);
        Path train = TestFiles.write(dir, Cifar100.TRAIN_FILE, TestFiles.cifarRecords(new int[][] {{1, 1}, {2, 100}}), false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Cifar100.load(dir, LabelKind.COARSE, Map.of(), -1, -1, true));
        assertTrue(e.getMessage().startsWith(train.toString())
                && e.getMessage().contains("record 1 has a fine label 100, expected 0..99"), e.getMessage());
        TestFiles.write(dir, Cifar100.TRAIN_FILE, TestFiles.cifarRecords(new int[][] {{20, 1}}), false);
        e = assertThrows(DatasetFormatException.class, () -> Cifar100.load(dir, LabelKind.FINE, Map.of(), -1, -1, true));
        assertTrue(e.getMessage().contains("record 0 has a coarse label 20, expected 0..19"), e.getMessage());
    }

    @Test
    void cifar100RejectsAWrongSizeARecordCountAndAChecksum() throws Exception {
        Map<String, Checksum> sums = writeCifar100(dir, false);
        byte[] train = TestFiles.cifarRecords(TRAIN100);
        Path f = TestFiles.write(dir, Cifar100.TRAIN_FILE, Arrays.copyOf(train, train.length - 1), false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Cifar100.load(dir, LabelKind.FINE, Map.of(), -1, -1, true));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("not a whole number of 3074-byte"
                + " records (<coarse label><fine label><1024 R><1024 G><1024 B>)"), e.getMessage());

        TestFiles.write(dir, Cifar100.TRAIN_FILE, train, false);
        e = assertThrows(DatasetFormatException.class, () -> Cifar100.load(dir, LabelKind.FINE, Map.of(), 3, 5, true));
        assertTrue(e.getMessage().contains("holds 2 records, expected 5"), e.getMessage());

        train[100] ^= 1;
        TestFiles.write(dir, Cifar100.TRAIN_FILE, train, false);
        e = assertThrows(DatasetFormatException.class, () -> Cifar100.load(dir, LabelKind.FINE, sums, 3, 2, true));
        assertTrue(e.getMessage().contains("SHA-1 of the decompressed content") && e.getMessage()
                .contains("expected " + sums.get(Cifar100.TRAIN_FILE).hex()), e.getMessage());
    }

    @Test
    void theOfficialCifar100SizesAreCapped() throws Exception {
        // A train.bin with one record too many is refused by its size before it is decoded.
        Files.createDirectories(dir);
        Path f = dir.resolve(Cifar100.TRAIN_FILE);
        Files.write(f, new byte[0]);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]), 50001L * 3074 - 1);
        }
        TestFiles.write(dir, Cifar100.TEST_FILE, TestFiles.cifarRecords(TEST100), false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Cifar100.load(dir, LabelKind.FINE, true));
        assertTrue(e.getMessage().contains("is 153703074 bytes, more than the 153700000 expected at most"),
                e.getMessage());
    }

    @Test
    void cifar10ReadsRecordsAndRejectsBadLabelsAndCounts() throws Exception {
        int[][] labels = {{0}, {9}, {3}, {3}};
        byte[] rec = TestFiles.cifarRecords(labels);
        for (String f : Cifar10.TRAIN_FILES) {
            TestFiles.write(dir, f, rec, true);
        }
        TestFiles.write(dir, Cifar10.TEST_FILE, rec, false);
        LoadedDataset d = Cifar10.load(dir, Map.of(), 4, true);
        assertEquals(20, d.train().size());
        assertEquals(4, d.test().size());
        assertArrayEquals(new int[] {5, 0, 0, 10, 0, 0, 0, 0, 0, 5}, d.train().classHistogram());
        assertEquals(6, d.checks().size());

        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Cifar10.load(dir, Map.of(), 5, true));
        assertTrue(e.getMessage().contains("holds 4 records, expected 5"), e.getMessage());

        Path bad = TestFiles.write(dir, "data_batch_3.bin", TestFiles.cifarRecords(new int[][] {{0}, {10}, {1}, {1}}),
                true);
        e = assertThrows(DatasetFormatException.class, () -> Cifar10.load(dir, Map.of(), 4, true));
        assertTrue(e.getMessage().startsWith(bad.toString())
                && e.getMessage().contains("record 1 has a label 10, expected 0..9"), e.getMessage());

        Files.delete(bad);
        assertTrue(!Cifar10.isComplete(dir));
        e = assertThrows(DatasetFormatException.class, () -> Cifar10.load(dir, Map.of(), 4, true));
        assertTrue(e.getMessage().contains("missing data_batch_3.bin")
                && e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
    }

    @Test
    void cifar10OfficialFilesMustMatchTheirChecksums() throws Exception {
        byte[] rec = TestFiles.cifarRecords(new int[][] {{1}});
        for (String f : Cifar10.TRAIN_FILES) {
            TestFiles.write(dir, f, rec, false);
        }
        TestFiles.write(dir, Cifar10.TEST_FILE, rec, false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Cifar10.load(dir, Cifar10.CHECKSUMS, 1, true));
        assertTrue(e.getMessage().contains("SHA-256 of the decompressed content")
                && e.getMessage().contains(Cifar10.CHECKSUMS.get("data_batch_1.bin").hex()), e.getMessage());
        // Without verification the files load, and the report says they differ from the published digests.
        LoadedDataset d = Cifar10.load(dir, Cifar10.CHECKSUMS, 1, false);
        assertTrue(d.checks().stream().noneMatch(c -> c.verified() || c.matchesPublished()));
        assertEquals(Cifar10.CHECKSUMS.get(Cifar10.TEST_FILE).hex(), d.checks().get(5).published());
    }
}
