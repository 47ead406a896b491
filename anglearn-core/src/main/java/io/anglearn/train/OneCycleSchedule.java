package io.anglearn.train;

/**
 * The one-cycle policy of L. N. Smith, "A disciplined approach to neural network
 * hyper-parameters: Part 1" (arXiv:1803.09820, 2018), as the paper trains with it.
 *
 * <p>The learning rate rises from {@code peak/divFactor} to {@code peak} over the first
 * {@code warmupFraction} of the steps, then anneals to {@code peak/(divFactor·finalDivFactor)}
 * along a cosine; β1 (Adam's momentum) moves the opposite way, from {@code maxMomentum} down to
 * {@code minMomentum} and back. Defaults follow common practice: 30% warm-up, div 25, final div
 * 1e4, momentum 0.95 → 0.85.
 */
public final class OneCycleSchedule implements Schedule {

    private final double peak;
    private final long totalSteps;
    private final double warmupFraction;
    private final double divFactor;
    private final double finalDivFactor;
    private final double maxMomentum;
    private final double minMomentum;

    /**
     * Creates the schedule with the default shape.
     *
     * @param peak the peak learning rate
     * @param totalSteps the number of optimiser steps of the whole run
     */
    public OneCycleSchedule(double peak, long totalSteps) {
        this(peak, totalSteps, 0.3, 25, 1e4, 0.95, 0.85);
    }

    /**
     * Creates the schedule.
     *
     * @param peak the peak learning rate
     * @param totalSteps the number of optimiser steps of the whole run
     * @param warmupFraction the fraction of steps spent rising, in (0, 1)
     * @param divFactor initial rate = peak / divFactor
     * @param finalDivFactor final rate = initial rate / finalDivFactor
     * @param maxMomentum β1 at the start and the end
     * @param minMomentum β1 at the peak
     */
    public OneCycleSchedule(double peak, long totalSteps, double warmupFraction, double divFactor,
            double finalDivFactor, double maxMomentum, double minMomentum) {
        if (!(peak > 0) || totalSteps <= 0 || !(warmupFraction > 0 && warmupFraction < 1)
                || !(divFactor >= 1) || !(finalDivFactor >= 1) || !(minMomentum <= maxMomentum)) {
            throw new IllegalArgumentException("invalid one-cycle schedule: peak=" + peak + " steps=" + totalSteps
                    + " warmup=" + warmupFraction + " div=" + divFactor + " finalDiv=" + finalDivFactor
                    + " momentum=" + maxMomentum + "->" + minMomentum);
        }
        this.peak = peak;
        this.totalSteps = totalSteps;
        this.warmupFraction = warmupFraction;
        this.divFactor = divFactor;
        this.finalDivFactor = finalDivFactor;
        this.maxMomentum = maxMomentum;
        this.minMomentum = minMomentum;
    }

    private double phase(long step) {
        if (totalSteps == 2) {
            // Two steps: the first at the initial rate, the last annealed, so that no run ends at its peak.
            return step == 0 ? 0 : 2;
        }
        double warm = Math.max(1, warmupFraction * totalSteps);
        return step < warm ? step / warm : 1 + (step - warm) / Math.max(1, totalSteps - 1 - warm);
    }

    private static double cosineAnneal(double from, double to, double t) {
        return to + (from - to) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, t)))) / 2;
    }

    @Override
    public double learningRate(long step) {
        double p = phase(step);
        double initial = peak / divFactor;
        return p <= 1 ? cosineAnneal(initial, peak, p) : cosineAnneal(peak, initial / finalDivFactor, p - 1);
    }

    @Override
    public double momentum(long step) {
        double p = phase(step);
        return p <= 1 ? cosineAnneal(maxMomentum, minMomentum, p) : cosineAnneal(minMomentum, maxMomentum, p - 1);
    }
}
