package io.anglearn.train;

import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.EmbeddingQuality;

/**
 * What one epoch measured. Test metrics are NaN for epochs that were not evaluated
 * ({@code --eval-every}).
 *
 * <p>A run whose network does not classify its test classes (a pair loss, or test classes other
 * than the training classes) is evaluated by retrieval instead: its errors, training accuracy,
 * W-Inter and WC-Intra are NaN (not applicable) and {@code quality} holds precision@1,
 * R-precision, MAP@R and the k-means NMI of the test split. Otherwise {@code quality} is null.
 *
 * @param epoch the epoch, counted from 1
 * @param trainLoss mean training loss over the epoch's batches
 * @param trainAccuracy training accuracy in percent (on the batches as they were trained), or NaN
 *     without a classifier head
 * @param testTop1Error test top-1 error in percent
 * @param testTop5Error test top-5 error in percent
 * @param angles angle statistics of the test split
 * @param learningRate the learning rate at the epoch's last step
 * @param seconds wall time of the epoch's training, in seconds
 * @param imagesPerSecond training images per second
 * @param modelSeconds the part of {@code seconds} spent in forward, backward and the update; the
 *     rest is the trainer's overhead (waiting for data, copying batches in, metrics, listeners)
 * @param skippedBatches batches skipped for a non-finite loss or gradient ({@link NonFinitePolicy#SKIP})
 * @param quality the test split's retrieval and clustering metrics when evaluated by retrieval, else null
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double testTop1Error,
        double testTop5Error, AngleStatistics angles, double learningRate, double seconds, double imagesPerSecond,
        double modelSeconds, int skippedBatches, EmbeddingQuality quality) {

    /**
     * A record of an epoch evaluated by classification, or not evaluated.
     *
     * @param epoch the epoch, counted from 1
     * @param trainLoss mean training loss
     * @param trainAccuracy training accuracy in percent
     * @param testTop1Error test top-1 error in percent
     * @param testTop5Error test top-5 error in percent
     * @param angles angle statistics of the test split
     * @param learningRate the learning rate at the epoch's last step
     * @param seconds wall time of the epoch's training
     * @param imagesPerSecond training images per second
     * @param modelSeconds the part spent in forward, backward and the update
     * @param skippedBatches batches skipped for a non-finite loss or gradient
     */
    public EpochRecord(int epoch, double trainLoss, double trainAccuracy, double testTop1Error, double testTop5Error,
            AngleStatistics angles, double learningRate, double seconds, double imagesPerSecond, double modelSeconds,
            int skippedBatches) {
        this(epoch, trainLoss, trainAccuracy, testTop1Error, testTop5Error, angles, learningRate, seconds,
                imagesPerSecond, modelSeconds, skippedBatches, null);
    }

    /** Returns whether the test split was evaluated after this epoch. */
    public boolean evaluated() {
        return !Double.isNaN(testTop1Error) || quality != null;
    }

    /** Returns MAP@R of the test split, or NaN unless evaluated by retrieval. */
    public double mapAtR() {
        return quality == null ? Double.NaN : quality.retrieval().mapAtR();
    }
}
