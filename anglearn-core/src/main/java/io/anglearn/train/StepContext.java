package io.anglearn.train;

import ai.djl.ndarray.NDArray;

/**
 * One training step as a {@link TrainingListener} sees it: where it stands, what it measured, the
 * arrays it computed and the epoch's running totals.
 *
 * <p>The arrays belong to the step's NDManager scope, which closes when the step ends: read
 * them during {@link TrainingListener#onStep}, copy what must outlive it (e.g.
 * {@code features().toFloatArray()}), and never keep the arrays themselves.
 *
 * @param trainer the trainer
 * @param position where the step stands: epoch, batch and optimiser step
 * @param loss the step's loss
 * @param learningRate the step's learning rate
 * @param momentum the step's momentum (β1)
 * @param outputs the batch's features, head output and labels
 * @param progress the running epoch's totals, including this step
 */
public record StepContext(Trainer trainer, Position position, double loss, double learningRate, double momentum,
        Outputs outputs, EpochProgress progress) {

    /**
     * Where a step stands.
     *
     * @param epoch the epoch, from 1
     * @param batch the batch just trained, from 1
     * @param batchesPerEpoch the batches of a full epoch
     * @param step the optimiser steps taken so far, this one included
     */
    public record Position(int epoch, int batch, int batchesPerEpoch, long step) {}

    /**
     * The arrays a step computed, in its scope (see {@link StepContext}).
     *
     * @param features the batch's embedded features, {@code N×d}, computed before the update
     * @param headOutput the head's output, {@code N×C} ({@code W·x} or {@code cos θ})
     * @param labels the batch's labels, {@code N}, int32
     */
    public record Outputs(NDArray features, NDArray headOutput, NDArray labels) {}

    /** Returns the epoch, from 1. */
    public int epoch() {
        return position.epoch();
    }

    /** Returns the batch just trained, from 1. */
    public int batch() {
        return position.batch();
    }

    /** Returns the batches of a full epoch. */
    public int batchesPerEpoch() {
        return position.batchesPerEpoch();
    }

    /** Returns the optimiser steps taken so far, this one included. */
    public long step() {
        return position.step();
    }

    /** Returns the batch's embedded features, {@code N×d}, computed before the update. */
    public NDArray features() {
        return outputs.features();
    }

    /** Returns the head's output, {@code N×C} ({@code W·x} or {@code cos θ}). */
    public NDArray headOutput() {
        return outputs.headOutput();
    }

    /** Returns the batch's labels, {@code N}, int32. */
    public NDArray labels() {
        return outputs.labels();
    }
}
