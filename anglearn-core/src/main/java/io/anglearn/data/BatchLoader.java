package io.anglearn.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Assembles batches from an {@link ImageDataset} on a background thread while the model trains.
 *
 * <p>The order of images is a permutation drawn from {@code seed} and the epoch number alone, so
 * it does not depend on thread timing; at most {@code prefetch} batches wait in memory. Each batch
 * is one float buffer: the trainer turns it into a single NDArray, never one per sample.
 */
public final class BatchLoader implements Iterable<Batch> {

    private final ImageDataset data;
    private final Normalization norm;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final int prefetch;

    private BatchLoader(Builder b) {
        data = b.data;
        norm = b.norm;
        batchSize = b.batchSize;
        shuffle = b.shuffle;
        dropLast = b.dropLast;
        seed = b.seed;
        prefetch = b.prefetch;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the number of batches one pass yields. */
    public int batchesPerEpoch() {
        return dropLast ? data.size() / batchSize : (data.size() + batchSize - 1) / batchSize;
    }

    /** Returns the dataset. */
    public ImageDataset dataset() {
        return data;
    }

    /**
     * Returns the image order of one epoch: a permutation determined by the seed and the epoch.
     *
     * @param epoch the epoch number (0-based)
     * @return the indices, in order
     */
    public int[] order(int epoch) {
        int[] idx = new int[data.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        if (shuffle) {
            Random r = new Random(seed * 1_000_003L + epoch);
            for (int i = idx.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }

    /** Iterates over the first epoch's batches. */
    @Override
    public Iterator<Batch> iterator() {
        return epoch(0, 0);
    }

    /**
     * Iterates over one epoch's batches, starting at batch {@code firstBatch} (for resuming).
     *
     * @param epoch the epoch number, which selects the permutation
     * @param firstBatch the first batch to yield
     * @return the batches; close-free, the producer thread is a daemon that ends with the epoch
     */
    public Iterator<Batch> epoch(int epoch, int firstBatch) {
        int[] order = order(epoch);
        int total = batchesPerEpoch();
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(prefetch);
        Object end = new Object();
        Thread producer = new Thread(() -> {
            try {
                for (int b = firstBatch; b < total; b++) {
                    queue.put(assemble(order, b * batchSize, Math.min(batchSize, order.length - b * batchSize)));
                }
                queue.put(end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                try {
                    queue.put(e);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "anglearn-batches");
        producer.setDaemon(true);
        producer.start();
        return new Iterator<>() {
            private Object next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = queue.take();
                    } catch (InterruptedException e) {
                        producer.interrupt();
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for a batch", e);
                    }
                }
                if (next instanceof RuntimeException ex) {
                    throw ex;
                }
                return next != end;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Batch b = (Batch) next;
                next = null;
                return b;
            }
        };
    }

    /**
     * Builds one batch from {@code order[start .. start+n)}.
     *
     * @param order the image order
     * @param start the first position
     * @param n the number of images
     * @return the batch
     */
    public Batch assemble(int[] order, int start, int n) {
        int c = data.channels();
        int plane = data.height() * data.width();
        int img = data.imageSize();
        float[] out = new float[n * img];
        int[] labels = new int[n];
        byte[] px = data.pixelsUnsafe();
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            scale[ch] = (float) (1.0 / (255.0 * norm.std()[ch]));
            shift[ch] = (float) (norm.mean()[ch] / norm.std()[ch]);
        }
        for (int k = 0; k < n; k++) {
            int i = order[start + k];
            labels[k] = data.label(i);
            int src = i * img;
            int dst = k * img;
            for (int ch = 0; ch < c; ch++) {
                float sc = scale[ch];
                float sh = shift[ch];
                int s = src + ch * plane;
                int d = dst + ch * plane;
                for (int p = 0; p < plane; p++) {
                    out[d + p] = (px[s + p] & 0xFF) * sc - sh;
                }
            }
        }
        return new Batch(out, labels, n, c, data.height(), data.width());
    }

    /** Builds a {@link BatchLoader}; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private ImageDataset data;
        private Normalization norm;
        private int batchSize = 128;
        private boolean shuffle;
        private boolean dropLast;
        private long seed;
        private int prefetch = 4;

        /** Sets the dataset (required). */
        public Builder setData(ImageDataset data) {
            this.data = data;
            return this;
        }

        /** Sets the normalisation (required; compute it from the training split). */
        public Builder setNormalization(Normalization norm) {
            this.norm = norm;
            return this;
        }

        /** Sets the batch size (default 128). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Shuffles every epoch with a permutation drawn from the seed (default off). */
        public Builder optShuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Drops the last incomplete batch (default off). */
        public Builder optDropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Sets the shuffling seed (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Sets how many batches may wait ready in memory (default 4). */
        public Builder optPrefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** Validates and builds. */
        public BatchLoader build() {
            if (data == null || norm == null) {
                throw new IllegalArgumentException("BatchLoader needs setData and setNormalization");
            }
            if (norm.channels() != data.channels()) {
                throw new IllegalArgumentException("normalisation has " + norm.channels()
                        + " channels, dataset " + data.name() + " has " + data.channels());
            }
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
            }
            if (prefetch <= 0) {
                throw new IllegalArgumentException("prefetch must be > 0, got " + prefetch);
            }
            if (dropLast && data.size() < batchSize) {
                throw new IllegalArgumentException("dataset " + data.name() + " has " + data.size()
                        + " images, fewer than one batch of " + batchSize);
            }
            return new BatchLoader(this);
        }
    }
}
