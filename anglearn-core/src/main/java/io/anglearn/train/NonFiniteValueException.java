package io.anglearn.train;

/**
 * Thrown when a training step's loss or gradients become NaN or infinite and the run stops
 * ({@link NonFinitePolicy#STOP}, or a skip that cannot help). The message is the diagnosis: the
 * epoch, batch and step, which loss term, and which of the inputs, parameters, features, head
 * output and gradients are no longer finite. Nothing of the step was applied.
 */
public final class NonFiniteValueException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final long step;

    /**
     * Creates the exception.
     *
     * @param epoch the epoch, from 1
     * @param batch the batch within the epoch, from 1
     * @param step the optimiser step the batch would have been, from 1
     * @param message the diagnosis
     */
    public NonFiniteValueException(int epoch, int batch, long step, String message) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
        this.step = step;
    }

    /** Returns the epoch, from 1. */
    public int epoch() {
        return epoch;
    }

    /** Returns the batch within the epoch, from 1. */
    public int batch() {
        return batch;
    }

    /** Returns the optimiser step the batch would have been, from 1. */
    public long step() {
        return step;
    }
}
