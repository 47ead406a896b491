package io.anglearn.train;

import java.util.Arrays;

/**
 * A schedule run afresh from given steps on: step {@code s} of segment {@code k} (which starts at
 * {@code starts[k]}) takes the rate and momentum of that segment's own schedule at
 * {@code s − starts[k]}. This is the warm restart of I. Loshchilov and F. Hutter ("SGDR:
 * Stochastic Gradient Descent with Warm Restarts", ICLR 2017), applied to any schedule; anglearn
 * uses it when a finished run is extended with more epochs, so that the added epochs get a whole
 * schedule of their own (a one-cycle warm-up and annealing, say) while the steps already trained
 * keep the rates they were trained with.
 */
public final class RestartedSchedule implements Schedule {

    private final long[] starts;
    private final Schedule[] segments;

    /**
     * Creates the schedule.
     *
     * @param starts the first step of each segment, ascending, the first 0
     * @param segments each segment's schedule, counted from its own first step
     */
    public RestartedSchedule(long[] starts, Schedule[] segments) {
        if (starts.length == 0 || starts.length != segments.length || starts[0] != 0) {
            throw new IllegalArgumentException("a restarted schedule needs one start per segment, the first at step 0;"
                    + " got starts " + Arrays.toString(starts) + " for " + segments.length + " segments");
        }
        for (int k = 1; k < starts.length; k++) {
            if (starts[k] <= starts[k - 1]) {
                throw new IllegalArgumentException("segment starts must ascend, got " + Arrays.toString(starts));
            }
        }
        this.starts = starts.clone();
        this.segments = segments.clone();
    }

    private int segment(long step) {
        int k = Arrays.binarySearch(starts, step);
        return k >= 0 ? k : Math.max(0, -k - 2);
    }

    @Override
    public double learningRate(long step) {
        int k = segment(step);
        return segments[k].learningRate(step - starts[k]);
    }

    @Override
    public double momentum(long step) {
        int k = segment(step);
        return segments[k].momentum(step - starts[k]);
    }
}
