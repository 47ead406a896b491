package io.anglearn.train;

import java.util.List;

/**
 * Receives progress from a {@link Trainer} and a {@code io.anglearn.run.TrainingRun}; every method has an empty
 * default, so a listener implements only what it needs.
 *
 * <p>This is the extension point for everything that watches training without changing it:
 * progress bars, loggers, checkpointing, and analytics such as WC-Intra every N iterations (call
 * {@link Trainer#inference()} from {@link #onStep}) or per-epoch target-angle samples (from the
 * evaluation's features in {@link #onEvaluation}); {@code io.anglearn.record.RunRecorder} does both.
 * A listener must not change the
 * parameters, or a resumed run will no longer match an uninterrupted one. An exception a
 * listener throws stops training at once, as a crash would; the last checkpoint stays valid.
 */
public interface TrainingListener {

    /**
     * Called once a {@code io.anglearn.run.TrainingRun} has loaded its data and built its network, before it trains
     * (also when it resumes), with what it is about to do: where the data came from, the classes,
     * the image counts and shape, the steps, the device and the network's size.
     *
     * @param summary the run's set-up
     */
    default void onRunStart(RunSummary summary) {}

    /**
     * Called once before the first step (also when a run resumes), with the trainer the run uses.
     *
     * @param trainer the trainer; listeners may keep it to evaluate or embed later
     */
    default void onTrainingStart(Trainer trainer) {}

    /**
     * Called when an epoch starts or resumes.
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
     * Called after each training step, after {@link #onBatch}, with the step's details and arrays.
     *
     * @param step the step; its arrays are valid only during this call
     */
    default void onStep(StepContext step) {}

    /**
     * Called when a batch was skipped for a NaN or infinite loss or gradient
     * ({@link NonFinitePolicy#SKIP}); no update was made.
     *
     * @param epoch the epoch, from 1
     * @param batch the batch within the epoch, from 1
     * @param diagnosis what was non-finite and the likely cause
     */
    default void onBatchSkipped(int epoch, int batch, String diagnosis) {}

    /**
     * Called when a {@code io.anglearn.run.TrainingRun} starts evaluating an epoch on the test split (the epoch's
     * training is done).
     *
     * @param epoch the epoch, from 1
     * @param images the test images to evaluate
     */
    default void onEvaluationStart(int epoch, int images) {}

    /**
     * Called after an epoch's evaluation on the test split, before {@link #onEpochEnd}, with the
     * features and scores the evaluation computed, so analytics need no second pass over the
     * test split. Not called in epochs that are not evaluated.
     *
     * @param epoch the epoch, from 1
     * @param test the test split's features, head outputs and labels, in dataset order
     * @param classWeights the class weights W, C×d, at the time of the evaluation; null when the
     *     network does not classify the test classes (no head, or test classes not trained on)
     */
    default void onEvaluation(int epoch, Embeddings test, double[][] classWeights) {}

    /**
     * Called when an epoch has been trained and, if due, evaluated.
     *
     * @param record what it measured
     */
    default void onEpochEnd(EpochRecord record) {}

    /**
     * Called once when the last epoch has ended.
     *
     * @param records every epoch's record, resumed ones included
     */
    default void onTrainingEnd(List<EpochRecord> records) {}

    /**
     * Returns a listener that forwards every call to each of the given listeners in order.
     *
     * @param listeners the listeners
     * @return the combined listener
     */
    static TrainingListener all(TrainingListener... listeners) {
        List<TrainingListener> list = List.of(listeners);
        return new TrainingListener() {
            @Override
            public void onRunStart(RunSummary summary) {
                list.forEach(l -> l.onRunStart(summary));
            }

            @Override
            public void onTrainingStart(Trainer trainer) {
                list.forEach(l -> l.onTrainingStart(trainer));
            }

            @Override
            public void onEpochStart(int epoch, int batches) {
                list.forEach(l -> l.onEpochStart(epoch, batches));
            }

            @Override
            public void onBatch(int epoch, int batch, double loss) {
                list.forEach(l -> l.onBatch(epoch, batch, loss));
            }

            @Override
            public void onStep(StepContext step) {
                list.forEach(l -> l.onStep(step));
            }

            @Override
            public void onBatchSkipped(int epoch, int batch, String diagnosis) {
                list.forEach(l -> l.onBatchSkipped(epoch, batch, diagnosis));
            }

            @Override
            public void onEvaluationStart(int epoch, int images) {
                list.forEach(l -> l.onEvaluationStart(epoch, images));
            }

            @Override
            public void onEvaluation(int epoch, Embeddings test, double[][] classWeights) {
                list.forEach(l -> l.onEvaluation(epoch, test, classWeights));
            }

            @Override
            public void onEpochEnd(EpochRecord record) {
                list.forEach(l -> l.onEpochEnd(record));
            }

            @Override
            public void onTrainingEnd(List<EpochRecord> records) {
                list.forEach(l -> l.onTrainingEnd(records));
            }
        };
    }
}
