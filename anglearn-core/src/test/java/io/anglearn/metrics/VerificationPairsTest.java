package io.anglearn.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pairs for verification: all positives up to the cap, as many distinct negatives, seeded. */
class VerificationPairsTest {

    @Test
    void allPositivesWhenUnderTheCapAndAsManyNegatives() {
        int[] labels = {0, 1, 0, 2, 1, 0};
        VerificationPairs p = VerificationPairs.build(labels, 100, 7);
        // Class 0: {0,2,5} gives 3 pairs, class 1: {1,4} one; class 2 none.
        assertArrayEquals(new int[] {0, 0, 1, 2}, java.util.Arrays.copyOf(p.first(), 4));
        assertArrayEquals(new int[] {2, 5, 4, 5}, java.util.Arrays.copyOf(p.second(), 4));
        assertEquals(8, p.size());
        assertEquals(4, p.positives());
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < p.size(); i++) {
            assertEquals(p.same()[i], labels[p.first()[i]] == labels[p.second()[i]]);
            assertTrue(p.first()[i] < p.second()[i]);
            assertTrue(seen.add((long) p.first()[i] << 32 | p.second()[i]), "pair repeated");
        }
    }

    @Test
    void theCapIsDrawnWithoutRepeatsAndTheSeedFixesTheDraw() {
        int[] labels = new int[400];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 4;
        }
        VerificationPairs a = VerificationPairs.build(labels, 500, 3);
        VerificationPairs b = VerificationPairs.build(labels, 500, 3);
        VerificationPairs c = VerificationPairs.build(labels, 500, 4);
        assertEquals(1000, a.size());
        assertEquals(500, a.positives());
        assertArrayEquals(a.first(), b.first());
        assertArrayEquals(a.second(), b.second());
        assertNotEquals(java.util.Arrays.toString(a.first()), java.util.Arrays.toString(c.first()));
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.same()[i], labels[a.first()[i]] == labels[a.second()[i]]);
            assertTrue(seen.add((long) a.first()[i] << 32 | a.second()[i]));
        }
    }

    @Test
    void cosinesOfPairs() {
        VerificationPairs p = new VerificationPairs(new int[] {0, 0}, new int[] {1, 2}, new boolean[] {true, false});
        float[] f = {1, 0, 2, 0, 0, 3};
        double[] cos = p.cosines(f, 2);
        assertEquals(1.0, cos[0], 1e-15);
        assertEquals(0.0, cos[1], 1e-15);
    }

    @Test
    void labelsWithoutPairsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> VerificationPairs.build(new int[] {0, 1, 2}, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> VerificationPairs.build(new int[] {0, 0, 0}, 10, 1));
    }
}
