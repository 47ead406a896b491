package io.anglearn.cli;

import io.anglearn.rundir.RunFiles;
import io.anglearn.train.CheckpointStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code anglearn train} says when Ctrl-C (or SIGTERM) stops it: where training was, the
 * last checkpoint, and the command that continues the run, on the terminal and in the run's
 * {@code train.log}. It runs as a JVM shutdown hook, so the run stops as it always has (exit
 * status 130 or 143, resuming bit-identically from the checkpoint) and only the message is new.
 */
final class TrainingInterrupted {

    private volatile Path runDir;
    private volatile int epoch;
    private volatile int batch;
    private volatile int batches;
    private volatile long step;
    private volatile boolean finished;

    /** Records the run directory, once the run has started. */
    void started(Path dir) {
        runDir = dir;
    }

    /** Records the epoch starting and its number of batches. */
    void epoch(int e, int n) {
        epoch = e;
        batches = n;
        batch = 0;
    }

    /** Records a finished batch. */
    void batch(int e, int b) {
        epoch = e;
        batch = b;
    }

    /** Records the optimiser step. */
    void step(long s) {
        step = s;
    }

    /** Marks the run as finished: a later shutdown is not an interruption. */
    void finished() {
        finished = true;
    }

    /**
     * Says that the run was interrupted, and records it in its log; does nothing for a run that
     * finished or has not started.
     *
     * @param err where to say it (a newline first ends a progress bar's line)
     */
    void report(PrintWriter err) {
        Path dir = runDir;
        if (finished) {
            return;
        }
        if (dir == null) {
            err.println();
            err.println("interrupted before training started; nothing was trained");
            err.flush();
            return;
        }
        List<Path> checkpoints;
        try {
            checkpoints = new CheckpointStore(RunFiles.checkpoints(dir), 1).list();
        } catch (IOException e) {
            checkpoints = List.of();
        }
        List<String> lines = lines(dir, epoch, batch, batches, step, checkpoints);
        err.println();
        lines.forEach(err::println);
        err.flush();
        try {
            io.anglearn.run.TrainingRun.log(dir, lines.get(0) + "; " + lines.get(1));
        } catch (IOException e) {
            err.println("(could not record the interruption in " + RunFiles.log(dir) + ": " + e.getMessage() + ")");
            err.flush();
        }
    }

    /**
     * The message: where training was, the last checkpoint, how to continue.
     *
     * @param dir the run directory
     * @param epoch the epoch being trained (0 before the first)
     * @param batch batches of it done
     * @param batches its batches
     * @param step optimiser steps done
     * @param checkpoints the run's checkpoint folders, oldest first
     * @return three lines
     */
    static List<String> lines(Path dir, int epoch, int batch, int batches, long step, List<Path> checkpoints) {
        List<String> out = new ArrayList<>();
        out.add("interrupted" + (epoch == 0 ? " before the first step" : " in epoch " + epoch + " after batch " + batch
                + " of " + batches + " (step " + step + ")"));
        if (checkpoints.isEmpty()) {
            out.add("no checkpoint yet: resuming starts from the beginning");
        } else {
            Path last = checkpoints.get(checkpoints.size() - 1);
            out.add("last checkpoint " + last);
        }
        out.add("continue with: anglearn train --resume " + dir);
        return out;
    }
}
