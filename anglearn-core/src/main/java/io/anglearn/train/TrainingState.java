package io.anglearn.train;

import java.util.List;

/**
 * The position and history of a run that a checkpoint saves beside its arrays, as JSON: where
 * training stands (step, epoch, batch within the epoch and the epoch's running totals), every
 * finished epoch's record, and which checkpoint is the best so far.
 *
 * <p>No random-generator state is needed: every random choice is a function of the seed and the
 * position (see {@link Trainer}).
 *
 * <p>The epoch's position and totals are the components of an {@link EpochProgress}, kept flat
 * because they are the fields of the checkpoint's {@code state.json}, which older checkpoints
 * wrote so. Build a state from a running epoch with {@link #of} and get the epoch back with
 * {@link #progress()}.
 *
 * @param step optimiser steps taken
 * @param epoch the epoch in progress (or next to start), from 1
 * @param nextBatch the next batch of that epoch, from 0
 * @param lossSum the epoch's summed batch losses so far
 * @param correct the epoch's right training predictions so far
 * @param images the epoch's training images so far
 * @param seconds the epoch's training wall time so far
 * @param modelSeconds of which forward, backward and update
 * @param records the finished epochs
 * @param bestStep the step of the checkpoint with the lowest test top-1 error so far, or -1
 * @param bestTop1Error that error, or NaN
 * @param parameterNames the network's parameter names, in the order of the saved arrays
 * @param skippedBatches the epoch's batches skipped so far for a non-finite loss or gradient (0 in
 *     checkpoints written before this field existed)
 * @param configSha256 the SHA-256 of the run's {@code config.json} when the checkpoint was written,
 *     so that resuming refuses a configuration changed since (null in older checkpoints)
 */
public record TrainingState(long step, int epoch, int nextBatch, double lossSum, long correct, long images,
        double seconds, double modelSeconds, List<EpochRecord> records, long bestStep, double bestTop1Error,
        List<String> parameterNames, int skippedBatches, String configSha256) {

    /** Copies the lists. */
    public TrainingState {
        records = List.copyOf(records);
        parameterNames = List.copyOf(parameterNames);
    }

    /**
     * Returns the state of a run at a running epoch's position.
     *
     * @param step optimiser steps taken
     * @param progress the epoch in progress (or next to start) and its running totals
     * @param records the finished epochs
     * @param bestStep the step of the checkpoint with the lowest test top-1 error so far, or -1
     * @param bestTop1Error that error, or NaN
     * @param parameterNames the network's parameter names, in the order of the saved arrays
     * @param configSha256 the SHA-256 of the run's {@code config.json}
     * @return the state
     */
    public static TrainingState of(long step, EpochProgress progress, List<EpochRecord> records, long bestStep,
            double bestTop1Error, List<String> parameterNames, String configSha256) {
        EpochProgress p = progress;
        return new TrainingState(step, p.epoch(), p.nextBatch(), p.lossSum(), p.correct(), p.images(), p.seconds(),
                p.modelSeconds(), records, bestStep, bestTop1Error, parameterNames, p.skippedBatches(), configSha256);
    }

    /** Returns the epoch progress this state describes. */
    public EpochProgress progress() {
        return new EpochProgress(epoch, nextBatch, lossSum, correct, images, seconds, modelSeconds, skippedBatches);
    }
}
