package io.anglearn.fuzz;

import java.util.List;
import java.util.SplittableRandom;

/** Draws byte-level edits, weighted towards the values that break parsers. */
public final class Mutations {

    /** Counts, sizes and magic numbers that readers must survive: zero, negative, billions, off by one. */
    public static final List<Integer> INTERESTING_INTS = List.of(0, 1, -1, 2, 3, 4, 7, 8, 16, 255, 256, 3072, 3073,
            3074, 32768, 65535, 65536, 1_000_000, 16_777_216, 1 << 30, 2_000_000_000, Integer.MAX_VALUE,
            Integer.MIN_VALUE, 0x0801, 0x0803, 0x1f8b0800, 0x89504e47, 0x7fffffff - 15, 0xffff0000);

    private Mutations() {}

    /**
     * Draws one edit of any kind.
     *
     * @param r the random source
     * @return the edit
     */
    public static Mutation one(SplittableRandom r) {
        Mutation.Kind kind = Draw.oneOf(r, Mutation.Kind.class);
        // the header, anywhere, and the last bytes (trailers such as gzip's size)
        int position = switch (Draw.weighted(r, 3, 5, 2)) {
            case 0 -> Draw.between(r, 0, 63);
            case 1 -> Draw.between(r, 0, Integer.MAX_VALUE);
            default -> Draw.between(r, -8, -1);
        };
        int value = switch (Draw.weighted(r, 4, 4, 2)) {
            case 0 -> Draw.oneOf(r, INTERESTING_INTS);
            case 1 -> Draw.between(r, 0, 255);
            default -> r.nextInt();
        };
        return new Mutation(kind, position, value);
    }

    /**
     * Draws one to {@code max} edits.
     *
     * @param r the random source
     * @param max the most edits
     * @return the edits
     */
    public static List<Mutation> some(SplittableRandom r, int max) {
        return Draw.listOf(r, 1, max, Mutations::one);
    }
}
