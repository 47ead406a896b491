package io.anglearn.loss;

/**
 * One parameter of a loss, as the loss declares it: its name on the command line
 * ({@code -p name=value}), its kind, its default and what it does. Every value is given as a
 * number; {@link #check} refuses one that does not fit the kind.
 *
 * @param name the name, e.g. {@code k}
 * @param kind a real number, a whole number or a 0/1 switch
 * @param defaultValue the value when none is given
 * @param description one line saying what it does
 */
public record LossParameter(String name, Kind kind, double defaultValue, String description) {

    /** What values a parameter takes. */
    public enum Kind {
        /** Any number (the loss's builder checks its range). */
        REAL,
        /** A whole number. */
        INTEGER,
        /** 0 (off) or 1 (on). */
        SWITCH
    }

    /** Checks the declaration itself: a name of letters, digits and underscores, a default of its kind. */
    public LossParameter {
        if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("a loss parameter's name is lower-case letters, digits and underscores,"
                    + " got '" + name + "'");
        }
        if (kind == null || description == null || description.isBlank()) {
            throw new IllegalArgumentException("loss parameter '" + name + "' needs a kind and a description");
        }
        if (!Double.isFinite(defaultValue)) {
            throw new IllegalArgumentException("loss parameter '" + name + "' needs a finite default, got " + defaultValue);
        }
        check("a declaration", name, kind, defaultValue);
    }

    /**
     * A real-valued parameter.
     *
     * @param name the name
     * @param defaultValue its default
     * @param description what it does
     * @return the declaration
     */
    public static LossParameter real(String name, double defaultValue, String description) {
        return new LossParameter(name, Kind.REAL, defaultValue, description);
    }

    /**
     * A whole-number parameter.
     *
     * @param name the name
     * @param defaultValue its default
     * @param description what it does
     * @return the declaration
     */
    public static LossParameter integer(String name, int defaultValue, String description) {
        return new LossParameter(name, Kind.INTEGER, defaultValue, description);
    }

    /**
     * A 0/1 switch.
     *
     * @param name the name
     * @param on its default
     * @param description what it does when on
     * @return the declaration
     */
    public static LossParameter flag(String name, boolean on, String description) {
        return new LossParameter(name, Kind.SWITCH, on ? 1 : 0, description);
    }

    /**
     * Checks a value given for this parameter.
     *
     * @param loss the loss's name, for the message
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException naming the loss and parameter when it does not fit the kind
     */
    public double check(String loss, double value) {
        check("loss '" + loss + "'", name, kind, value);
        return value;
    }

    private static void check(String owner, String name, Kind kind, double v) {
        // An infinite real passes: the loss's builder knows its range and says so.
        if (Double.isNaN(v)) {
            throw new IllegalArgumentException(owner + ": parameter '" + name + "' needs a number, got " + v);
        }
        if (kind == Kind.INTEGER && (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException(owner + ": parameter '" + name + "' must be a whole number, got " + v);
        }
        if (kind == Kind.SWITCH && v != 0 && v != 1) {
            throw new IllegalArgumentException(owner + ": parameter '" + name + "' is a switch, 0 or 1, got " + v);
        }
    }
}
