package io.anglearn.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Study and scale names: a typo is refused with the closest name, and case does not matter. */
class StudyNamesTest {

    private static void suggests(Executable call, String option, String typo, String suggestion) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, option + " " + typo);
        String m = e.getMessage();
        assertTrue(m.contains(option) && m.contains("'" + typo + "'"), "names the option and the value: " + m);
        assertTrue(m.contains("did you mean '" + suggestion + "'"), "suggests " + suggestion + ": " + m);
        assertTrue(m.contains("Expected one of: "), "lists the valid names: " + m);
        assertEquals(1, m.lines().count(), "one line: " + m);
    }

    @Test
    void typosSuggestTheClosestName() {
        suggests(() -> Studies.create("figure9", Scale.CPU, 1), "--study", "figure9", "figure5");
        suggests(() -> Scale.parse("papr"), "--scale", "papr", "paper");
    }

    @Test
    void namesResolveIgnoringCase() {
        assertEquals(Scale.PAPER, Scale.parse("Paper"));
        assertEquals("table5", Studies.create("Table5", Scale.CPU, 1).name());
    }
}
