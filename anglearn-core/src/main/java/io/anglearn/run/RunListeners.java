package io.anglearn.run;

import io.anglearn.record.RunRecorder;
import io.anglearn.train.TrainingListener;

/**
 * The listeners of one run, in the order each event reaches them:
 * <ol>
 *   <li>the caller's listener (progress output);
 *   <li>the {@link RunRecorder}, when the run records: a step's angle row must be on disk before
 *       a checkpoint says the step is done, or a kill in between loses the row for good;
 *   <li>the {@link CheckpointingListener}, last.
 * </ol>
 *
 * @param caller the caller's listener
 * @param recorder the recorder, or null when the run records nothing
 * @param checkpointing the run's checkpointing
 */
record RunListeners(TrainingListener caller, RunRecorder recorder, CheckpointingListener checkpointing) {

    /** Returns one listener that passes each event to the three in their order. */
    TrainingListener inOrder() {
        return recorder == null ? TrainingListener.all(caller, checkpointing)
                : TrainingListener.all(caller, recorder, checkpointing);
    }
}
