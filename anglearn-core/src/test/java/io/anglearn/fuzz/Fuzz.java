package io.anglearn.fuzz;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Runs a fuzz property: a number of tries, each drawing its input from its own seeded random
 * source. There is no shrinking; a failure reports the reader, the try and that try's seed, and
 * {@code -Danglearn.fuzz.seed=<seed>} replays the same input as the first try.
 */
public final class Fuzz {

    /** One try of a property, drawing its input from {@code random}. */
    @FunctionalInterface
    public interface Try {
        /**
         * Generates one input and checks it.
         *
         * @param random the try's random source
         * @throws Exception when the check fails
         */
        void run(SplittableRandom random) throws Exception;
    }

    private Fuzz() {}

    /**
     * Runs a property with its share of the budget and the base seed of {@link FuzzBudget}.
     *
     * @param test the test class, whose name minus {@code FuzzTest} names the reader
     * @param property the property's name
     * @param share the tries at the default budget, multiplied by {@link FuzzBudget#SCALE}
     * @param oneTry the property
     */
    public static void run(Class<?> test, String property, int share, Try oneTry) {
        run(test, property, FuzzBudget.seed(), FuzzBudget.tries(share), oneTry);
    }

    /**
     * Runs {@code tries} tries; try 0 uses {@code seed}, each next try a seed drawn from the one before,
     * so any try's seed given as the base seed replays it first. Stops at the first failure and
     * rethrows it with the reader, the try and its seed; prints and records the counts either way.
     *
     * @param test the test class, whose name minus {@code FuzzTest} names the reader
     * @param property the property's name
     * @param seed the first try's seed
     * @param tries how many tries
     * @param oneTry the property
     */
    public static void run(Class<?> test, String property, long seed, int tries, Try oneTry) {
        String reader = test.getSimpleName().replace("FuzzTest", "");
        long start = System.nanoTime();
        long trySeed = seed;
        int done = 0;
        AssertionError failure = null;
        for (int i = 0; i < tries; i++) {
            try {
                oneTry.run(new SplittableRandom(trySeed));
                done++;
            } catch (Exception | AssertionError e) {
                failure = new AssertionError(String.format(Locale.ROOT,
                        "%s fuzz property %s failed at try %d of %d with seed %d"
                                + " (replay: -Danglearn.fuzz.seed=%d -Dtest=%s#%s): %s",
                        reader, property, i, tries, trySeed, trySeed, test.getSimpleName(), property, e), e);
                break;
            }
            trySeed = new SplittableRandom(trySeed).nextLong();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        FuzzBudget.record(test.getSimpleName() + "." + property, String.format(Locale.ROOT, "%s %s %d %d %.1f %s",
                reader, property, failure == null ? done : done + 1, done, seconds,
                failure == null ? "SUCCESSFUL" : "FAILED"));
        if (failure != null) {
            throw failure;
        }
    }
}
