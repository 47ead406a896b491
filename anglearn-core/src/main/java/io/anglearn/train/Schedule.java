package io.anglearn.train;

/**
 * Learning rate and momentum (Adam's β1, SGD's momentum) as functions of the optimiser step,
 * counted from 0.
 *
 * <p>A schedule is a pure function of the step: it has no state, so a resumed run needs only the
 * step count to continue it exactly.
 */
public interface Schedule {

    /** The momentum constant schedules use unless told otherwise. */
    double DEFAULT_MOMENTUM = 0.9;

    /**
     * Returns the learning rate at a step.
     *
     * @param step the optimiser step, from 0
     * @return the rate
     */
    double learningRate(long step);

    /**
     * Returns the momentum (β1) at a step; unless overridden, {@value #DEFAULT_MOMENTUM}.
     *
     * @param step the optimiser step, from 0
     * @return the momentum
     */
    default double momentum(long step) {
        return DEFAULT_MOMENTUM;
    }

    /**
     * Returns this schedule's learning rates with a constant momentum.
     *
     * @param value the momentum at every step, in [0, 1)
     * @return the schedule
     */
    default Schedule withMomentum(double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + value);
        }
        Schedule rates = this;
        return new Schedule() {
            @Override
            public double learningRate(long step) {
                return rates.learningRate(step);
            }

            @Override
            public double momentum(long step) {
                return value;
            }
        };
    }

    /**
     * A constant learning rate.
     *
     * @param rate the rate, &gt; 0
     * @return the schedule
     */
    static Schedule constant(double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + rate);
        }
        return step -> rate;
    }
}
