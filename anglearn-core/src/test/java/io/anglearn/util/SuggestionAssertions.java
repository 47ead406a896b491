package io.anglearn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** The shape every refusal of a mistyped name has: one line naming the option and the value, the closest name, the list. */
public final class SuggestionAssertions {

    private SuggestionAssertions() {}

    /**
     * Asserts that {@code call} refuses {@code typo} given to {@code option} and suggests {@code suggestion}.
     *
     * @param call the call with the typo
     * @param option the option's name, e.g. {@code --loss}
     * @param typo the value given
     * @param suggestion the closest valid name
     */
    public static void suggests(Executable call, String option, String typo, String suggestion) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, option + " " + typo);
        String m = e.getMessage();
        assertTrue(m.contains(option) && m.contains("'" + typo + "'"), "names the option and the value: " + m);
        assertTrue(m.contains("did you mean '" + suggestion + "'"), "suggests " + suggestion + ": " + m);
        assertTrue(m.contains("Expected one of: "), "lists the valid names: " + m);
        assertEquals(1, m.lines().count(), "one line: " + m);
    }
}
