package io.anglearn.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sizes and seeds the fuzz properties. Each property's share of tries keeps the whole suite within a
 * minute on two busy cores; the system property {@code anglearn.fuzz.scale} multiplies every share
 * for longer runs, e.g. {@code -Danglearn.fuzz.scale=100}. The system property
 * {@code anglearn.fuzz.seed} fixes the base seed, so that a failure's printed seed replays it as the
 * first try; without it each run draws a fresh base seed.
 */
public final class FuzzBudget {

    /** Multiplier of every property's tries (default 1). */
    public static final double SCALE = Double.parseDouble(System.getProperty("anglearn.fuzz.scale", "1"));

    /** Where the counts are written, relative to the module. */
    public static final Path OUT = Path.of("target", "fuzz-executions");

    private FuzzBudget() {}

    /**
     * Returns a property's tries: its share times the scale, at least one.
     *
     * @param share the tries at the default budget
     * @return the tries to run
     */
    public static int tries(int share) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(share * SCALE)));
    }

    /**
     * Returns the base seed: {@code anglearn.fuzz.seed} when set, otherwise a fresh one.
     *
     * @return the seed of the first try
     */
    public static long seed() {
        String fixed = System.getProperty("anglearn.fuzz.seed");
        return fixed == null || fixed.isBlank() ? System.nanoTime() ^ Double.doubleToLongBits(Math.random())
                : Long.decode(fixed.trim());
    }

    /**
     * Prints a property's counts and writes them to {@code target/fuzz-executions/<class>.<property>.txt}.
     *
     * @param fileName the file's name without extension
     * @param line {@code reader property tries checks seconds status}
     */
    static void record(String fileName, String line) {
        System.out.println("fuzz executions: " + line);
        try {
            Files.createDirectories(OUT);
            Files.writeString(OUT.resolve(fileName + ".txt"), line + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.out.println("cannot record fuzz executions: " + e);
        }
    }
}
