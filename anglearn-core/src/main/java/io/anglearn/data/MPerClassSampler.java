package io.anglearn.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A class-balanced order of training images ({@code --sampler m-per-class:M}): every batch holds
 * m images of each of P = B/m classes, so that every sample of a batch has positives and the pair
 * losses and their miners have pairs to work with (the "PK" batches of Hermans, Beyer and Leibe,
 * "In Defense of the Triplet Loss for Person Re-Identification", 2017; pytorch-metric-learning's
 * {@code MPerClassSampler}).
 *
 * <p>An epoch has {@code max(1, ⌊N/B⌋)} full batches, about as many images as a shuffled pass.
 * For each batch, P distinct classes are drawn uniformly among the classes that have images; from
 * each, m images are taken from the class's own shuffled queue, which is reshuffled when it runs
 * out, so within an epoch every image of a class is used once before any is used twice. A class
 * with fewer than m images repeats images within a batch. Each batch lists its classes' images
 * class by class.
 *
 * <p>All draws come from one generator seeded by the seed and the epoch alone, so the same seed
 * and epoch give the same batches, whatever the threads, and a run resumed at batch b of an
 * epoch continues with the batches an uninterrupted run would have trained.
 */
public final class MPerClassSampler {

    /** The forms of {@code --sampler}, as error messages list them. */
    public static final List<String> FORMS = List.of("shuffle", "m-per-class:M");

    private static final String PREFIX = "m-per-class:";

    private final int m;
    private final int batchSize;
    private final long seed;
    private final int[][] byClass;
    private final int batches;

    private MPerClassSampler(Builder b, int[][] byClass) {
        m = b.m;
        batchSize = b.batchSize;
        seed = b.seed;
        this.byClass = byClass;
        batches = Math.max(1, b.data.size() / b.batchSize);
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the value of {@code --sampler}: {@code shuffle} or {@code m-per-class:M}.
     *
     * @param value the option's value
     * @return M, or 0 for {@code shuffle}
     * @throws IllegalArgumentException for any other value, naming {@code --sampler}
     */
    public static int parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("shuffle")) {
            return 0;
        }
        if (v.startsWith(PREFIX)) {
            String number = v.substring(PREFIX.length()).trim();
            int parsed;
            try {
                parsed = Integer.parseInt(number);
            } catch (NumberFormatException e) {
                parsed = 0;
            }
            if (parsed < 1) {
                throw new IllegalArgumentException("--sampler " + value + ": M must be a whole number >= 1, got '"
                        + number + "'");
            }
            return parsed;
        }
        throw new IllegalArgumentException("unknown --sampler '" + value + "': expected one of: "
                + String.join(", ", FORMS));
    }

    /** Returns m, the images per class in a batch. */
    public int m() {
        return m;
    }

    /** Returns P = B/m, the classes in a batch. */
    public int classesPerBatch() {
        return batchSize / m;
    }

    /** Returns the number of batches in an epoch. */
    public int batchesPerEpoch() {
        return batches;
    }

    /**
     * Returns an epoch's images in batch order: {@link #batchesPerEpoch()} batches of B indices,
     * one after the other. Indices repeat when classes are small or the epoch outlasts a class.
     *
     * @param epoch the epoch number (0-based)
     * @return {@code batchesPerEpoch()·B} image indices
     */
    public int[] order(int epoch) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + epoch);
        int classes = byClass.length;
        int[][] queues = new int[classes][];
        int[] next = new int[classes];
        for (int c = 0; c < classes; c++) {
            queues[c] = byClass[c].clone();
            shuffle(queues[c], r);
        }
        int[] pick = new int[classes];
        for (int c = 0; c < classes; c++) {
            pick[c] = c;
        }
        int p = classesPerBatch();
        int[] out = new int[batches * batchSize];
        int at = 0;
        for (int b = 0; b < batches; b++) {
            // A partial Fisher–Yates shuffle: pick[0..p) is a uniform draw of p distinct classes.
            for (int i = 0; i < p; i++) {
                int j = i + r.nextInt(classes - i);
                int t = pick[i];
                pick[i] = pick[j];
                pick[j] = t;
            }
            for (int i = 0; i < p; i++) {
                int c = pick[i];
                for (int k = 0; k < m; k++) {
                    if (next[c] == queues[c].length) {
                        shuffle(queues[c], r);
                        next[c] = 0;
                    }
                    out[at++] = queues[c][next[c]++];
                }
            }
        }
        return out;
    }

    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Builds an {@link MPerClassSampler}; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private ImageDataset data;
        private int m;
        private int batchSize;
        private long seed;

        private Builder() {}

        /**
         * Sets the images to sample (required).
         *
         * @param data the training split
         * @return this builder
         */
        public Builder setData(ImageDataset data) {
            this.data = data;
            return this;
        }

        /**
         * Sets m, the images of each class in a batch (required).
         *
         * @param m at least 1, dividing the batch size
         * @return this builder
         */
        public Builder setM(int m) {
            this.m = m;
            return this;
        }

        /**
         * Sets the batch size B (required).
         *
         * @param batchSize a multiple of m, with B/m no more than the classes that have images
         * @return this builder
         */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the seed of the draws (default 0).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the sampler
         * @throws IllegalArgumentException if a batch cannot be filled as asked, naming the options
         */
        public MPerClassSampler build() {
            if (data == null) {
                throw new IllegalArgumentException("MPerClassSampler needs setData");
            }
            if (m < 1) {
                throw new IllegalArgumentException("--sampler m-per-class:M needs M >= 1, got " + m);
            }
            if (batchSize < 1 || batchSize % m != 0) {
                throw new IllegalArgumentException("--sampler m-per-class:" + m + " needs a --batch-size that is a"
                        + " multiple of " + m + ", got " + batchSize);
            }
            List<List<Integer>> lists = new ArrayList<>();
            for (int c = 0; c < data.numClasses(); c++) {
                lists.add(new ArrayList<>());
            }
            for (int i = 0; i < data.size(); i++) {
                lists.get(data.label(i)).add(i);
            }
            List<int[]> present = new ArrayList<>();
            for (List<Integer> l : lists) {
                if (!l.isEmpty()) {
                    present.add(l.stream().mapToInt(Integer::intValue).toArray());
                }
            }
            if (present.isEmpty()) {
                throw new IllegalArgumentException(data.name() + " has no images to sample");
            }
            int p = batchSize / m;
            if (p > present.size()) {
                throw new IllegalArgumentException("--sampler m-per-class:" + m + " with --batch-size " + batchSize
                        + " needs " + p + " classes in every batch, but " + data.name() + " has images of "
                        + present.size() + "; use m-per-class:" + smallestFitting(batchSize, present.size())
                        + " or a smaller batch");
            }
            return new MPerClassSampler(this, present.toArray(new int[0][]));
        }

        /** The smallest M dividing the batch size whose batches need no more than the classes there are. */
        private static int smallestFitting(int batchSize, int classes) {
            int m = (batchSize + classes - 1) / classes;
            while (batchSize % m != 0) {
                m++;
            }
            return m;
        }
    }
}
