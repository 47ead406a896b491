package io.anglearn.cli;

import io.anglearn.index.IndexProvenance;
import io.anglearn.run.TrainedRun;
import io.anglearn.rundir.RunFiles;
import io.anglearn.train.CheckpointStore;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens the trained run whose network made an index's embeddings: the run the index records (or
 * the one given, for a moved run directory), at the recorded checkpoint, checked by its digest.
 */
final class RunForIndex {

    private RunForIndex() {}

    /**
     * Opens the run.
     *
     * @param p the index's provenance
     * @param runOverride the run directory given with --run, or null for the recorded one
     * @return the run; the caller closes it
     * @throws IOException if the run cannot be opened or its checkpoint's weights differ from the index's
     */
    static TrainedRun open(IndexProvenance p, Path runOverride) throws IOException {
        Path dir = runOverride != null ? runOverride : Path.of(p.runDir());
        String builtBy = "the index was built by run " + p.runDir() + " at checkpoint step " + p.checkpointStep();
        TrainedRun r;
        try {
            r = TrainedRun.open(dir, "step-" + p.checkpointStep());
        } catch (IOException | IllegalArgumentException e) {
            // Name the run that built the index: a missing checkpoint alone does not say which run to give.
            throw new IOException(builtBy + (runOverride != null ? "; --run " + runOverride + " cannot embed its queries"
                    : ", which cannot be opened (give --run DIR if it moved)") + ": " + e.getMessage(), e);
        }
        if (!r.checkpointDigest().equals(p.checkpointDigest())) {
            String got = r.checkpointDigest();
            r.close();
            throw new IOException(RunFiles.checkpoints(dir).resolve(CheckpointStore.folderName(p.checkpointStep()))
                    + " has weights with SHA-256 " + got + ", but the index was built with " + p.checkpointDigest()
                    + " (" + builtBy + "); queries must be embedded by the same weights");
        }
        return r;
    }
}
