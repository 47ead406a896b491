package io.anglearn.data;

import io.anglearn.util.NameSuggestions;
import java.util.List;
import java.util.Locale;

/** Which of CIFAR-100's two labels to train on. */
public enum LabelKind {
    /** The 100 fine classes (the default, and what the paper reports). */
    FINE,
    /** The 20 coarse superclasses. */
    COARSE;

    /** The names {@link #parse} accepts. */
    public static final List<String> NAMES = List.of("fine", "coarse");

    /**
     * Parses {@code fine} or {@code coarse}, ignoring case.
     *
     * @param name the name
     * @return the label kind
     * @throws IllegalArgumentException naming {@code --label} for another name, suggesting the closest
     */
    public static LabelKind parse(String name) {
        return valueOf(NameSuggestions.resolve("--label", name, NAMES).toUpperCase(Locale.ROOT));
    }
}
