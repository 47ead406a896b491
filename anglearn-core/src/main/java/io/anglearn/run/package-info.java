/**
 * A training run and its run directory: the composition root above {@code io.anglearn.train}
 * and {@code io.anglearn.report}.
 *
 * <p>{@link io.anglearn.run.TrainingRun} runs a {@link io.anglearn.train.TrainingConfig} into a run
 * directory (starting, resuming, extending), as a short orchestrator over named parts: the
 * components from {@link io.anglearn.train.TrainingComponents}, the lock and manifest of
 * {@code io.anglearn.rundir}, the provenance ({@link io.anglearn.run.RunProvenance}), the
 * checkpointed state, the epoch loop, and the listeners in their fixed order.
 * {@link io.anglearn.run.TrainedRun} opens a finished run to evaluate, embed and predict. The
 * method is Wu &amp; Wang, "Angular Learning: Toward Discriminative Embedded Features"
 * (arXiv:1912.07819).
 */
package io.anglearn.run;
