package io.anglearn.cli;

import io.anglearn.train.TrainingConfig;
import picocli.CommandLine.Option;

/**
 * The options only a full training run takes, not {@code lr-find}: the learning-rate schedule and
 * its momentum, the run's length, the test split's limit, and how long a backbone stays frozen.
 * Each is applied only when given, so it overrides a {@code --config} file or a {@code --preset};
 * the defaults are {@link TrainingConfig}'s.
 */
final class RunOptions {

    @Option(names = "--limit-test", paramLabel = "N", description = "Use only the first N test images (0 = all).")
    Integer limitTest;

    @Option(names = "--momentum", paramLabel = "M",
            description = "SGD momentum / Adam beta1 for schedules other than one-cycle (default: 0.9).")
    Double momentum;

    @Option(names = "--lr", paramLabel = "RATE", description = "Peak (one-cycle, cosine) or initial learning rate (default: 3e-3).")
    Double lr;

    @Option(names = "--schedule", paramLabel = "NAME", description = "one-cycle (default), cosine, step or constant.")
    String schedule;

    @Option(names = "--warmup", paramLabel = "FRACTION", description = "One-cycle warm-up fraction (default: 0.3).")
    Double warmup;

    @Option(names = "--max-momentum", paramLabel = "M", description = "One-cycle momentum/beta1 at start and end (default: 0.95).")
    Double maxMomentum;

    @Option(names = "--min-momentum", paramLabel = "M", description = "One-cycle momentum/beta1 at the peak (default: 0.85).")
    Double minMomentum;

    @Option(names = "--step-epochs", paramLabel = "E", description = "Step schedule: epochs between decays (default: a third of the run).")
    Integer stepEpochs;

    @Option(names = "--freeze-backbone-epochs", paramLabel = "N", description = "Train only the projection and"
            + " head for the first N epochs, the backbone frozen (default: 0).")
    Integer freezeBackboneEpochs;

    @Option(names = "--step-gamma", paramLabel = "G", description = "Step schedule: factor per decay (default: 0.1).")
    Double stepGamma;

    @Option(names = "--epochs", paramLabel = "E", description = "Epochs (default: 10). With --resume DIR: extend the"
            + " finished run DIR to E epochs in all, the schedule running again over the added epochs.")
    Integer epochs;

    /** Returns whether any option other than {@code --epochs} was given. */
    boolean anyGivenButEpochs() {
        return limitTest != null || momentum != null || lr != null || schedule != null || warmup != null
                || maxMomentum != null || minMomentum != null || stepEpochs != null || stepGamma != null
                || freezeBackboneEpochs != null;
    }

    /** Applies every given option. */
    void apply(TrainingConfig c) {
        if (freezeBackboneEpochs != null) {
            c.freezeBackboneEpochs = freezeBackboneEpochs;
        }
        if (limitTest != null) {
            c.limitTest = limitTest;
        }
        if (momentum != null) {
            c.momentum = momentum;
        }
        if (lr != null) {
            c.learningRate = lr;
        }
        if (schedule != null) {
            c.schedule = schedule;
        }
        if (warmup != null) {
            c.warmupFraction = warmup;
        }
        if (maxMomentum != null) {
            c.maxMomentum = maxMomentum;
        }
        if (minMomentum != null) {
            c.minMomentum = minMomentum;
        }
        if (stepEpochs != null) {
            c.stepEpochs = stepEpochs;
        }
        if (stepGamma != null) {
            c.stepGamma = stepGamma;
        }
        if (epochs != null) {
            c.epochs = epochs;
        }
    }
}
