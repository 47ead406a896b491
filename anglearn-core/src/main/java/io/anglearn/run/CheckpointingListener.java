package io.anglearn.run;

import io.anglearn.record.RunLog;
import io.anglearn.train.StepContext;
import io.anglearn.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The run's own listener: writes a checkpoint of the {@link RunState} every
 * {@code checkpointEvery} optimiser steps within an epoch (the epoch's end is checkpointed by the
 * epoch loop), and logs each batch skipped for a non-finite value.
 */
final class CheckpointingListener implements TrainingListener {

    private final RunState state;
    private final RunLog log;
    private final int checkpointEvery;

    /**
     * @param state the state to checkpoint
     * @param log the run's log
     * @param checkpointEvery optimiser steps between mid-epoch checkpoints; 0 for none
     */
    CheckpointingListener(RunState state, RunLog log, int checkpointEvery) {
        this.state = state;
        this.log = log;
        this.checkpointEvery = checkpointEvery;
    }

    @Override
    public void onBatchSkipped(int epoch, int batch, String diagnosis) {
        try {
            log.log(diagnosis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onStep(StepContext step) {
        if (checkpointEvery > 0 && step.step() % checkpointEvery == 0 && step.batch() < step.batchesPerEpoch()) {
            try {
                state.save();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write checkpoint at step " + step.step(), e);
            }
        }
    }
}
