package io.anglearn.data;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Assembles batches from an {@link ImageDataset} on background threads while the model trains.
 *
 * <p>Each batch is one float buffer in {@code N×C×H×W} order (augmented, then normalised), which
 * the trainer turns into a single NDArray, never one per sample. The image order is a permutation
 * drawn from the seed and the epoch alone, and each sample's augmentation from (seed, epoch,
 * index), so the batches do not depend on the number of workers or their timing. With
 * {@link Builder#optMPerClass} the order is an {@link MPerClassSampler}'s class-balanced one
 * instead, drawn from the seed and the epoch as well.
 *
 * <p>Memory is bounded: at most {@code prefetch} batches are being assembled or waiting. Work is
 * scheduled only as the consumer takes batches, so an epoch abandoned part-way (an exception in
 * the training step, say) leaves no thread blocked; {@link BatchIterator#close()} also cancels
 * the batches already scheduled. Worker threads are daemons and end after a few idle seconds.
 */
public final class BatchLoader implements Iterable<Batch> {

    private static final AtomicInteger POOL_ID = new AtomicInteger();

    private final ImageDataset data;
    private final Normalization norm;
    private final Augmentation augmentation;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final int prefetch;
    private final int workers;
    private final float[][] lut;
    private final MPerClassSampler sampler;
    private ThreadPoolExecutor pool;

    private BatchLoader(Builder b) {
        data = b.data;
        norm = b.norm;
        augmentation = b.augmentation;
        batchSize = b.batchSize;
        shuffle = b.shuffle;
        dropLast = b.dropLast;
        seed = b.seed;
        prefetch = b.prefetch;
        workers = b.workers;
        sampler = b.sampler;
        lut = new float[data.channels()][256];
        for (int ch = 0; ch < lut.length; ch++) {
            double mean = norm.mean()[ch];
            double std = norm.std()[ch];
            for (int v = 0; v < 256; v++) {
                lut[ch][v] = (float) ((v / 255.0 - mean) / std);
            }
        }
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the number of batches one pass yields. */
    public int batchesPerEpoch() {
        if (sampler != null) {
            return sampler.batchesPerEpoch();
        }
        return dropLast ? data.size() / batchSize : (data.size() + batchSize - 1) / batchSize;
    }

    /** Returns the class-balanced sampler, or null when batches follow a permutation. */
    public MPerClassSampler sampler() {
        return sampler;
    }

    /** Returns the dataset. */
    public ImageDataset dataset() {
        return data;
    }

    /** Returns the augmentation applied to every batch. */
    public Augmentation augmentation() {
        return augmentation;
    }

    /**
     * Returns the image order of one epoch: a permutation determined by the seed and the epoch, or
     * with {@link Builder#optMPerClass} the sampler's class-balanced batches, one after the other.
     *
     * @param epoch the epoch number (0-based)
     * @return the indices, in order
     */
    public int[] order(int epoch) {
        if (sampler != null) {
            return sampler.order(epoch);
        }
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
    public BatchIterator iterator() {
        return epoch(0, 0);
    }

    /**
     * Iterates over one epoch's batches, starting at batch {@code firstBatch} (for resuming).
     *
     * @param epoch the epoch number (0-based), which selects the permutation and the augmentation
     * @param firstBatch the first batch to yield
     * @return the batches; close it to cancel the batches being prepared when stopping early
     */
    public BatchIterator epoch(int epoch, int firstBatch) {
        if (firstBatch < 0 || firstBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("first batch must be in 0.." + batchesPerEpoch() + ", got " + firstBatch);
        }
        return new BatchIterator(epoch, firstBatch);
    }

    /**
     * Builds one batch from {@code order[start .. start+n)}, for the given epoch's augmentation.
     *
     * @param order the image order
     * @param start the first position
     * @param n the number of images
     * @param epoch the epoch number (0-based), which seeds the augmentation
     * @return the batch
     */
    public Batch assemble(int[] order, int start, int n, int epoch) {
        return assemble(order, start, n, epoch, !augmentation.isIdentity());
    }

    private Batch assemble(int[] order, int start, int n, int epoch, boolean augment) {
        int c = data.channels();
        int img = data.imageSize();
        float[] out = new float[n * img];
        int[] labels = new int[n];
        byte[] px = data.pixelsUnsafe();
        for (int k = 0; k < n; k++) {
            int i = order[start + k];
            labels[k] = data.label(i);
            int src = i * img;
            int dst = k * img;
            if (augment) {
                augmentation.apply(px, src, c, data.height(), data.width(), lut, out, dst,
                        Augmentation.sampleBits(seed, epoch, i));
                continue;
            }
            int plane = data.height() * data.width();
            for (int ch = 0; ch < c; ch++) {
                float[] map = lut[ch];
                int s = src + ch * plane;
                int d = dst + ch * plane;
                for (int p = 0; p < plane; p++) {
                    out[d + p] = map[px[s + p] & 0xFF];
                }
            }
        }
        return new Batch(out, labels, n, c, data.height(), data.width());
    }

    /**
     * Builds one batch without augmentation from {@code order[start .. start+n)}.
     *
     * @param order the image order
     * @param start the first position
     * @param n the number of images
     * @return the batch
     */
    public Batch assemble(int[] order, int start, int n) {
        return assemble(order, start, n, 0, false);
    }

    private synchronized ThreadPoolExecutor pool() {
        if (pool == null) {
            int id = POOL_ID.incrementAndGet();
            AtomicInteger thread = new AtomicInteger();
            pool = new ThreadPoolExecutor(workers, workers, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "anglearn-batches-" + id + "-" + thread.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            pool.allowCoreThreadTimeOut(true);
        }
        return pool;
    }

    /**
     * One epoch's batches, in order. Up to {@code prefetch} batches are prepared ahead on the
     * worker threads; a failure while preparing a batch is rethrown by {@link #hasNext()}.
     */
    public final class BatchIterator implements Iterator<Batch>, AutoCloseable {
        private final int epoch;
        private final int[] order;
        private final int total;
        private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
        private int nextToSchedule;
        private boolean closed;

        private BatchIterator(int epoch, int firstBatch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.total = batchesPerEpoch();
            this.nextToSchedule = firstBatch;
            fill();
        }

        private void fill() {
            while (!closed && ahead.size() < prefetch && nextToSchedule < total) {
                int b = nextToSchedule++;
                int start = b * batchSize;
                int n = Math.min(batchSize, order.length - start);
                ahead.add(pool().submit(() -> assemble(order, start, n, epoch)));
            }
        }

        @Override
        public boolean hasNext() {
            return !closed && !ahead.isEmpty();
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Future<Batch> f = ahead.poll();
            fill();
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for a batch of " + data.name(), e);
            } catch (ExecutionException e) {
                close();
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("preparing a batch of " + data.name() + " failed", cause);
            } catch (CancellationException e) {
                throw new IllegalStateException("the batches of " + data.name() + " were cancelled", e);
            }
        }

        /** Cancels the batches prepared ahead; the iterator then reports no more batches. */
        @Override
        public void close() {
            closed = true;
            for (Future<Batch> f : ahead) {
                f.cancel(false);
            }
            ahead.clear();
        }
    }

    /** Builds a {@link BatchLoader}; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private ImageDataset data;
        private Normalization norm;
        private Augmentation augmentation = Augmentation.NONE;
        private int batchSize = 128;
        private boolean shuffle;
        private boolean dropLast;
        private long seed;
        private int prefetch = 4;
        private int workers = 1;
        private int mPerClass;
        private MPerClassSampler sampler;

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

        /** Sets the augmentation applied before normalising (default {@link Augmentation#NONE}). */
        public Builder optAugmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
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

        /** Sets the seed of the shuffling and the augmentation (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Sets how many batches may be prepared ahead or wait ready in memory (default 4). */
        public Builder optPrefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** Sets how many threads assemble batches in parallel (default 1). */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * Orders the images in class-balanced batches of m images per class (an
         * {@link MPerClassSampler} on the data, batch size and seed), instead of a permutation;
         * shuffling and dropping the last batch then do not apply, every batch being full
         * (default 0: a permutation).
         *
         * @param m the images per class in a batch, dividing the batch size; 0 for none
         * @return this builder
         */
        public Builder optMPerClass(int m) {
            this.mPerClass = m;
            return this;
        }

        /** Validates and builds. */
        public BatchLoader build() {
            if (data == null || norm == null) {
                throw new IllegalArgumentException("BatchLoader needs setData and setNormalization");
            }
            if (augmentation == null) {
                throw new IllegalArgumentException("augmentation must not be null; use Augmentation.NONE");
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
            if (workers <= 0 || workers > 64) {
                throw new IllegalArgumentException("workers must be in 1..64, got " + workers);
            }
            if (mPerClass < 0) {
                throw new IllegalArgumentException("images per class must be >= 0 (0 = none), got " + mPerClass);
            }
            if (mPerClass > 0) {
                sampler = MPerClassSampler.builder().setData(data).setM(mPerClass).setBatchSize(batchSize)
                        .optSeed(seed).build();
            } else if (dropLast && data.size() < batchSize) {
                throw new IllegalArgumentException("dataset " + data.name() + " has " + data.size()
                        + " images, fewer than one batch of " + batchSize);
            }
            return new BatchLoader(this);
        }
    }
}
