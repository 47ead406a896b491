package io.anglearn.study;

import static io.anglearn.util.SuggestionAssertions.suggests;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Study and scale names: a typo is refused with the closest name, and case does not matter. */
class StudyNamesTest {

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
