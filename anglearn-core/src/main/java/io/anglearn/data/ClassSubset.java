package io.anglearn.data;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A set of a dataset's classes, written as class indices and ranges, e.g. {@code 0-4} or
 * {@code 0,2,7-9} ({@code --train-classes}, {@code --test-classes}). The indices are those of the
 * dataset's labels, as {@code anglearn data info} lists them (for {@code folder:} datasets, the
 * class sub-folders in name order).
 *
 * <p>{@link #apply} keeps the images of the set's classes and relabels them {@code 0..P−1} in
 * ascending order of their original index, so a network trained on a subset has a head of P
 * classes and the same subset always gives the same labels.
 */
public final class ClassSubset {

    private final String option;
    private final int[] classes;

    private ClassSubset(String option, int[] classes) {
        this.option = option;
        this.classes = classes;
    }

    /**
     * Reads a class list.
     *
     * @param option the option it came from, for messages, e.g. {@code --train-classes}
     * @param text indices and ranges {@code a-b} (inclusive), separated by commas
     * @return the set, its classes ascending
     * @throws IllegalArgumentException if the text is empty or malformed, a range runs backwards, or
     *     a class is listed twice; the message names the option
     */
    public static ClassSubset parse(String option, String text) {
        String expected = option + " takes class indices and ranges such as 0-4 or 0,2,7-9, got '" + text + "'";
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(expected);
        }
        BitSet out = new BitSet();
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            String[] ends = p.split("-", -1);
            if (p.isEmpty() || ends.length > 2) {
                throw new IllegalArgumentException(expected);
            }
            int from = index(ends[0], expected);
            int to = ends.length == 2 ? index(ends[1], expected) : from;
            if (to < from) {
                throw new IllegalArgumentException(option + ": the range " + p + " runs backwards");
            }
            int twice = out.nextSetBit(from);
            if (twice >= 0 && twice <= to) {
                throw new IllegalArgumentException(option + ": class " + twice + " is listed twice in '" + text + "'");
            }
            out.set(from, to + 1);
        }
        return new ClassSubset(option, out.stream().toArray());
    }

    /**
     * Returns a set of given classes.
     *
     * @param option the option it stands for, for messages
     * @param classes distinct non-negative class indices, in any order
     * @return the set, its classes ascending
     * @throws IllegalArgumentException if an index is negative or repeated
     */
    public static ClassSubset of(String option, int[] classes) {
        BitSet out = new BitSet();
        for (int c : classes) {
            if (c < 0 || out.get(c)) {
                throw new IllegalArgumentException(option + ": class " + c + (c < 0 ? " is negative" : " is listed twice"));
            }
            out.set(c);
        }
        return new ClassSubset(option, out.stream().toArray());
    }

    /**
     * Returns the classes of {@code 0..numClasses−1} that are not in this set.
     *
     * @param newOption the option the complement stands for, for messages
     * @param numClasses C
     * @return the other classes
     */
    public ClassSubset complement(String newOption, int numClasses) {
        BitSet out = new BitSet();
        out.set(0, numClasses);
        for (int c : classes) {
            if (c < numClasses) {
                out.clear(c);
            }
        }
        return new ClassSubset(newOption, out.stream().toArray());
    }

    private static int index(String s, String expected) {
        String t = s.trim();
        if (!t.matches("\\d{1,6}")) {
            throw new IllegalArgumentException(expected);
        }
        return Integer.parseInt(t);
    }

    /** Returns the classes, ascending. */
    public int[] classes() {
        return classes.clone();
    }

    /** Returns the number of classes in the set. */
    public int size() {
        return classes.length;
    }

    /**
     * Keeps a split's images of these classes, relabelled {@code 0..P−1}.
     *
     * @param data the split
     * @return the subset
     * @throws IllegalArgumentException naming the option if a class is not one of the split's
     */
    public ImageDataset apply(ImageDataset data) {
        int c = data.numClasses();
        for (int k : classes) {
            if (k >= c) {
                throw new IllegalArgumentException(option + " " + this + ": class " + k + " is outside the "
                        + c + " classes (0-" + (c - 1) + ") of " + data.name());
            }
        }
        return data.keepClasses(classes, "[classes " + this + "]");
    }

    /** Returns the set in its shortest form, ranges joined, e.g. {@code 0-4,7}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < classes.length; i++) {
            int j = i;
            while (j + 1 < classes.length && classes[j + 1] == classes[j] + 1) {
                j++;
            }
            b.append(b.length() == 0 ? "" : ",").append(classes[i]);
            if (j > i) {
                b.append('-').append(classes[j]);
            }
            i = j;
        }
        return b.toString();
    }

    /** Two sets are equal when they hold the same classes, however written. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ClassSubset other && Arrays.equals(classes, other.classes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(classes);
    }

    /** Returns the option this set came from, e.g. {@code --train-classes}. */
    public String option() {
        return option;
    }
}
