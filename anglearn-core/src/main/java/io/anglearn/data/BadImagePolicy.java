package io.anglearn.data;

import io.anglearn.util.NameSuggestions;
import java.util.List;
import java.util.Locale;

/**
 * What reading a {@code folder:} dataset does with image files that cannot be decoded (damaged,
 * empty, not an image, or larger than the decoder accepts). Either way every file is tried first,
 * so one pass finds them all.
 */
public enum BadImagePolicy {

    /** Refuse the dataset, listing every unreadable file with its reason (the default). */
    STOP,

    /** Leave the unreadable files out, and report them and their count with the dataset. */
    SKIP;

    /** The option values {@link #parse} accepts. */
    public static final List<String> NAMES = NameSuggestions.optionNames(values());

    /**
     * Parses the option value {@code stop} or {@code skip}.
     *
     * @param value the value, case-insensitive
     * @return the policy
     * @throws IllegalArgumentException naming {@code --bad-images} and the closest value for anything else
     */
    public static BadImagePolicy parse(String value) {
        return NameSuggestions.resolveConstant("--bad-images", value, BadImagePolicy.class);
    }

    /** Returns the option value, {@code stop} or {@code skip}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
