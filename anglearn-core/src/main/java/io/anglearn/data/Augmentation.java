package io.anglearn.data;

import java.util.List;

/**
 * Training-time augmentation of the "+" variants (CIFAR-10+, CIFAR-100+), as in He et al.,
 * "Deep Residual Learning for Image Recognition" (CVPR 2016), section 4.2, and the angular-loss
 * paper's section 4.1: pad each side with {@code padding} zero pixels, crop a window of the
 * original size at a random offset, and flip it horizontally with probability 0.5.
 *
 * <p>Padding pixels are raw value 0 (black) before normalisation, as when padding the stored
 * image. Each sample's offsets and flip are a pure function of (seed, epoch, index in the
 * dataset), so a run is repeatable whatever the number of threads or their timing.
 *
 * @param padding zero pixels added on each side before cropping (standard: 4; 0 = no crop)
 * @param horizontalFlip flip each image left-right with probability 0.5 (standard: true)
 */
public record Augmentation(int padding, boolean horizontalFlip) {

    /** No augmentation. */
    public static final Augmentation NONE = new Augmentation(0, false);

    /** The standard CIFAR augmentation: 4-pixel zero padding, 32×32 random crop, random flip. */
    public static final Augmentation STANDARD = new Augmentation(4, true);

    /** Validates the padding. */
    public Augmentation {
        if (padding < 0 || padding > 64) {
            throw new IllegalArgumentException("augmentation padding must be in 0..64, got " + padding);
        }
    }

    /**
     * Says what the augmentation does, for people.
     *
     * @return {@code none}, or e.g. {@code random crop after 4-pixel padding, horizontal flip}
     */
    public String describe() {
        if (isIdentity()) {
            return "none";
        }
        List<String> parts = new java.util.ArrayList<>();
        if (padding > 0) {
            parts.add("random crop after " + padding + "-pixel zero padding");
        }
        if (horizontalFlip) {
            parts.add("horizontal flip");
        }
        return String.join(", ", parts);
    }

    /** Returns true when this augmentation leaves images unchanged. */
    public boolean isIdentity() {
        return padding == 0 && !horizontalFlip;
    }

    /**
     * Returns the random bits that decide one sample's transformation.
     *
     * @param seed the run's seed
     * @param epoch the epoch number
     * @param index the image's index in the dataset
     * @return 64 well-mixed bits
     */
    static long sampleBits(long seed, int epoch, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + (epoch + 1L) * 0xC2B2AE3D27D4EB4FL + index * 0x165667B19E3779F9L;
        // SplitMix64's finaliser (Steele, Lea and Flood, OOPSLA 2014).
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Writes one transformed, normalised image.
     *
     * @param px the dataset's pixels
     * @param src offset of the image's first byte
     * @param channels channels
     * @param height height
     * @param width width
     * @param lut per channel, the normalised float for each byte value
     * @param out the batch buffer
     * @param dst offset of the image's first float in {@code out}
     * @param bits the sample's random bits from {@link #sampleBits}
     */
    void apply(byte[] px, int src, int channels, int height, int width, float[][] lut, float[] out, int dst,
            long bits) {
        int span = 2 * padding + 1;
        int dy = (int) Long.remainderUnsigned(bits, span) - padding;
        int dx = (int) Long.remainderUnsigned(bits >>> 21, span) - padding;
        boolean flip = horizontalFlip && ((bits >>> 63) != 0);
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            float[] map = lut[c];
            float zero = map[0];
            int s = src + c * plane;
            int d = dst + c * plane;
            for (int y = 0; y < height; y++) {
                int sy = y + dy;
                int row = d + y * width;
                if (sy < 0 || sy >= height) {
                    java.util.Arrays.fill(out, row, row + width, zero);
                    continue;
                }
                int srow = s + sy * width;
                for (int x = 0; x < width; x++) {
                    int sx = (flip ? width - 1 - x : x) + dx;
                    out[row + x] = sx < 0 || sx >= width ? zero : map[px[srow + sx] & 0xFF];
                }
            }
        }
    }
}
