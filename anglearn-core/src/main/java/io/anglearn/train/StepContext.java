package io.anglearn.train;

import ai.djl.ndarray.NDArray;

/**
 * One training step as a {@link TrainingListener} sees it.
 *
 * <p>The arrays belong to the step's NDManager scope, which closes when the step ends: read
 * them during {@link TrainingListener#onStep}, copy what must outlive it (e.g.
 * {@code features().toFloatArray()}), and never keep the arrays themselves.
 *
 * @param trainer the trainer
 * @param epoch the epoch, from 1
 * @param batch the batch just trained, from 1
 * @param batchesPerEpoch the batches of a full epoch
 * @param step the optimiser steps taken so far, this one included
 * @param loss the step's loss
 * @param learningRate the step's learning rate
 * @param momentum the step's momentum (β1)
 * @param features the batch's embedded features, {@code N×d}, computed before the update
 * @param headOutput the head's output, {@code N×C} ({@code W·x} or {@code cos θ})
 * @param labels the batch's labels, {@code N}, int32
 * @param progress the running epoch's totals, including this step
 */
public record StepContext(Trainer trainer, int epoch, int batch, int batchesPerEpoch, long step, double loss,
        double learningRate, double momentum, NDArray features, NDArray headOutput, NDArray labels,
        EpochProgress progress) {}
