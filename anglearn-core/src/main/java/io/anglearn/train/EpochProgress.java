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
    private int skippedBatches;

    /**
     * Creates the progress of an epoch that has not started.
     *
     * @param epoch the epoch, from 1
     */
    public EpochProgress(int epoch) {
        this(epoch, 0, 0, 0, 0, 0, 0, 0);
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
     * @param skippedBatches batches skipped for a non-finite loss or gradient (see {@link NonFinitePolicy#SKIP})
     */
    public EpochProgress(int epoch, int nextBatch, double lossSum, long correct, long images, double seconds,
            double modelSeconds, int skippedBatches) {
        if (epoch < 1 || nextBatch < 0 || images < 0 || correct < 0 || correct > images || skippedBatches < 0
                || skippedBatches > nextBatch) {
            throw new IllegalArgumentException("invalid epoch progress: epoch " + epoch + ", batch " + nextBatch
                    + ", " + correct + " correct of " + images + ", " + skippedBatches + " skipped");
        }
        this.epoch = epoch;
        this.nextBatch = nextBatch;
        this.lossSum = lossSum;
        this.correct = correct;
        this.images = images;
        this.seconds = seconds;
        this.modelSeconds = modelSeconds;
        this.skippedBatches = skippedBatches;
    }

    void addStep(double loss, long stepCorrect, long stepImages) {
        nextBatch++;
        lossSum += loss;
        correct += stepCorrect;
        images += stepImages;
    }

    /** Counts a batch that was skipped: it advances the position but adds nothing to the totals. */
    void addSkipped() {
        nextBatch++;
        skippedBatches++;
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

    /**
     * Returns the batches of this epoch skipped for a non-finite loss or gradient.
     *
     * @return the count, 0 unless {@link NonFinitePolicy#SKIP} is in force
     */
    public int skippedBatches() {
        return skippedBatches;
    }

    /** Returns the mean loss of the trained batches. */
    public double meanLoss() {
        int trained = nextBatch - skippedBatches;
        return trained == 0 ? Double.NaN : lossSum / trained;
    }

    /** Returns the training accuracy so far, in percent. */
    public double accuracy() {
        return images == 0 ? Double.NaN : 100.0 * correct / images;
    }
}
