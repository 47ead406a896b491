package io.anglearn.train;

/**
 * The embedded features of a dataset, row-major, with their labels and the head's scores.
 *
 * @param features {@code count × dim} features
 * @param scores {@code count × numClasses} head outputs ({@code W·x} or {@code cos θ}); empty for a
 *     network without a classifier head
 * @param labels {@code count} labels
 * @param count the number of samples
 * @param dim d, the feature dimension
 * @param numClasses C, the width of the head output: 0 for a network without a classifier head
 */
public record Embeddings(float[] features, float[] scores, int[] labels, int count, int dim, int numClasses) {

    /** Checks the lengths. */
    public Embeddings {
        if ((long) count * dim != features.length || (long) count * numClasses != scores.length
                || labels.length != count) {
            throw new IllegalArgumentException("embeddings of " + count + " samples need " + (long) count * dim
                    + " features, " + (long) count * numClasses + " scores and " + count + " labels, got "
                    + features.length + ", " + scores.length + " and " + labels.length);
        }
    }
}
