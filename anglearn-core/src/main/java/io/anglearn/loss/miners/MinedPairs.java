package io.anglearn.loss.miners;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Positive pairs (two samples of one class) and negative pairs (samples of two classes), as
 * indices into a batch. Pairs are ordered: {@code (i, j)} has anchor i, and {@code (j, i)} is
 * another pair.
 *
 * @param positiveAnchors the anchor of each positive pair
 * @param positives the other sample of each positive pair, of the anchor's class
 * @param negativeAnchors the anchor of each negative pair
 * @param negatives the other sample of each negative pair, of another class
 */
public record MinedPairs(int[] positiveAnchors, int[] positives, int[] negativeAnchors, int[] negatives)
        implements Mined {

    /** Checks that each pair has both its ends. */
    public MinedPairs {
        Objects.requireNonNull(positiveAnchors, "positiveAnchors");
        Objects.requireNonNull(positives, "positives");
        Objects.requireNonNull(negativeAnchors, "negativeAnchors");
        Objects.requireNonNull(negatives, "negatives");
        if (positiveAnchors.length != positives.length || negativeAnchors.length != negatives.length) {
            throw new IllegalArgumentException("pairs need as many anchors as partners: " + positiveAnchors.length
                    + " and " + positives.length + " positive, " + negativeAnchors.length + " and "
                    + negatives.length + " negative");
        }
    }

    /**
     * Returns every ordered pair {@code (i, j)}, i ≠ j, of a batch: positive when the labels are
     * equal, negative otherwise; in row-major order.
     *
     * @param labels the batch's labels
     * @return all pairs
     */
    public static MinedPairs all(int[] labels) {
        int n = labels.length;
        List<int[]> pos = new ArrayList<>();
        List<int[]> neg = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    (labels[i] == labels[j] ? pos : neg).add(new int[] {i, j});
                }
            }
        }
        return of(pos, neg);
    }

    static MinedPairs of(List<int[]> pos, List<int[]> neg) {
        int[] pa = new int[pos.size()];
        int[] pb = new int[pos.size()];
        for (int k = 0; k < pa.length; k++) {
            pa[k] = pos.get(k)[0];
            pb[k] = pos.get(k)[1];
        }
        int[] na = new int[neg.size()];
        int[] nb = new int[neg.size()];
        for (int k = 0; k < na.length; k++) {
            na[k] = neg.get(k)[0];
            nb[k] = neg.get(k)[1];
        }
        return new MinedPairs(pa, pb, na, nb);
    }

    /** Returns the number of positive pairs. */
    public int positiveCount() {
        return positives.length;
    }

    /** Returns the number of negative pairs. */
    public int negativeCount() {
        return negatives.length;
    }

    @Override
    public MinedPairs pairs() {
        return this;
    }

    /**
     * Combines the pairs into triplets: every {@code (a, p, n)} whose {@code (a, p)} is a positive
     * pair and {@code (a, n)} a negative pair with the same anchor. Anchors ascending; for each, its
     * positive pairs in their order, each with its negative pairs in their order.
     *
     * @throws IllegalArgumentException if there would be more than {@link MinedTriplets#MAX_TRIPLETS}
     */
    @Override
    public MinedTriplets triplets() {
        TreeMap<Integer, List<Integer>> posOf = group(positiveAnchors, positives);
        TreeMap<Integer, List<Integer>> negOf = group(negativeAnchors, negatives);
        long count = 0;
        for (var e : posOf.entrySet()) {
            count += (long) e.getValue().size() * negOf.getOrDefault(e.getKey(), List.of()).size();
        }
        MinedTriplets.checkCount(count);
        int[] a = new int[(int) count];
        int[] p = new int[(int) count];
        int[] ng = new int[(int) count];
        int k = 0;
        for (var e : posOf.entrySet()) {
            for (int pi : e.getValue()) {
                for (int ni : negOf.getOrDefault(e.getKey(), List.of())) {
                    a[k] = e.getKey();
                    p[k] = pi;
                    ng[k++] = ni;
                }
            }
        }
        return new MinedTriplets(a, p, ng);
    }

    private static TreeMap<Integer, List<Integer>> group(int[] anchors, int[] others) {
        TreeMap<Integer, List<Integer>> out = new TreeMap<>();
        for (int k = 0; k < anchors.length; k++) {
            out.computeIfAbsent(anchors[k], x -> new ArrayList<>()).add(others[k]);
        }
        return out;
    }
}
