package io.anglearn.index;

import java.util.List;

/**
 * What produced the embeddings of an {@link EmbeddingIndex}: the trained run, the checkpoint (by
 * step and by the SHA-256 of its parameter file, which identifies the weights), the embedding
 * dimension and the run's class names. An index holds embeddings of one checkpoint only; adding
 * embeddings with a different provenance is refused ({@link #sameWeights}).
 *
 * @param runDir the run directory, as an absolute path
 * @param checkpointStep the optimiser step of the checkpoint
 * @param checkpointDigest the SHA-256 (hex) of the checkpoint's parameter file
 * @param dimension d, the embedding dimension
 * @param classNames the run's class names, in label order
 */
public record IndexProvenance(String runDir, long checkpointStep, String checkpointDigest, int dimension,
        List<String> classNames) {

    /** Checks and copies the fields. */
    public IndexProvenance {
        if (runDir == null || checkpointDigest == null || classNames == null) {
            throw new IllegalArgumentException("an index provenance needs a run, a checkpoint digest and class names");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("the embedding dimension must be >= 1, got " + dimension);
        }
        classNames = List.copyOf(classNames);
    }

    /**
     * Whether embeddings of the other provenance can share an index with these: the same weights
     * (checkpoint digest) and dimension. The run's path may differ (a moved run directory).
     *
     * @param other the other provenance
     * @return true if they are the same weights
     */
    public boolean sameWeights(IndexProvenance other) {
        return checkpointDigest.equals(other.checkpointDigest) && dimension == other.dimension;
    }

    /** Returns a one-line description for messages. */
    public String describe() {
        return "run " + runDir + ", checkpoint at step " + checkpointStep + " (SHA-256 "
                + checkpointDigest.substring(0, Math.min(12, checkpointDigest.length())) + "…), dimension " + dimension;
    }
}
