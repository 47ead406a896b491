package io.anglearn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WordsTest {

    @Test
    void oneIsSingularEveryOtherCountPlural() {
        assertEquals("1 epoch", Words.count(1, "epoch"));
        assertEquals("0 epochs", Words.count(0, "epoch"));
        assertEquals("2 epochs", Words.count(2, "epoch"));
        assertEquals("-1 epochs", Words.count(-1, "epoch"));
        assertEquals("10000000000 steps", Words.count(10_000_000_000L, "step"));
    }
}
