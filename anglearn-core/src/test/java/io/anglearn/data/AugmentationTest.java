package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The random crop with zero padding and the horizontal flip, checked pixel by pixel. */
class AugmentationTest {

    /** Identity lookup: float value = byte value, so outputs can be compared with raw pixels. */
    private static float[][] identity(int channels) {
        float[][] lut = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = v;
            }
        }
        return lut;
    }

    private static byte[] image(int c, int h, int w) {
        byte[] px = new byte[c * h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (1 + i % 250); // never 0, so padding is recognisable
        }
        return px;
    }

    @Test
    void everyOutputPixelIsAShiftedOrFlippedSourcePixelOrPadding() {
        int c = 3;
        int h = 8;
        int w = 8;
        byte[] px = image(c, h, w);
        Augmentation aug = new Augmentation(2, true);
        Set<String> seen = new HashSet<>();
        for (int index = 0; index < 400; index++) {
            long bits = Augmentation.sampleBits(7, 1, index);
            float[] out = new float[c * h * w];
            aug.apply(px, 0, c, h, w, identity(c), out, 0, bits);
            // Recover the transformation by brute force: exactly one (dy, dx, flip) explains the output.
            int matches = 0;
            for (int dy = -2; dy <= 2; dy++) {
                for (int dx = -2; dx <= 2; dx++) {
                    for (boolean flip : new boolean[] {false, true}) {
                        if (explains(px, out, c, h, w, dy, dx, flip)) {
                            matches++;
                            seen.add(dy + "," + dx + "," + flip);
                        }
                    }
                }
            }
            assertEquals(1, matches, "sample " + index);
        }
        assertEquals(50, seen.size(), "all 5x5 offsets and both flips occur");
    }

    private static boolean explains(byte[] px, float[] out, int c, int h, int w, int dy, int dx, boolean flip) {
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sy = y + dy;
                    int sx = (flip ? w - 1 - x : x) + dx;
                    float expected = sy < 0 || sy >= h || sx < 0 || sx >= w ? 0 : px[ch * h * w + sy * w + sx] & 0xFF;
                    if (out[ch * h * w + y * w + x] != expected) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Test
    void flipsAboutHalfTheSamples() {
        int flips = 0;
        for (int i = 0; i < 10000; i++) {
            flips += Augmentation.sampleBits(42, 3, i) < 0 ? 1 : 0;
        }
        assertTrue(flips > 4800 && flips < 5200, "flips: " + flips);
    }

    @Test
    void dependsOnlyOnSeedEpochAndIndex() {
        assertEquals(Augmentation.sampleBits(1, 2, 3), Augmentation.sampleBits(1, 2, 3));
        assertNotEquals(Augmentation.sampleBits(1, 2, 3), Augmentation.sampleBits(1, 3, 3));
        assertNotEquals(Augmentation.sampleBits(1, 2, 3), Augmentation.sampleBits(2, 2, 3));
        assertNotEquals(Augmentation.sampleBits(1, 2, 3), Augmentation.sampleBits(1, 2, 4));
    }

    @Test
    void noneLeavesImagesUnchangedAndPaddingIsValidated() {
        byte[] px = image(1, 4, 4);
        float[] out = new float[16];
        Augmentation.NONE.apply(px, 0, 1, 4, 4, identity(1), out, 0, 12345L);
        float[] expected = new float[16];
        for (int i = 0; i < 16; i++) {
            expected[i] = px[i] & 0xFF;
        }
        assertArrayEquals(expected, out);
        assertTrue(Augmentation.NONE.isIdentity());
        assertEquals(4, Augmentation.STANDARD.padding());
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, false));
    }
}
