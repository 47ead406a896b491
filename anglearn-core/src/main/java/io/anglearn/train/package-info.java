/**
 * The training loop: configuration, optimiser, learning-rate schedule, and the per-epoch record.
 * Every step's NDArrays live in an {@link ai.djl.ndarray.NDManager} scope closed when the step
 * ends, so native memory stays flat across steps.
 */
package io.anglearn.train;
