package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.TestData;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The real Fashion-MNIST files: counts, class histograms and the published checksums. */
class FashionMnistIT {

    @Test
    void countsHistogramsAndChecksums() throws Exception {
        Path root = TestData.dataset(FashionMnist.NAME).getParent();
        LoadedDataset d = Datasets.load(DatasetSpec.of("fashion-mnist"), new DatasetLocator(root, null, null));
        assertEquals(60000, d.train().size());
        assertEquals(10000, d.test().size());
        int[] perClass = new int[10];
        Arrays.fill(perClass, 6000);
        assertArrayEquals(perClass, d.train().classHistogram());
        Arrays.fill(perClass, 1000);
        assertArrayEquals(perClass, d.test().classHistogram());
        assertEquals(4, d.checks().size());
        for (PayloadCheck c : d.checks()) {
            assertTrue(c.verified(), c.origin());
            assertEquals("SHA-256", c.algorithm());
        }
        assertEquals(47040016, d.checks().get(0).bytes());
        assertEquals(FashionMnist.CHECKSUMS.get(IdxDataset.TRAIN_IMAGES).hex(), d.checks().get(0).digest());
        assertEquals(1, d.train().channels());
        assertEquals(28, d.train().height());
    }
}
