/**
 * Training and using trained networks.
 *
 * <p>{@link io.anglearn.train.TrainingRun} runs a {@link io.anglearn.train.TrainingConfig}: it builds
 * the network, loss, {@link io.anglearn.train.Optimizer} (Adam or SGD) and
 * {@link io.anglearn.train.Schedule} (one-cycle, cosine, step, constant), drives a
 * {@link io.anglearn.train.Trainer} epoch by epoch, and keeps the run directory: configuration,
 * metrics, log and the atomic, checksummed checkpoints of a
 * {@link io.anglearn.train.CheckpointStore}, from which a stopped run resumes exactly.
 * {@link io.anglearn.train.TrainingListener} is the extension point for anything that watches
 * training. {@link io.anglearn.train.TrainedRun} opens a finished run to evaluate, embed and
 * predict; {@link io.anglearn.train.LearningRateFinder} is Smith's range test.
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
