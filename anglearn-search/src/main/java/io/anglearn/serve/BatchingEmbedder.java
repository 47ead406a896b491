package io.anglearn.serve;

import io.anglearn.run.TrainedRun;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Runs images through a trained run's network in shared forward passes: requests from any number
 * of threads are queued, and one worker thread takes whatever is waiting — up to the batch size,
 * waiting at most the batch delay after the first image for more to arrive — and embeds it in one
 * forward pass. Concurrent clients thus share forward passes, and the network (whose native
 * arrays are not meant for concurrent use) is only ever touched by the worker.
 *
 * <p>Whatever one forward pass throws, an {@link Error} included, fails that batch's requests only:
 * the worker goes on with the next batch.
 *
 * <p>Options: the most images per forward pass (default {@value #DEFAULT_MAX_BATCH}) and the
 * longest wait for a batch to fill (default {@value #DEFAULT_MAX_DELAY_MICROS} µs).
 */
public final class BatchingEmbedder implements AutoCloseable {

    /** Default most images per forward pass. */
    public static final int DEFAULT_MAX_BATCH = 32;
    /** Default longest wait for a batch to fill, in microseconds. */
    public static final long DEFAULT_MAX_DELAY_MICROS = 2000;

    /** The network's outputs for one image. */
    public record Output(float[] embedding, float[] scores) {}

    private record Job(byte[] pixels, CompletableFuture<Output> result) {}

    /** The network: input bytes of n images in, embeddings and head scores of all n out. */
    @FunctionalInterface
    interface Network {
        float[][] forward(byte[] pixels, int n);
    }

    private static final Job STOP = new Job(new byte[0], null);

    private final Network network;
    private final int imageBytes;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final IntConsumer onForwardPass;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;

    private BatchingEmbedder(Network network, int imageBytes, int maxBatch, long maxDelayMicros,
            IntConsumer onForwardPass) {
        this.network = network;
        this.imageBytes = imageBytes;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = TimeUnit.MICROSECONDS.toNanos(maxDelayMicros);
        this.onForwardPass = onForwardPass;
        worker = new Thread(this::work, "anglearn-forward");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Starts the worker.
     *
     * @param run the trained run
     * @param maxBatch most images per forward pass, at least 1
     * @param maxDelayMicros longest wait for a batch to fill, in µs, at least 0
     * @param onForwardPass told the batch size of each forward pass (for metrics)
     * @return the embedder; close it to stop the worker
     */
    public static BatchingEmbedder start(TrainedRun run, int maxBatch, long maxDelayMicros, IntConsumer onForwardPass) {
        int[] shape = run.imageShape();
        return start(run::forwardPixels, shape[0] * shape[1] * shape[2], maxBatch, maxDelayMicros, onForwardPass);
    }

    /** Starts the worker on any network (tests give one that fails). */
    static BatchingEmbedder start(Network network, int imageBytes, int maxBatch, long maxDelayMicros,
            IntConsumer onForwardPass) {
        if (maxBatch < 1 || maxBatch > 4096) {
            throw new IllegalArgumentException("--max-batch must be in 1..4096, got " + maxBatch);
        }
        if (maxDelayMicros < 0 || maxDelayMicros > 1_000_000) {
            throw new IllegalArgumentException("--batch-delay-us must be in 0..1000000, got " + maxDelayMicros);
        }
        return new BatchingEmbedder(network, imageBytes, maxBatch, maxDelayMicros, onForwardPass);
    }

    /**
     * Queues one decoded image.
     *
     * @param pixels the image as the run's input bytes (C × H × W)
     * @return completes with its embedding and head scores, or exceptionally if the forward pass failed
     */
    public CompletableFuture<Output> submit(byte[] pixels) {
        if (pixels.length != imageBytes) {
            throw new IllegalArgumentException("an image of " + pixels.length + " bytes; the run's input is " + imageBytes);
        }
        CompletableFuture<Output> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new RejectedExecutionException("the service is shutting down"));
            return f;
        }
        queue.add(new Job(pixels, f));
        return f;
    }

    private void work() {
        List<Job> batch = new ArrayList<>(maxBatch);
        while (true) {
            Job first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                failAll(batch, e);
                return;
            }
            if (first == STOP) {
                return;
            }
            batch.add(first);
            long deadline = System.nanoTime() + maxDelayNanos;
            boolean stop = false;
            while (batch.size() < maxBatch) {
                Job next = queue.poll();
                if (next == null) {
                    long wait = deadline - System.nanoTime();
                    if (wait <= 0) {
                        break;
                    }
                    try {
                        next = queue.poll(wait, TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        failAll(batch, e);
                        return;
                    }
                    if (next == null) {
                        break;
                    }
                }
                if (next == STOP) {
                    stop = true;
                    break;
                }
                batch.add(next);
            }
            runBatch(batch);
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    private void runBatch(List<Job> batch) {
        int n = batch.size();
        try {
            byte[] px = new byte[n * imageBytes];
            for (int i = 0; i < n; i++) {
                System.arraycopy(batch.get(i).pixels(), 0, px, i * imageBytes, imageBytes);
            }
            float[][] out = network.forward(px, n);
            onForwardPass.accept(n);
            int d = out[0].length / n;
            int c = out[1].length / n;
            for (int i = 0; i < n; i++) {
                float[] e = new float[d];
                float[] s = new float[c];
                System.arraycopy(out[0], i * d, e, 0, d);
                System.arraycopy(out[1], i * c, s, 0, c);
                batch.get(i).result().complete(new Output(e, s));
            }
        } catch (Throwable e) {
            // An Error too (OutOfMemoryError in the native pass, a linkage error): this batch's
            // requests are answered with the failure and the worker lives on for the next batch.
            failAll(batch, e);
        }
    }

    private static void failAll(List<Job> batch, Throwable e) {
        for (Job j : batch) {
            // completeExceptionally of an already completed future is a no-op.
            j.result().completeExceptionally(e);
        }
    }

    /** Finishes the images already queued, then stops the worker. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            worker.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Job> left = new ArrayList<>();
        queue.drainTo(left);
        left.remove(STOP);
        failAll(left, new RejectedExecutionException("the service shut down"));
    }
}
