package io.anglearn.train;

import java.nio.file.Path;

/**
 * Where a run directory's training stands, as its newest intact checkpoint records it
 * ({@code io.anglearn.run.TrainingRun.status}).
 *
 * @param runDir the run directory
 * @param epochs the epochs its configuration asks for
 * @param epochsDone the epochs finished
 * @param step the optimiser steps taken
 * @param checkpoint the newest intact checkpoint's folder name, or null when there is none
 * @param last the last finished epoch's record, or null when none has finished
 */
public record RunStatus(Path runDir, int epochs, int epochsDone, long step, String checkpoint, EpochRecord last) {

    /** Returns whether every configured epoch has been trained (and evaluated). */
    public boolean finished() {
        return checkpoint != null && epochsDone >= epochs;
    }
}
