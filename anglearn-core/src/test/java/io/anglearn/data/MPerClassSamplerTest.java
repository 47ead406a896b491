package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The m-per-class sampler: every batch is m images of each of P distinct classes, the order is a
 * function of the seed and the epoch alone, a class's images are all used before any is used
 * twice, and the loader resumed at a batch gives the same batches as an uninterrupted epoch.
 */
class MPerClassSamplerTest {

    /** n images of the given labels; image i's pixels all hold i, so a batch shows which images it holds. */
    private static ImageDataset dataset(int[] labels, int classes) {
        byte[] px = new byte[labels.length * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i / 4);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("c" + c);
        }
        return new ImageDataset("toy", px, labels, 1, 2, 2, names);
    }

    /** 10 classes of sizes 3, 5, 7, ... (class c has 3 + 2c images), interleaved. */
    private static ImageDataset uneven() {
        List<Integer> labels = new ArrayList<>();
        for (int round = 0; round < 21; round++) {
            for (int c = 0; c < 10; c++) {
                if (round < 3 + 2 * c) {
                    labels.add(c);
                }
            }
        }
        return dataset(labels.stream().mapToInt(Integer::intValue).toArray(), 10);
    }

    private static MPerClassSampler sampler(ImageDataset d, int m, int batch, long seed) {
        return MPerClassSampler.builder().setData(d).setM(m).setBatchSize(batch).optSeed(seed).build();
    }

    @Test
    void everyBatchHoldsMImagesOfPDistinctClasses() {
        ImageDataset d = uneven();
        MPerClassSampler s = sampler(d, 4, 24, 7);
        assertEquals(6, s.classesPerBatch());
        assertEquals(d.size() / 24, s.batchesPerEpoch());
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] order = s.order(epoch);
            assertEquals(s.batchesPerEpoch() * 24, order.length);
            for (int b = 0; b < s.batchesPerEpoch(); b++) {
                Set<Integer> classes = new HashSet<>();
                for (int k = 0; k < 6; k++) {
                    int c = d.label(order[b * 24 + k * 4]);
                    assertTrue(classes.add(c), "class " + c + " appears twice in batch " + b);
                    for (int i = 1; i < 4; i++) {
                        assertEquals(c, d.label(order[b * 24 + k * 4 + i]), "batch " + b + " lists class by class");
                    }
                }
            }
        }
    }

    @Test
    void theOrderIsAFunctionOfTheSeedAndTheEpoch() {
        ImageDataset d = uneven();
        assertArrayEquals(sampler(d, 4, 24, 7).order(2), sampler(d, 4, 24, 7).order(2));
        assertFalse(Arrays.equals(sampler(d, 4, 24, 7).order(2), sampler(d, 4, 24, 7).order(3)));
        assertFalse(Arrays.equals(sampler(d, 4, 24, 7).order(2), sampler(d, 4, 24, 8).order(2)));
    }

    @Test
    void aClassUsesEveryImageBeforeRepeatingOne() {
        // Four classes of ten images, batches of two per class: every epoch is a permutation.
        int[] labels = new int[40];
        for (int i = 0; i < 40; i++) {
            labels[i] = i % 4;
        }
        ImageDataset d = dataset(labels, 4);
        MPerClassSampler s = sampler(d, 2, 8, 1);
        for (int epoch = 0; epoch < 4; epoch++) {
            int[] order = s.order(epoch).clone();
            Arrays.sort(order);
            int[] all = new int[40];
            Arrays.setAll(all, i -> i);
            assertArrayEquals(all, order, "epoch " + epoch + " uses each image once");
        }
        // In the uneven set, class 0 (3 images) is drawn far more often than its size: each run of 3 of its
        // draws is a permutation of its images.
        ImageDataset u = uneven();
        int[] order = sampler(u, 3, 30, 5).order(0);
        List<Integer> classZero = new ArrayList<>();
        for (int i : order) {
            if (u.label(i) == 0) {
                classZero.add(i);
            }
        }
        assertTrue(classZero.size() >= 6, "class 0 drawn " + classZero.size() + " times");
        for (int start = 0; start + 3 <= classZero.size(); start += 3) {
            assertEquals(3, new HashSet<>(classZero.subList(start, start + 3)).size(), "draws " + classZero);
        }
    }

    @Test
    void aClassSmallerThanMRepeatsItsImagesInABatch() {
        ImageDataset d = dataset(new int[] {0, 1, 1, 1, 1}, 2);
        int[] order = sampler(d, 4, 8, 3).order(0);
        assertEquals(8, order.length, "one full batch even though the set has 5 images");
        long zeros = Arrays.stream(order).filter(i -> i == 0).count();
        assertEquals(4, zeros, "the one image of class 0 fills its four places");
    }

    @Test
    void batchesThatCannotBeFilledAreRefusedWithTheOptionsNamed() {
        ImageDataset d = uneven();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sampler(d, 4, 30, 1));
        assertTrue(e.getMessage().contains("--sampler m-per-class:4 needs a --batch-size that is a multiple of 4, got 30"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sampler(d, 2, 64, 1));
        assertTrue(e.getMessage().contains("needs 32 classes in every batch, but toy has images of 10; use m-per-class:8 or a smaller batch"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sampler(d, 0, 8, 1));
    }

    @Test
    void theOptionValueIsParsed() {
        assertEquals(0, MPerClassSampler.parse("shuffle"));
        assertEquals(4, MPerClassSampler.parse("m-per-class:4"));
        assertEquals(16, MPerClassSampler.parse(" M-per-class: 16 "));
        for (String bad : new String[] {"m-per-class:0", "m-per-class:x", "m-per-class:", "random", "", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MPerClassSampler.parse(bad));
            assertTrue(e.getMessage().contains("--sampler"), e.getMessage());
        }
    }

    @Test
    void theLoaderResumedMidEpochGivesTheSameBatches() {
        ImageDataset d = uneven();
        Normalization n = Normalization.of(d);
        BatchLoader loader = BatchLoader.builder().setData(d).setNormalization(n).optBatchSize(12).optMPerClass(3)
                .optSeed(9).optWorkers(2).build();
        assertEquals(d.size() / 12, loader.batchesPerEpoch());
        List<Batch> whole = new ArrayList<>();
        try (BatchLoader.BatchIterator it = loader.epoch(1, 0)) {
            it.forEachRemaining(whole::add);
        }
        int[] order = loader.order(1);
        for (int b = 0; b < whole.size(); b++) {
            for (int k = 0; k < 12; k++) {
                assertEquals(d.label(order[b * 12 + k]), whole.get(b).labels()[k]);
            }
        }
        List<Batch> resumed = new ArrayList<>();
        try (BatchLoader.BatchIterator it = loader.epoch(1, 5)) {
            it.forEachRemaining(resumed::add);
        }
        assertEquals(whole.size() - 5, resumed.size());
        for (int b = 0; b < resumed.size(); b++) {
            assertArrayEquals(whole.get(b + 5).images(), resumed.get(b).images(), "batch " + (b + 5));
            assertArrayEquals(whole.get(b + 5).labels(), resumed.get(b).labels());
        }
    }
}
