package io.anglearn.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/** Small helpers that draw fuzz inputs from a seeded random source. */
public final class Draw {

    private Draw() {}

    /**
     * Draws an integer in {@code [min, max]}, both included.
     *
     * @param r the random source
     * @param min the smallest value
     * @param max the largest value
     * @return the value
     */
    public static int between(SplittableRandom r, int min, int max) {
        return (int) r.nextLong(min, (long) max + 1);
    }

    /**
     * Draws one element, each equally likely.
     *
     * @param r the random source
     * @param values the choices
     * @param <T> the element type
     * @return the element
     */
    public static <T> T oneOf(SplittableRandom r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    /**
     * Draws one constant of an enum, each equally likely.
     *
     * @param r the random source
     * @param type the enum
     * @param <E> the enum type
     * @return the constant
     */
    public static <E extends Enum<E>> E oneOf(SplittableRandom r, Class<E> type) {
        E[] values = type.getEnumConstants();
        return values[r.nextInt(values.length)];
    }

    /**
     * Picks an index with probability proportional to its weight.
     *
     * @param r the random source
     * @param weights positive weights
     * @return the index picked
     */
    public static int weighted(SplittableRandom r, int... weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = r.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        throw new AssertionError("unreachable");
    }

    /**
     * Draws a list of {@code min} to {@code max} elements.
     *
     * @param r the random source
     * @param min the fewest elements
     * @param max the most elements
     * @param element draws one element
     * @param <T> the element type
     * @return the list
     */
    public static <T> List<T> listOf(SplittableRandom r, int min, int max, Function<SplittableRandom, T> element) {
        int n = between(r, min, max);
        ArrayList<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(element.apply(r));
        }
        return List.copyOf(out);
    }

    /**
     * Draws bytes: mostly up to {@code max} of them, sometimes only a few (empty included).
     *
     * @param r the random source
     * @param max the most bytes
     * @return the bytes
     */
    public static byte[] bytes(SplittableRandom r, int max) {
        byte[] b = new byte[weighted(r, 1, 3) == 0 ? between(r, 0, Math.min(8, max)) : between(r, 0, max)];
        r.nextBytes(b);
        return b;
    }
}
