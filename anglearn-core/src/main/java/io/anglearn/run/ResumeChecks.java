package io.anglearn.run;

import io.anglearn.rundir.ResolvedSettings;
import io.anglearn.rundir.RunFiles;
import io.anglearn.rundir.RunManifest;
import io.anglearn.model.TorchScriptBackbone;
import io.anglearn.train.CheckpointStore;
import io.anglearn.train.TrainingConfig;
import io.anglearn.util.Words;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;

/**
 * What continuing a run must find as the run left it: the same TorchScript module, the same data,
 * a {@code config.json} its checkpoint was written under, and, for an extension, the finished
 * run it was asked to extend. Each check compares with what the run's {@link RunManifest}
 * recorded and refuses with a message naming the file.
 */
final class ResumeChecks {

    private ResumeChecks() {}

    /**
     * Refuses to resume with a TorchScript module other than the one the run started with: its
     * SHA-256 must be the one {@code config.json} recorded.
     */
    static void sameBackbone(Path runDir, Path module) throws IOException {
        if (!RunFiles.isRun(runDir)) {
            return;
        }
        RunManifest manifest = RunManifest.read(runDir);
        ResolvedSettings resolved = manifest.resolved();
        if (resolved == null || resolved.backboneSha256() == null) {
            return; // written before the run's first checkpoint was: nothing to continue
        }
        String recorded = resolved.backboneSha256();
        String now = TorchScriptBackbone.sha256(module);
        if (!recorded.equals(now)) {
            throw new IOException(module + ": SHA-256 " + now + " differs from that of the module this run was trained"
                    + " with (" + recorded + ", in " + manifest.file() + "); resuming would continue another network."
                    + " Restore the original file, or start a new run with this module");
        }
    }

    /** Refuses to resume on data other than the run started with (by the SHA-256 of the loaded splits). */
    static void sameData(Path runDir, String trainSum, String testSum) throws IOException {
        RunManifest manifest = RunManifest.read(runDir);
        ResolvedSettings resolved = manifest.resolved();
        if (resolved == null || resolved.trainSha256() == null) {
            return;
        }
        if (!resolved.trainSha256().equals(trainSum) || !resolved.testSha256().equals(testSum)) {
            throw new IOException(manifest.file() + ": the dataset differs from the one this run started with (SHA-256"
                    + " of the loaded splits changed); resuming would mix data");
        }
    }

    /**
     * Refuses a checkpoint written under another {@code config.json} than the one on disk now (or
     * one the run was extended from).
     */
    static void configUnchanged(Path runDir, CheckpointStore.Checkpoint ckpt) throws IOException {
        String recorded = ckpt.state().configSha256();
        if (recorded == null) {
            return;
        }
        RunManifest manifest = RunManifest.read(runDir);
        ResolvedSettings resolved = manifest.resolved();
        if (!recorded.equals(manifest.sha256())
                && (resolved == null || !resolved.previousConfigs().contains(recorded))) {
            throw new IOException(manifest.file() + " was changed after " + ckpt.dir().getFileName() + " was written"
                    + " (its SHA-256 differs from the one the checkpoint recorded): restore it, or start a new run"
                    + " from it with --config");
        }
    }

    /**
     * Records an extension in config.json before training on: the new epochs and schedule restart,
     * and the SHA-256 of the configuration the run's checkpoints were written under, which resuming
     * then still accepts. Checked again under the run's lock: another process may have extended or
     * resumed it meanwhile.
     */
    static void recordExtension(Path runDir, CheckpointStore checkpoints, TrainingConfig extended, int extendedFrom)
            throws IOException {
        RunManifest manifest = RunManifest.read(runDir);
        Optional<CheckpointStore.Checkpoint> ckpt = checkpoints.latestValid(new ArrayList<>());
        TrainingConfig onDisk = TrainingConfig.read(manifest.file());
        if (ckpt.isEmpty() || onDisk.epochs != extendedFrom || ckpt.get().state().records().size() < extendedFrom) {
            throw new IOException(runDir + " changed while it was being extended: it no longer holds a finished run of "
                    + Words.count(extendedFrom, "epoch"));
        }
        manifest.extend(extended, new ResolvedSettings.Extension(extendedFrom, extended.epochs, Instant.now().toString()));
    }
}
