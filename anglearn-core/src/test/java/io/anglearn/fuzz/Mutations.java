package io.anglearn.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of byte-level edits, weighted towards the values that break parsers. */
public final class Mutations {

    /** Counts, sizes and magic numbers that readers must survive: zero, negative, billions, off by one. */
    public static final List<Integer> INTERESTING_INTS = List.of(0, 1, -1, 2, 3, 4, 7, 8, 16, 255, 256, 3072, 3073,
            3074, 32768, 65535, 65536, 1_000_000, 16_777_216, 1 << 30, 2_000_000_000, Integer.MAX_VALUE,
            Integer.MIN_VALUE, 0x0801, 0x0803, 0x1f8b0800, 0x89504e47, 0x7fffffff - 15, 0xffff0000);

    private Mutations() {}

    /** One edit of any kind. */
    public static Arbitrary<Mutation> one() {
        Arbitrary<Mutation.Kind> kind = Arbitraries.of(Mutation.Kind.class);
        Arbitrary<Integer> position = Arbitraries.frequencyOf(
                // the header, anywhere, and the last bytes (trailers such as gzip's size)
                entry(3, Arbitraries.integers().between(0, 63)),
                entry(5, Arbitraries.integers().between(0, Integer.MAX_VALUE)),
                entry(2, Arbitraries.integers().between(-8, -1)));
        Arbitrary<Integer> value = Arbitraries.frequencyOf(
                entry(4, Arbitraries.of(INTERESTING_INTS)),
                entry(4, Arbitraries.integers().between(0, 255)),
                entry(2, Arbitraries.integers()));
        return Combinators.combine(kind, position, value).as(Mutation::new);
    }

    /** One to {@code max} edits. */
    public static Arbitrary<List<Mutation>> some(int max) {
        return one().list().ofMinSize(1).ofMaxSize(max);
    }

    private static net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends Integer>> entry(int weight,
            Arbitrary<Integer> a) {
        return net.jqwik.api.Tuple.of(weight, a);
    }
}
