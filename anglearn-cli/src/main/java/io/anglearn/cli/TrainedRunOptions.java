package io.anglearn.cli;

import io.anglearn.train.CheckpointStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that name a trained run and one of its checkpoints, shared as picocli mixins by the
 * commands that use a trained network ({@code evaluate}, {@code embed}, {@code predict},
 * {@code index build}, {@code serve}). They are two mixins, not one, so each command keeps its
 * options in the order its help has always listed them ({@code --run} first, {@code --checkpoint}
 * after the command's own).
 */
final class TrainedRunOptions {

    private TrainedRunOptions() {}

    /** {@code --run DIR}: the run directory (required). */
    static final class Run {

        @Option(names = "--run", required = true, paramLabel = "DIR", description = "The run directory.")
        Path dir;
    }

    /** {@code --checkpoint WHICH}: {@code last} (the default), {@code best} or {@code step-N}. */
    static final class Checkpoint {

        @Option(names = "--checkpoint", paramLabel = "WHICH", defaultValue = "last",
                description = "last (default), best, or step-N.")
        String which;

        /**
         * Checks the name before the command starts its work.
         *
         * @throws IllegalArgumentException naming {@code --checkpoint} and the accepted forms
         */
        void check() {
            CheckpointStore.checkName(which);
        }
    }
}
