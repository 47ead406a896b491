package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches: normalised values, a fixed order per seed and epoch, and the same bytes whatever the threads. */
class BatchLoaderTest {

    private static ImageDataset dataset(int n) {
        int img = 3 * 8 * 8;
        byte[] px = new byte[n * img];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 31 + i / img);
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
        }
        return new ImageDataset("toy", px, y, 3, 8, 8, List.of("a", "b", "c"));
    }

    private static List<Batch> all(BatchLoader l, int epoch) {
        List<Batch> out = new ArrayList<>();
        try (BatchLoader.BatchIterator it = l.epoch(epoch, 0)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void normalisesEachChannelWithTheTrainingStatistics() {
        ImageDataset d = dataset(5);
        Normalization n = new Normalization(new double[] {0.1, 0.2, 0.3}, new double[] {0.5, 0.25, 2});
        Batch b = BatchLoader.builder().setData(d).setNormalization(n).optBatchSize(5).build().iterator().next();
        byte[] img = new byte[d.imageSize()];
        d.copyImage(2, img, 0);
        for (int p = 0; p < img.length; p++) {
            int ch = p / 64;
            double expected = ((img[p] & 0xFF) / 255.0 - n.mean()[ch]) / n.std()[ch];
            assertEquals(expected, b.images()[2 * img.length + p], 1e-5);
        }
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, b.labels());
    }

    @Test
    void batchesAreTheSameForAnyNumberOfWorkersAndDifferPerEpoch() {
        ImageDataset d = dataset(103);
        Normalization n = Normalization.of(d);
        List<List<Batch>> runs = new ArrayList<>();
        for (int workers : new int[] {1, 3}) {
            BatchLoader l = BatchLoader.builder().setData(d).setNormalization(n).optBatchSize(10).optShuffle(true)
                    .optSeed(9).optAugmentation(Augmentation.STANDARD).optWorkers(workers).optPrefetch(2).build();
            assertEquals(11, l.batchesPerEpoch());
            runs.add(all(l, 4));
            assertFalse(Arrays.equals(all(l, 4).get(0).images(), all(l, 5).get(0).images()));
        }
        assertEquals(11, runs.get(0).size());
        assertEquals(3, runs.get(0).get(10).size());
        for (int i = 0; i < 11; i++) {
            assertArrayEquals(runs.get(0).get(i).images(), runs.get(1).get(i).images());
            assertArrayEquals(runs.get(0).get(i).labels(), runs.get(1).get(i).labels());
        }
    }

    @Test
    void augmentationChangesTrainingBatchesButNotTheOrder() {
        ImageDataset d = dataset(40);
        Normalization n = Normalization.of(d);
        BatchLoader plain = BatchLoader.builder().setData(d).setNormalization(n).optBatchSize(40).optShuffle(true)
                .optSeed(1).build();
        BatchLoader aug = BatchLoader.builder().setData(d).setNormalization(n).optBatchSize(40).optShuffle(true)
                .optSeed(1).optAugmentation(Augmentation.STANDARD).build();
        Batch a = all(plain, 0).get(0);
        Batch b = all(aug, 0).get(0);
        assertArrayEquals(a.labels(), b.labels());
        assertNotEquals(Arrays.hashCode(a.images()), Arrays.hashCode(b.images()));
        assertArrayEquals(a.images(), aug.assemble(aug.order(0), 0, 40).images(), "assemble/3 never augments");
    }

    @Test
    void anAbandonedEpochLeavesNoThreadBusyAndCloseStopsIt() throws Exception {
        ImageDataset d = dataset(200);
        BatchLoader l = BatchLoader.builder().setData(d).setNormalization(Normalization.of(d)).optBatchSize(2)
                .optPrefetch(3).optWorkers(2).build();
        BatchLoader.BatchIterator it = l.epoch(0, 0);
        it.next();
        it.close();
        assertFalse(it.hasNext());
        // Abandoned without close: at most `prefetch` batches are prepared, then the workers go idle.
        l.epoch(1, 0).next();
        Thread.sleep(200);
        long busy = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("anglearn-batches") && t.getState() == Thread.State.RUNNABLE)
                .count();
        assertEquals(0, busy);
    }

    @Test
    void resumesFromABatchAndValidatesItsSettings() {
        ImageDataset d = dataset(10);
        Normalization n = Normalization.of(d);
        BatchLoader l = BatchLoader.builder().setData(d).setNormalization(n).optBatchSize(4).build();
        List<Batch> rest = new ArrayList<>();
        l.epoch(0, 2).forEachRemaining(rest::add);
        assertEquals(1, rest.size());
        assertEquals(2, rest.get(0).size());
        assertThrows(IllegalArgumentException.class, () -> l.epoch(0, 4));
        assertThrows(IllegalArgumentException.class,
                () -> BatchLoader.builder().setData(d).setNormalization(n).optWorkers(0).build());
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.builder().setData(d)
                .setNormalization(new Normalization(new double[] {0}, new double[] {1})).build());
        assertTrue(l.augmentation().isIdentity());
    }

    @Test
    void aFailureWhilePreparingIsRethrownToTheConsumer() {
        ImageDataset d = dataset(10);
        BatchLoader l = BatchLoader.builder().setData(d).setNormalization(Normalization.of(d)).optBatchSize(4).build();
        int[] badOrder = {0, 1, 99, 3};
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> l.assemble(badOrder, 0, 4, 0));
    }
}
