package io.anglearn.index;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The images an index is built from, as {@code anglearn index build --images SPEC} names them: a
 * split of the run's own dataset ({@code test}, {@code train}, or {@code split:NAME}), or a folder
 * of image files ({@code folder:PATH}, or any other value, taken as a path).
 *
 * @param split the split's name, or null for a folder
 * @param folder the folder, or null for a split
 */
public record ImageSet(String split, Path folder) {

    /** Checks that exactly one of the two is set. */
    public ImageSet {
        if ((split == null) == (folder == null)) {
            throw new IllegalArgumentException("an image set is either a split or a folder");
        }
    }

    /**
     * Parses a specification.
     *
     * @param spec {@code test}, {@code train}, {@code split:NAME}, {@code folder:PATH} or a path
     * @return the image set
     * @throws IllegalArgumentException naming {@code --images} when the value is empty or the split unknown
     */
    public static ImageSet parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--images needs a split (test, train) or a folder of images");
        }
        String s = spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("split:")) {
            String name = lower.substring(6);
            if (!name.equals("test") && !name.equals("train")) {
                throw new IllegalArgumentException("--images " + spec + ": unknown split '" + name + "', expected test or train");
            }
            return new ImageSet(name, null);
        }
        if (lower.equals("test") || lower.equals("train")) {
            return new ImageSet(lower, null);
        }
        if (lower.startsWith("folder:")) {
            return new ImageSet(null, Path.of(s.substring(7)));
        }
        return new ImageSet(null, Path.of(s));
    }

    /** Whether this is a split of the run's dataset. */
    public boolean isSplit() {
        return split != null;
    }

    /** Returns how the index records it: {@code split test} or {@code folder /abs/path}. */
    public String description() {
        return isSplit() ? "split " + split : "folder " + folder.toAbsolutePath().normalize();
    }

    /** Returns a name for the index folder when none is given: the split, or the folder's name. */
    public String defaultIndexName() {
        if (isSplit()) {
            return split;
        }
        Path name = folder.toAbsolutePath().normalize().getFileName();
        return name == null ? "images" : name.toString();
    }
}
