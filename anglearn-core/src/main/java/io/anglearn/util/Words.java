package io.anglearn.util;

/** Counts in messages: "1 epoch", "3 epochs". */
public final class Words {

    private Words() {}

    /**
     * Returns the count followed by the noun, plural unless the count is exactly one.
     *
     * @param n the count
     * @param noun the noun in the singular; its plural adds an "s" (the nouns used with this do)
     * @return for example {@code "1 epoch"} or {@code "0 epochs"}
     */
    public static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}
