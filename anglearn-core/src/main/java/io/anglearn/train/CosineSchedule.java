package io.anglearn.train;

/**
 * Cosine annealing without restarts (I. Loshchilov and F. Hutter, "SGDR: Stochastic Gradient
 * Descent with Warm Restarts", ICLR 2017), with an optional linear warm-up:
 * the rate rises linearly from {@code peak/warmupSteps} to {@code peak} over the first
 * {@code warmupSteps} steps, then follows {@code min + (peak − min)(1 + cos(π t))/2} to
 * {@code min} at the last step. Momentum is constant (see {@link Schedule#withMomentum}).
 *
 * <p>Defaults: no warm-up, final rate 0.
 */
public final class CosineSchedule implements Schedule {

    private final double peak;
    private final long totalSteps;
    private final long warmupSteps;
    private final double minRate;

    /**
     * Creates the schedule without warm-up, annealing to 0.
     *
     * @param peak the initial (peak) rate, &gt; 0
     * @param totalSteps the steps of the whole run, &gt; 0
     */
    public CosineSchedule(double peak, long totalSteps) {
        this(peak, totalSteps, 0, 0);
    }

    /**
     * Creates the schedule.
     *
     * @param peak the peak rate, &gt; 0
     * @param totalSteps the steps of the whole run, &gt; 0
     * @param warmupSteps steps of linear warm-up, in [0, totalSteps)
     * @param minRate the final rate, in [0, peak]
     */
    public CosineSchedule(double peak, long totalSteps, long warmupSteps, double minRate) {
        if (!(peak > 0) || Double.isInfinite(peak) || totalSteps <= 0 || warmupSteps < 0
                || warmupSteps >= totalSteps || !(minRate >= 0 && minRate <= peak)) {
            throw new IllegalArgumentException("invalid cosine schedule: peak=" + peak + " steps=" + totalSteps
                    + " warmup=" + warmupSteps + " min=" + minRate);
        }
        this.peak = peak;
        this.totalSteps = totalSteps;
        this.warmupSteps = warmupSteps;
        this.minRate = minRate;
    }

    @Override
    public double learningRate(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        double span = Math.max(1, totalSteps - 1 - warmupSteps);
        double t = Math.min(1, (step - warmupSteps) / span);
        return minRate + (peak - minRate) * (1 + Math.cos(Math.PI * t)) / 2;
    }
}
