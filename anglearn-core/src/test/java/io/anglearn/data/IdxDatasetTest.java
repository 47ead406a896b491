package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MNIST-style IDX pairs: any size and class count; pairs that disagree are refused. */
class IdxDatasetTest {

    @TempDir
    Path dir;

    @Test
    void loadsAnyMnistStyleFolder() throws Exception {
        TestFiles.mnistFolder(dir, 30, 12, 9, 4, true);
        LoadedDataset d = Datasets.load(DatasetSpec.of("idx:" + dir), new DatasetLocator(null));
        assertEquals(30, d.train().size());
        assertEquals(12, d.test().size());
        assertEquals(List.of("0", "1", "2", "3"), d.train().classNames());
        assertEquals(9, d.train().height());
        assertArrayEquals(new int[] {8, 8, 7, 7}, d.train().classHistogram());
        assertEquals(4, d.checks().size());
        byte[] first = new byte[81];
        d.train().copyImage(1, first, 0);
        assertArrayEquals(java.util.Arrays.copyOfRange(TestFiles.images(30, 9), 81, 162), first);
    }

    @Test
    void refusesLabelsThatDoNotMatchTheImages() throws Exception {
        TestFiles.mnistFolder(dir, 30, 12, 9, 4, false);
        Path labels = TestFiles.write(dir, IdxDataset.TRAIN_LABELS, TestFiles.idx(new int[] {29},
                TestFiles.labels(29, 4)), false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxDataset.load("x", dir));
        assertTrue(e.getMessage().startsWith(labels.toString()) && e.getMessage().contains("29 labels for 30 images"),
                e.getMessage());
    }

    @Test
    void refusesALabelOutsideTheClasses() throws Exception {
        TestFiles.mnistFolder(dir, 30, 12, 28, 10, false);
        byte[] y = TestFiles.labels(12, 10);
        y[5] = 10;
        Path labels = TestFiles.write(dir, IdxDataset.TEST_LABELS, TestFiles.idx(new int[] {12}, y), false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> IdxDataset.load(FashionMnist.NAME, dir, Map.of(), FashionMnist.CLASSES, 28, false));
        assertTrue(e.getMessage().startsWith(labels.toString())
                && e.getMessage().contains("label 10 at index 5 is outside 0..9"), e.getMessage());
    }

    @Test
    void refusesImagesOfTheWrongSizeForFashionMnist() throws Exception {
        TestFiles.mnistFolder(dir, 30, 12, 9, 10, false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> FashionMnist.load(dir, false));
        assertTrue(e.getMessage().contains("images are 9x9, expected 28x28"), e.getMessage());
    }

    @Test
    void refusesFilesThatAreNotTheOfficialFashionMnist() throws Exception {
        TestFiles.mnistFolder(dir, 30, 12, 28, 10, true);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> FashionMnist.load(dir, true));
        assertTrue(e.getMessage().contains("SHA-256 of the decompressed content is")
                && e.getMessage().contains("not the official one"), e.getMessage());
        assertEquals(30, FashionMnist.load(dir, false).train().size());
    }

    @Test
    void refusesSplitsOfDifferentImageSizes() throws Exception {
        TestFiles.mnistFolder(dir, 30, 12, 9, 4, false);
        TestFiles.write(dir, IdxDataset.TEST_IMAGES, TestFiles.idx(new int[] {12, 8, 8}, TestFiles.images(12, 8)), false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxDataset.load("x", dir));
        assertTrue(e.getMessage().contains("test images are 8x8, expected 9x9"), e.getMessage());
    }

    @Test
    void saysWhatAnIdxFolderMustHold() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Datasets.load(DatasetSpec.of("idx:" + dir.resolve("empty")), new DatasetLocator(null)));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }
}
