package io.anglearn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Updates trainable parameters from their gradients, one step at a time.
 *
 * <p>The life of an optimiser: {@link #initialize} once with the trainable parameters (it allocates
 * its state beside each weight, on the weight's long-lived manager); then, for each training
 * step, {@link #beginStep} with the step's learning rate and momentum, followed by one
 * {@link #update} per parameter that takes part in the step. A parameter left out of a step (a
 * frozen backbone's) keeps its weight and its state: no weight decay, no change of its momentum
 * or moments. Its whole state is {@link #steps()} plus {@link #state()}, which a
 * checkpoint saves and {@link #restore} copies back, so a resumed run continues bit for bit.
 */
public interface Optimizer {

    /**
     * Allocates the per-parameter state.
     *
     * @param params the trainable parameters, in a fixed order; {@link #update}'s index refers to it
     */
    void initialize(List<Parameter> params);

    /**
     * Starts an optimiser step: counts it and fixes its hyperparameters.
     *
     * @param learningRate the step's learning rate
     * @param momentum the step's momentum (Adam's β1, SGD's momentum), as the schedule gives it
     */
    void beginStep(double learningRate, double momentum);

    /**
     * Updates one weight in place and zeroes the gradient it was given.
     *
     * @param index the parameter's position in the list given to {@link #initialize}
     * @param weight the weight
     * @param gradient its gradient (already summed over devices)
     */
    void update(int index, NDArray weight, NDArray gradient);

    /** Returns the number of steps begun so far. */
    long steps();

    /** Returns the state arrays (not copies), in a fixed order, for checkpoints. */
    NDList state();

    /**
     * Copies a saved state back into this optimiser.
     *
     * @param arrays arrays of the shapes {@link #state()} returns, in the same order
     * @param steps the step count saved with them
     * @throws IllegalArgumentException if the arrays do not match this optimiser's state
     */
    void restore(NDList arrays, long steps);

    /** Returns the optimiser's name and hyperparameters, for the run's configuration. */
    Map<String, Object> describe();

    /**
     * Copies {@code source}'s values into {@code target} in place, keeping the target's identity,
     * its manager and its gradient flag.
     *
     * @param source the values
     * @param target the array to overwrite
     * @param what what the target is, for the error message
     */
    static void copyInto(NDArray source, NDArray target, String what) {
        if (!source.getShape().equals(target.getShape()) || source.getDataType() != target.getDataType()) {
            throw new IllegalArgumentException(what + ": saved array is " + source.getShape() + " "
                    + source.getDataType() + ", expected " + target.getShape() + " " + target.getDataType());
        }
        // A heap copy: set() then copies it into memory the target owns, never sharing the source's.
        target.set(source.toByteBuffer(false));
    }
}
