package io.anglearn.loss.miners;

/**
 * Selects the informative pairs or triplets of a batch for a pair loss.
 *
 * <p>A miner is stateless: the same distances and labels always give the same tuples.
 */
public interface Miner {

    /** Returns the miner's short name, as {@link Miners} knows it, e.g. {@code batch-hard}. */
    String name();

    /**
     * Mines a batch.
     *
     * @param distances {@code n×n} pairwise distances, row-major, lower meaning more alike: the
     *     distance of the loss the miner serves, without gradient
     * @param labels {@code n} class labels
     * @return the selected tuples, with indices into the batch
     * @throws IllegalArgumentException if the distances are not {@code n×n}
     */
    Mined mine(double[] distances, int[] labels);

    /**
     * Checks that {@code distances} is a square matrix over the labels' samples.
     *
     * @param miner the miner's name, for the message
     * @param distances the distances
     * @param labels the labels
     * @return n, the number of samples
     */
    static int checkSquare(String miner, double[] distances, int[] labels) {
        int n = labels.length;
        if (distances.length != (long) n * n) {
            throw new IllegalArgumentException(miner + ": expected " + n + "×" + n + " distances for " + n
                    + " labels, got " + distances.length + " values");
        }
        return n;
    }
}
