package io.anglearn.loss.miners;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Triplets of batch indices: an anchor, a positive of the anchor's class and a negative of
 * another class.
 *
 * @param anchors the anchor of each triplet
 * @param positives the positive of each triplet
 * @param negatives the negative of each triplet
 */
public record MinedTriplets(int[] anchors, int[] positives, int[] negatives) implements Mined {

    /**
     * The most triplets a loss evaluates at once ({@value}): every triplet of a batch of 256
     * images of 10 classes is about 1.5 million, of 512 images about 12 million, which a miner
     * reduces to one or a few per anchor.
     */
    public static final int MAX_TRIPLETS = 1 << 23;

    /** Checks that the three arrays have one entry per triplet. */
    public MinedTriplets {
        Objects.requireNonNull(anchors, "anchors");
        Objects.requireNonNull(positives, "positives");
        Objects.requireNonNull(negatives, "negatives");
        if (anchors.length != positives.length || anchors.length != negatives.length) {
            throw new IllegalArgumentException("triplets need one anchor, positive and negative each, got "
                    + anchors.length + ", " + positives.length + " and " + negatives.length);
        }
    }

    /**
     * Returns every triplet of a batch: for each anchor (ascending), each other sample of its class
     * (ascending), each sample of another class (ascending).
     *
     * @param labels the batch's labels
     * @return all triplets
     * @throws IllegalArgumentException if there are more than {@link #MAX_TRIPLETS}
     */
    public static MinedTriplets all(int[] labels) {
        int n = labels.length;
        long count = 0;
        for (int a = 0; a < n; a++) {
            long same = 0;
            for (int j = 0; j < n; j++) {
                if (labels[j] == labels[a]) {
                    same++;
                }
            }
            count += (same - 1) * (n - same);
        }
        checkCount(count);
        int[] an = new int[(int) count];
        int[] po = new int[(int) count];
        int[] ne = new int[(int) count];
        int k = 0;
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                if (p == a || labels[p] != labels[a]) {
                    continue;
                }
                for (int q = 0; q < n; q++) {
                    if (labels[q] != labels[a]) {
                        an[k] = a;
                        po[k] = p;
                        ne[k++] = q;
                    }
                }
            }
        }
        return new MinedTriplets(an, po, ne);
    }

    static void checkCount(long count) {
        if (count > MAX_TRIPLETS) {
            throw new IllegalArgumentException("the batch has " + count + " triplets, more than the " + MAX_TRIPLETS
                    + " a loss evaluates at once; mine them (--miner batch-hard or semi-hard) or use a smaller batch");
        }
    }

    /** Returns the number of triplets. */
    public int size() {
        return anchors.length;
    }

    /**
     * Returns the triplets' pairs: each distinct {@code (a, p)} as a positive pair and each distinct
     * {@code (a, n)} as a negative pair, in the order they first occur.
     */
    @Override
    public MinedPairs pairs() {
        Set<Long> pos = new LinkedHashSet<>();
        Set<Long> neg = new LinkedHashSet<>();
        for (int k = 0; k < anchors.length; k++) {
            pos.add(key(anchors[k], positives[k]));
            neg.add(key(anchors[k], negatives[k]));
        }
        return MinedPairs.of(unpack(pos), unpack(neg));
    }

    @Override
    public MinedTriplets triplets() {
        return this;
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    private static List<int[]> unpack(Set<Long> keys) {
        List<int[]> out = new ArrayList<>(keys.size());
        for (long k : keys) {
            out.add(new int[] {(int) (k >>> 32), (int) k});
        }
        return out;
    }
}
