package io.anglearn.study;

import io.anglearn.util.NameSuggestions;
import java.util.List;
import java.util.Locale;

/** How much compute a study spends. */
public enum Scale {
    /** The paper's protocol (SPEC §4, Table 1): for a machine with a GPU. */
    PAPER,
    /** A documented reduction that finishes on 2 CPU cores in about two hours per study. */
    CPU;

    /** The names {@link #parse} accepts. */
    public static final List<String> NAMES = List.of("cpu", "paper");

    /**
     * Parses {@code cpu} or {@code paper}.
     *
     * @param name the name
     * @return the scale
     * @throws IllegalArgumentException for another name, suggesting the closest
     */
    public static Scale parse(String name) {
        return valueOf(NameSuggestions.resolve("--scale", name, NAMES).toUpperCase(Locale.ROOT));
    }

    /** Returns the lower-case name. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
