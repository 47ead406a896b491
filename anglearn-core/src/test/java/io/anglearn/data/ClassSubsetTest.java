package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Class subsets: the option's syntax, and the images and labels they keep. */
class ClassSubsetTest {

    @Test
    void indicesAndRangesAreReadInAnyOrder() {
        ClassSubset s = ClassSubset.parse("--train-classes", " 7, 0-2 ,9");
        assertArrayEquals(new int[] {0, 1, 2, 7, 9}, s.classes());
        assertEquals("0-2,7,9", s.toString());
        assertEquals(5, s.size());
        assertEquals(ClassSubset.parse("--x", "0,1,2,7,9"), s, "equal whatever the spelling");
        assertNotEquals(ClassSubset.parse("--x", "0-2"), s);
        assertEquals("5-9", ClassSubset.parse("--test-classes", "5-9").toString());
    }

    @Test
    void malformedListsNameTheOption() {
        for (String bad : new String[] {"", " ", "a", "1-", "-1", "1-2-3", "1,,2", "1.5", "1 2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClassSubset.parse("--train-classes", bad), "'" + bad + "'");
            assertTrue(e.getMessage().startsWith("--train-classes takes class indices and ranges such as 0-4"),
                    e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassSubset.parse("--test-classes", "5-3"));
        assertEquals("--test-classes: the range 5-3 runs backwards", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClassSubset.parse("--test-classes", "0-4,3"));
        assertEquals("--test-classes: class 3 is listed twice in '0-4,3'", e.getMessage());
    }

    @Test
    void applyKeepsTheClassesImagesRelabelledInAscendingOrder() {
        // Image i holds the value i in each of its 4 pixels; labels cycle through 4 classes.
        int n = 12;
        byte[] px = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4;
            java.util.Arrays.fill(px, i * 4, i * 4 + 4, (byte) i);
        }
        ImageDataset d = new ImageDataset("toy", px, labels, 1, 2, 2, List.of("a", "b", "c", "d"));
        ImageDataset kept = ClassSubset.parse("--train-classes", "3,1").apply(d);
        assertEquals(List.of("b", "d"), kept.classNames());
        assertEquals("toy[classes 1,3]", kept.name());
        assertEquals(6, kept.size());
        int[] expectedImages = {1, 3, 5, 7, 9, 11};
        for (int k = 0; k < kept.size(); k++) {
            byte[] img = new byte[4];
            kept.copyImage(k, img, 0);
            assertEquals(expectedImages[k], img[0], "image order kept");
            assertEquals(labels[expectedImages[k]] == 1 ? 0 : 1, kept.label(k), "class 1 becomes 0, class 3 becomes 1");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassSubset.parse("--test-classes", "2-4").apply(d));
        assertEquals("--test-classes 2-4: class 4 is outside the 4 classes (0-3) of toy", e.getMessage());
    }
}
