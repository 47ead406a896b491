package io.anglearn.train;

/** Learning rate and momentum (Adam's β1) as functions of the optimiser step, counted from 0. */
public interface Schedule {

    /** Returns the learning rate at a step. */
    double learningRate(long step);

    /** Returns the momentum (β1) at a step; constant schedules return 0.9. */
    default double momentum(long step) {
        return 0.9;
    }

    /**
     * A constant learning rate.
     *
     * @param rate the rate
     * @return the schedule
     */
    static Schedule constant(double rate) {
        return step -> rate;
    }
}
