package io.anglearn.train;

/**
 * Where training stands within one epoch, and its running totals: what a checkpoint taken
 * mid-epoch must keep so that the resumed epoch reports the same loss and accuracy as an
 * uninterrupted one.
 */
public final class EpochProgress {

    private final int epoch;
    private int nextBatch;
    private double lossSum;
    private long correct;
    private long images;
    private double seconds;
    private double modelSeconds;

    /**
     * Creates the progress of an epoch that has not started.
     *
     * @param epoch the epoch, from 1
     */
    public EpochProgress(int epoch) {
        this(epoch, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Restores a saved progress.
     *
     * @param epoch the epoch, from 1
     * @param nextBatch the next batch to train, from 0
     * @param lossSum the sum of the trained batches' losses
     * @param correct training predictions that were right
     * @param images training images seen
     * @param seconds wall time spent training this epoch
     * @param modelSeconds of which in forward, backward and update
     */
    public EpochProgress(int epoch, int nextBatch, double lossSum, long correct, long images, double seconds,
            double modelSeconds) {
        if (epoch < 1 || nextBatch < 0 || images < 0 || correct < 0 || correct > images) {
            throw new IllegalArgumentException("invalid epoch progress: epoch " + epoch + ", batch " + nextBatch
                    + ", " + correct + " correct of " + images);
        }
        this.epoch = epoch;
        this.nextBatch = nextBatch;
        this.lossSum = lossSum;
        this.correct = correct;
        this.images = images;
        this.seconds = seconds;
        this.modelSeconds = modelSeconds;
    }

    void addStep(double loss, long stepCorrect, long stepImages) {
        nextBatch++;
        lossSum += loss;
        correct += stepCorrect;
        images += stepImages;
    }

    void addTime(double wall, double model) {
        seconds += wall;
        modelSeconds += model;
    }

    /** Returns the epoch, from 1. */
    public int epoch() {
        return epoch;
    }

    /** Returns the next batch to train, from 0 (= the number of batches trained). */
    public int nextBatch() {
        return nextBatch;
    }

    /** Returns the sum of the trained batches' losses. */
    public double lossSum() {
        return lossSum;
    }

    /** Returns how many training predictions were right. */
    public long correct() {
        return correct;
    }

    /** Returns the training images seen. */
    public long images() {
        return images;
    }

    /** Returns the wall time spent in this epoch's training loop, in seconds. */
    public double seconds() {
        return seconds;
    }

    /** Returns the time spent in forward, backward and update, in seconds. */
    public double modelSeconds() {
        return modelSeconds;
    }

    /** Returns the mean loss of the trained batches. */
    public double meanLoss() {
        return nextBatch == 0 ? Double.NaN : lossSum / nextBatch;
    }

    /** Returns the training accuracy so far, in percent. */
    public double accuracy() {
        return images == 0 ? Double.NaN : 100.0 * correct / images;
    }
}
