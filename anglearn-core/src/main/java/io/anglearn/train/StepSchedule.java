package io.anglearn.train;

/**
 * Step decay, the schedule of He et al.'s ResNet training ("Deep Residual Learning for Image
 * Recognition", CVPR 2016): the rate is {@code initial · gamma^⌊step / stepSize⌋}. Momentum is
 * constant (see {@link Schedule#withMomentum}).
 */
public final class StepSchedule implements Schedule {

    private final double initial;
    private final long stepSize;
    private final double gamma;

    /**
     * Creates the schedule.
     *
     * @param initial the initial rate, &gt; 0
     * @param stepSize optimiser steps between decays, &gt; 0
     * @param gamma the factor applied at each decay, in (0, 1]
     */
    public StepSchedule(double initial, long stepSize, double gamma) {
        if (!(initial > 0) || Double.isInfinite(initial) || stepSize <= 0 || !(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("invalid step schedule: initial=" + initial + " stepSize=" + stepSize
                    + " gamma=" + gamma);
        }
        this.initial = initial;
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    @Override
    public double learningRate(long step) {
        return initial * Math.pow(gamma, step / stepSize);
    }
}
