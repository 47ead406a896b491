package io.anglearn.run;

import ai.djl.ndarray.NDManager;
import io.anglearn.model.TorchScriptBackbone;
import io.anglearn.rundir.RunManifest;
import io.anglearn.train.CheckpointStore;
import io.anglearn.train.EpochProgress;
import io.anglearn.train.EpochRecord;
import io.anglearn.train.Trainer;
import io.anglearn.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mutable state of an executing run: the epochs' records, the position within the current
 * epoch and the best evaluation so far; saved to and restored from a {@link CheckpointStore}
 * together with the trainer's parameters, optimiser and loss state.
 */
final class RunState {

    private final Trainer trainer;
    private final CheckpointStore store;
    private final Path runDir;
    private final List<EpochRecord> records = new ArrayList<>();
    private EpochProgress progress = new EpochProgress(1);
    private long bestStep = -1;
    private double bestTop1Error = Double.NaN;
    private double bestMapAtR = Double.NaN;
    private String configSha256;

    RunState(Trainer trainer, CheckpointStore store, Path runDir) {
        this.trainer = trainer;
        this.store = store;
        this.runDir = runDir;
    }

    /** Returns the position: the epoch in progress (or the next one) and its running totals. */
    EpochProgress progress() {
        return progress;
    }

    /** Returns the optimiser steps taken. */
    long steps() {
        return trainer.steps();
    }

    /** Returns the records of the finished epochs. */
    List<EpochRecord> records() {
        return List.copyOf(records);
    }

    /**
     * Records a finished epoch: keeps its record, moves to the next epoch, and takes the current
     * step as the best when the epoch's evaluation is the best so far (lowest top-1 error, or
     * highest MAP@R when evaluated by retrieval).
     */
    void finishEpoch(EpochRecord r) {
        records.add(r);
        progress = new EpochProgress(r.epoch() + 1);
        if (r.quality() != null ? !(r.mapAtR() <= bestMapAtR) : r.evaluated() && !(r.testTop1Error() >= bestTop1Error)) {
            bestTop1Error = r.testTop1Error();
            bestMapAtR = r.mapAtR();
            bestStep = trainer.steps();
        }
    }

    /**
     * Writes a checkpoint of the current step.
     *
     * @return its folder
     * @throws IOException if it cannot be written; earlier checkpoints are then intact
     */
    Path save() throws IOException {
        TrainingState state = TrainingState.of(trainer.steps(), progress, records, bestStep, bestTop1Error,
                trainer.parameterNames(), configSha());
        byte[] module = trainer.network().backbone() instanceof TorchScriptBackbone t ? t.moduleBytes() : null;
        return store.save(state, trainer.parameterArrays(), trainer.optimizer().state(), trainer.lossState(), module);
    }

    /** config.json is written once, before the first checkpoint: hash it once. */
    private String configSha() throws IOException {
        if (configSha256 == null) {
            configSha256 = RunManifest.read(runDir).sha256();
        }
        return configSha256;
    }

    /**
     * Restores the trainer and this state from a checkpoint.
     *
     * @param ckpt the checkpoint
     * @throws IOException if it does not fit this run; the message names it
     */
    void restore(CheckpointStore.Checkpoint ckpt) throws IOException {
        TrainingState s = ckpt.state();
        try (NDManager tmp = trainer.parameterArrays().get(0).getManager().newSubManager()) {
            trainer.restoreParameters(s.parameterNames(), ckpt.read(CheckpointStore.MODEL_FILE, tmp));
            trainer.optimizer().restore(ckpt.read(CheckpointStore.OPTIMIZER_FILE, tmp), s.step());
            trainer.restoreLossState(Files.readAllBytes(ckpt.dir().resolve(CheckpointStore.LOSS_FILE)));
        } catch (IOException | IllegalArgumentException e) {
            // Say which checkpoint did not fit this run (a wrong shape, or a loss state it cannot read).
            throw new IOException(ckpt.dir() + ": cannot restore this checkpoint (" + e.getMessage() + ")", e);
        }
        records.clear();
        records.addAll(s.records());
        progress = s.progress();
        bestStep = s.bestStep();
        bestTop1Error = s.bestStep() < 0 ? Double.NaN : s.bestTop1Error();
        // The best MAP@R is the highest of the records: the checkpoint keeps only the best step.
        bestMapAtR = records.stream().mapToDouble(EpochRecord::mapAtR).filter(v -> !Double.isNaN(v)).max()
                .orElse(Double.NaN);
    }
}
