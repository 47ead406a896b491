package io.anglearn.util;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Matches a name a user typed against the names an option accepts, and words the error when it
 * is not one of them: the option, the value given, the closest valid names and the whole list, e.g.
 * {@code unknown --loss 'arcfce': did you mean 'arcface'? Expected one of: soft, center, arcface, ...}.
 *
 * <p>Names match case-insensitively. Closeness is the optimal-string-alignment variant of the
 * Damerau–Levenshtein distance (Damerau 1964, "A technique for computer detection and correction
 * of spelling errors"; Levenshtein 1966): inserting, deleting or substituting a character, or
 * swapping two adjacent ones, each costs 1. It is measured on the names lower-cased and without
 * {@code '-'}, {@code '_'}, {@code '.'} and blanks, so {@code One_Cycle} is as close to
 * {@code one-cycle} as a name can be. A valid name is suggested when
 * <ul>
 *   <li>its distance to the typed name is at most {@code max(2, n / 3)} for a typed name of
 *       {@code n} characters, and less than {@code n} (so a one- or two-letter answer is not
 *       "close" to every short name); or</li>
 *   <li>the typed name, at least {@value #MIN_PREFIX} characters long, is a prefix of it
 *       ({@code sub} for {@code subcenter-arcface}).</li>
 * </ul>
 * Only the closest names by distance are offered (all that share the smallest distance), or, when
 * none is close, the names the typed one starts; at most {@value #MAX_SUGGESTIONS}, in the order of
 * the valid names.
 */
public final class NameSuggestions {

    /** The most valid names one error suggests. */
    public static final int MAX_SUGGESTIONS = 3;

    /** The shortest typed name that counts as a prefix of a valid one. */
    public static final int MIN_PREFIX = 2;

    private NameSuggestions() {}

    /**
     * Finds a name among the valid ones, ignoring case.
     *
     * @param given the typed name; null finds nothing
     * @param valid the accepted names
     * @return the valid name as spelled in {@code valid}, or empty
     */
    public static Optional<String> find(String given, Collection<String> valid) {
        if (given == null) {
            return Optional.empty();
        }
        String g = given.trim();
        return valid.stream().filter(v -> v.equalsIgnoreCase(g)).findFirst();
    }

    /**
     * Returns the valid name a typed one stands for, or fails with {@link #unknown}'s error.
     *
     * @param what the option or setting, as the message should name it, e.g. {@code --loss}
     * @param given the typed name
     * @param valid the accepted names
     * @return the valid name as spelled in {@code valid}
     * @throws IllegalArgumentException naming {@code what}, {@code given}, the closest valid names and all of them
     */
    public static String resolve(String what, String given, Collection<String> valid) {
        return find(given, valid).orElseThrow(() -> unknown(what, given, valid));
    }

    /**
     * Returns the option values of an enum whose values are its constants' names in lower case
     * (e.g. {@code stop}, {@code skip}).
     *
     * @param constants the enum's constants, in order
     * @return their names in lower case, in the same order
     */
    public static List<String> optionNames(Enum<?>... constants) {
        List<String> names = new ArrayList<>(constants.length);
        for (Enum<?> c : constants) {
            names.add(c.name().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(names);
    }

    /**
     * Returns the constant of such an enum (see {@link #optionNames}) that a typed value stands
     * for, or fails with {@link #unknown}'s error.
     *
     * @param <E> the enum
     * @param what the option, as the message should name it, e.g. {@code --bad-images}
     * @param given the typed value, case-insensitive
     * @param type the enum's class
     * @return the constant
     * @throws IllegalArgumentException naming {@code what}, {@code given}, the closest values and all of them
     */
    public static <E extends Enum<E>> E resolveConstant(String what, String given, Class<E> type) {
        List<String> valid = optionNames(type.getEnumConstants());
        return Enum.valueOf(type, resolve(what, given, valid).toUpperCase(Locale.ROOT));
    }

    /**
     * Returns the valid names close to a typed one (see the class description).
     *
     * @param given the typed name
     * @param valid the accepted names
     * @return at most {@value #MAX_SUGGESTIONS} names, empty when none is close
     */
    public static List<String> closest(String given, Collection<String> valid) {
        String g = normalise(given == null ? "" : given);
        if (g.isEmpty()) {
            return List.of();
        }
        int limit = Math.min(Math.max(2, g.length() / 3), g.length() - 1);
        List<String> near = new ArrayList<>();
        List<String> prefixed = new ArrayList<>();
        int best = Integer.MAX_VALUE;
        for (String v : valid) {
            String n = normalise(v);
            int d = distance(g, n);
            if (d <= limit && d <= best) {
                if (d < best) {
                    near.clear();
                    best = d;
                }
                near.add(v);
            } else if (g.length() >= MIN_PREFIX && n.startsWith(g)) {
                prefixed.add(v);
            }
        }
        List<String> chosen = near.isEmpty() ? prefixed : near;
        return List.copyOf(chosen.subList(0, Math.min(MAX_SUGGESTIONS, chosen.size())));
    }

    /**
     * Words the rest of an error about a name that is not valid: the suggestions, if any, and the
     * list of valid names.
     *
     * @param suggestions the names to suggest (usually {@link #closest}'s)
     * @param valid the valid names, as the message should list them
     * @return e.g. {@code did you mean 'arcface'? Expected one of: soft, center, arcface}, or
     *     {@code expected one of: soft, center, arcface} without suggestions
     */
    public static String hint(List<String> suggestions, Collection<String> valid) {
        String list = "one of: " + String.join(", ", valid);
        if (suggestions.isEmpty()) {
            return "expected " + list;
        }
        StringBuilder b = new StringBuilder("did you mean ");
        for (int i = 0; i < suggestions.size(); i++) {
            if (i > 0) {
                b.append(i == suggestions.size() - 1 ? " or " : ", ");
            }
            b.append('\'').append(suggestions.get(i)).append('\'');
        }
        return b.append("? Expected ").append(list).toString();
    }

    /**
     * Words the error for a name that is not valid.
     *
     * @param what the option or setting, e.g. {@code --loss}
     * @param given the typed name
     * @param valid the accepted names
     * @return e.g. {@code unknown --loss 'arcfce': did you mean 'arcface'? Expected one of: soft, ...}
     */
    public static String message(String what, String given, Collection<String> valid) {
        if (given == null || given.isBlank()) {
            return what + " needs a value: " + hint(List.of(), valid);
        }
        return "unknown " + what + " '" + given + "': " + hint(closest(given, valid), valid);
    }

    /**
     * Returns the exception for a name that is not valid, with {@link #message}'s text.
     *
     * @param what the option or setting, e.g. {@code --loss}
     * @param given the typed name
     * @param valid the accepted names
     * @return the exception, for the caller to throw
     */
    public static IllegalArgumentException unknown(String what, String given, Collection<String> valid) {
        return new IllegalArgumentException(message(what, given, valid));
    }

    /**
     * Returns the optimal-string-alignment (restricted Damerau–Levenshtein) distance: the fewest
     * insertions, deletions, substitutions and swaps of adjacent characters that turn {@code a}
     * into {@code b}, where no substring is edited twice.
     *
     * @param a one string
     * @param b the other
     * @return the distance, 0 when they are equal
     */
    public static int distance(CharSequence a, CharSequence b) {
        int n = a.length();
        int m = b.length();
        // Three rows of the dynamic-programming table: two back (for swaps), one back, and this one.
        int[] before = new int[m + 1];
        int[] previous = new int[m + 1];
        int[] current = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            current[0] = i;
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, before[j - 2] + 1);
                }
                current[j] = d;
            }
            int[] t = before;
            before = previous;
            previous = current;
            current = t;
        }
        return previous[m];
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[\\s_.\\-]", "");
    }
}
