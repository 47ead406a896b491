package io.anglearn.study;

import java.util.Locale;

/** How much compute a study spends. */
public enum Scale {
    /** The paper's protocol (SPEC §4, Table 1): for a machine with a GPU. */
    PAPER,
    /** A documented reduction that finishes on 2 CPU cores in about two hours per study. */
    CPU;

    /**
     * Parses {@code cpu} or {@code paper}.
     *
     * @param name the name
     * @return the scale
     */
    public static Scale parse(String name) {
        for (Scale s : values()) {
            if (s.name().equalsIgnoreCase(name.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("--scale must be cpu or paper, got '" + name + "'");
    }

    /** Returns the lower-case name. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
