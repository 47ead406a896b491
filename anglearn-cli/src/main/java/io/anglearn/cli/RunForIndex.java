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
        TrainedRun r = TrainedRun.open(dir, "step-" + p.checkpointStep());
        if (!r.checkpointDigest().equals(p.checkpointDigest())) {
            String got = r.checkpointDigest();
            r.close();
            throw new IOException(RunFiles.checkpoints(dir).resolve(CheckpointStore.folderName(p.checkpointStep()))
                    + " has weights with SHA-256 " + got + ", but the index was built with " + p.checkpointDigest()
                    + "; queries must be embedded by the same weights");
        }
        return r;
    }
}
