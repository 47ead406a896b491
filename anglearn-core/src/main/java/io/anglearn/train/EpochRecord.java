package io.anglearn.train;

import io.anglearn.metrics.AngleStatistics;

/**
 * What one epoch measured.
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
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double testTop1Error,
        double testTop5Error, AngleStatistics angles, double learningRate, double seconds, double imagesPerSecond) {}
