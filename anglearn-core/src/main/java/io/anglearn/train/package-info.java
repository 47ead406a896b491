/**
 * Training networks, below the run that orchestrates it.
 *
 * <p>{@link io.anglearn.train.TrainingComponents} turns a {@link io.anglearn.train.TrainingConfig}
 * into the network, loss, {@link io.anglearn.train.Optimizer} (Adam or SGD),
 * {@link io.anglearn.train.Schedule} (one-cycle, cosine, step, constant) and batch loader; a
 * {@link io.anglearn.train.Trainer} trains them epoch by epoch; the atomic, checksummed
 * checkpoints of a {@link io.anglearn.train.CheckpointStore} let a stopped run resume exactly.
 * {@link io.anglearn.train.TrainingListener} is the extension point for anything that watches
 * training (the recorder in {@code io.anglearn.report} is one). The run that keeps a run directory
 * ({@code io.anglearn.run.TrainingRun}) and opens a finished one ({@code io.anglearn.run.TrainedRun})
 * sits above this package; {@link io.anglearn.train.LearningRateFinder} is Smith's range test.
 *
 * <p>Each setting of a {@code TrainingConfig} has one {@link io.anglearn.train.Setting} descriptor in
 * {@link io.anglearn.train.TrainingSettings} (flag, help, default, checks), from which the CLI
 * options, validation, copying and the docs table are made. {@link io.anglearn.train.PaperProtocol}
 * holds the paper's Table 1 for the {@link io.anglearn.train.Presets} and the studies.
 *
 * <p>Every step's NDArrays live in an {@link ai.djl.ndarray.NDManager} scope closed when the step
 * ends, so native memory stays flat across steps.
 */
package io.anglearn.train;
