package io.anglearn.index;

/**
 * One item found by a search of an {@link EmbeddingIndex}.
 *
 * @param ordinal the item's position in the index, in the order items were added (from 0)
 * @param label its class label, or -1 when it has none
 * @param source where its image came from: a file path, or {@code split#i} for image i of a dataset split
 * @param cosine the cosine similarity of its embedding to the query's, in [-1, 1]
 */
public record SearchHit(long ordinal, int label, String source, double cosine) {

    /**
     * Returns the angle between the two embeddings, in degrees.
     *
     * @return arccos of the cosine (clamped to [-1, 1]), in [0, 180]
     */
    public double angleDegrees() {
        return Math.toDegrees(Math.acos(Math.max(-1.0, Math.min(1.0, cosine))));
    }
}
