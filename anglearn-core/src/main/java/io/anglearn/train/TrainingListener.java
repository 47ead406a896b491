package io.anglearn.train;

/** Receives progress from a {@link Trainer}; every method has an empty default. */
public interface TrainingListener {

    /**
     * Called when an epoch starts.
     *
     * @param epoch the epoch, from 1
     * @param batches the number of training batches in it
     */
    default void onEpochStart(int epoch, int batches) {}

    /**
     * Called after each training step.
     *
     * @param epoch the epoch, from 1
     * @param batch the batch just trained, from 1
     * @param loss its loss
     */
    default void onBatch(int epoch, int batch, double loss) {}

    /**
     * Called when an epoch has been trained and evaluated.
     *
     * @param record what it measured
     */
    default void onEpochEnd(EpochRecord record) {}
}
