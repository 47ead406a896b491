package io.anglearn.train;

import io.anglearn.metrics.AngleStatistics;

/**
 * What one epoch measured. Test metrics are NaN for epochs that were not evaluated
 * ({@code --eval-every}).
 *
 * @param epoch the epoch, counted from 1
 * @param trainLoss mean training loss over the epoch's batches
 * @param trainAccuracy training accuracy in percent (on the batches as they were trained)
 * @param testTop1Error test top-1 error in percent
 * @param testTop5Error test top-5 error in percent
 * @param angles angle statistics of the test split
 * @param learningRate the learning rate at the epoch's last step
 * @param seconds wall time of the epoch's training, in seconds
 * @param imagesPerSecond training images per second
 * @param modelSeconds the part of {@code seconds} spent in forward, backward and the update; the
 *     rest is the trainer's overhead (waiting for data, copying batches in, metrics, listeners)
 * @param skippedBatches batches skipped for a non-finite loss or gradient ({@link NonFinitePolicy#SKIP})
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double testTop1Error,
        double testTop5Error, AngleStatistics angles, double learningRate, double seconds, double imagesPerSecond,
        double modelSeconds, int skippedBatches) {

    /** Returns whether the test split was evaluated after this epoch. */
    public boolean evaluated() {
        return !Double.isNaN(testTop1Error);
    }
}
