package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.TestData;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The real CIFAR-10 files (one .gz per .bin): counts, class histograms, checksums and first pixels. */
class Cifar10IT {

    @Test
    void countsHistogramsChecksumsAndFirstPixels() throws Exception {
        Path dir = TestData.dataset(Cifar10.NAME);
        LoadedDataset d = Datasets.load(DatasetSpec.of("cifar10+"), new DatasetLocator(dir.getParent(), null, null));
        assertEquals(50000, d.train().size());
        assertEquals(10000, d.test().size());
        int[] perClass = new int[10];
        Arrays.fill(perClass, 5000);
        assertArrayEquals(perClass, d.train().classHistogram());
        Arrays.fill(perClass, 1000);
        assertArrayEquals(perClass, d.test().classHistogram());
        assertEquals(6, d.checks().size());
        for (PayloadCheck c : d.checks()) {
            assertTrue(c.verified(), c.origin());
            assertEquals(30730000, c.bytes());
        }
        assertEquals(Augmentation.STANDARD, d.augmentation());
        byte[] img = new byte[3072];
        d.train().copyImage(0, img, 0);
        assertArrayEquals(new byte[] {59, 43, 50}, Arrays.copyOf(img, 3));
        d.test().copyImage(0, img, 0);
        assertArrayEquals(new byte[] {(byte) 158, (byte) 159, (byte) 165}, Arrays.copyOf(img, 3));

        // Normalisation from the training split: the well-known CIFAR-10 channel means.
        Normalization n = Normalization.of(d.train());
        assertEquals(0.4914, n.mean()[0], 1e-3);
        assertEquals(0.4822, n.mean()[1], 1e-3);
        assertEquals(0.4465, n.mean()[2], 1e-3);
    }
}
