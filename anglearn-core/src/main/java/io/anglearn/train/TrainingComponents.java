package io.anglearn.train;

import ai.djl.nn.Block;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.MPerClassSampler;
import io.anglearn.data.Normalization;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.loss.Losses;
import io.anglearn.model.Architectures;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.model.TorchScriptBackbone;
import io.anglearn.util.NameSuggestions;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Builds the parts of a training run that a {@link TrainingConfig} describes: the network, the
 * loss with its miner, the optimiser, the learning-rate schedule and the training batch loader.
 * The one place a configuration becomes objects, for a run that trains, a run opened to
 * evaluate, and the {@link LearningRateFinder}.
 *
 * <p>The network, losses and schedules it builds follow Wu &amp; Wang, "Angular Learning: Toward
 * Discriminative Embedded Features" (arXiv:1912.07819), where each of them cites its source.
 */
public final class TrainingComponents {

    private TrainingComponents() {}

    /**
     * Builds the network a configuration describes (uninitialised).
     *
     * @param config the configuration
     * @param numClasses C
     * @param loss the loss, whose head kind the network gets
     * @return the network
     */
    public static EmbeddingNetwork buildNetwork(TrainingConfig config, int numClasses, EmbeddingLoss loss) {
        return buildNetwork(config, numClasses, loss, null);
    }

    /** The class-weight initialisations {@code --class-init} accepts. */
    public static final java.util.List<String> CLASS_INITS = java.util.List.of("he-normal", "normal-0.01");

    /**
     * Builds the network a configuration describes (uninitialised), its TorchScript backbone read
     * from a given file: the module a checkpoint saved, with the buffers it had then.
     *
     * @param config the configuration
     * @param numClasses C
     * @param loss the loss, whose head kind the network gets
     * @param module the TorchScript module to read instead of the configuration's file, or null
     *     for that file; ignored when the configuration names no TorchScript backbone
     * @return the network
     */
    public static EmbeddingNetwork buildNetwork(TrainingConfig config, int numClasses, EmbeddingLoss loss, Path module) {
        Block backbone = config.backbone == null
                ? Architectures.backbone(config.arch, true, config.shortcut, config.convInit)
                : new TorchScriptBackbone(module != null ? module : config.backboneFile());
        EmbeddingNetwork network = new EmbeddingNetwork(backbone, config.embeddingDim, loss.newHead(numClasses));
        if ("normal-0.01".equals(config.classInit) && network.head().weight() != null) {
            network.head().setInitializer(new ai.djl.training.initializer.NormalInitializer(0.01f),
                    ai.djl.nn.Parameter.Type.WEIGHT);
        }
        return network;
    }

    /**
     * Builds the loss a configuration names, with its miner.
     *
     * @param config the configuration
     * @return the loss
     */
    public static EmbeddingLoss buildLoss(TrainingConfig config) {
        return Losses.create(config.loss, config.lossParams, config.buildMiner());
    }

    /**
     * Builds the optimiser a configuration names.
     *
     * @param config the configuration
     * @return a new, uninitialised optimiser
     */
    public static Optimizer buildOptimizer(TrainingConfig config) {
        return switch (config.optimizer.toLowerCase(Locale.ROOT)) {
            case "adam" -> new AdamOptimizer(config.weightDecay, AdamOptimizer.DEFAULT_BETA2, AdamOptimizer.DEFAULT_EPSILON,
                    "corrected".equals(config.adamEpsilon));
            case "sgd" -> new SgdOptimizer(config.weightDecay, config.nesterov);
            default -> throw NameSuggestions.unknown("--optimizer", config.optimizer, TrainingConfig.OPTIMIZERS);
        };
    }

    /**
     * Builds the schedule a configuration names, restarted after each of its
     * {@link TrainingConfig#scheduleRestarts} ({@link RestartedSchedule}).
     *
     * @param config the configuration
     * @param batchesPerEpoch optimiser steps per epoch
     * @return the schedule
     */
    public static Schedule buildSchedule(TrainingConfig config, int batchesPerEpoch) {
        if (config.scheduleRestarts.isEmpty()) {
            return buildSchedule(config, batchesPerEpoch, config.epochs);
        }
        // Each segment between restarts gets the whole schedule over its own epochs.
        int segments = config.scheduleRestarts.size() + 1;
        long[] starts = new long[segments];
        Schedule[] parts = new Schedule[segments];
        int from = 0;
        for (int k = 0; k < segments; k++) {
            int to = k < segments - 1 ? config.scheduleRestarts.get(k) : config.epochs;
            starts[k] = (long) batchesPerEpoch * from;
            parts[k] = buildSchedule(config, batchesPerEpoch, to - from);
            from = to;
        }
        return new RestartedSchedule(starts, parts);
    }

    private static Schedule buildSchedule(TrainingConfig config, int batchesPerEpoch, int epochs) {
        long total = (long) batchesPerEpoch * epochs;
        return switch (config.schedule.toLowerCase(Locale.ROOT)) {
            case "one-cycle" -> new OneCycleSchedule(config.learningRate, total, config.warmupFraction, 25, 1e4,
                    config.maxMomentum, config.minMomentum);
            case "cosine" -> new CosineSchedule(config.learningRate, total).withMomentum(config.momentum);
            case "step" -> new StepSchedule(config.learningRate, (long) batchesPerEpoch
                    * (config.stepEpochs > 0 ? config.stepEpochs : Math.max(1, epochs / 3)), config.stepGamma)
                    .withMomentum(config.momentum);
            case "constant" -> Schedule.constant(config.learningRate).withMomentum(config.momentum);
            default -> throw NameSuggestions.unknown("--schedule", config.schedule, TrainingConfig.SCHEDULES);
        };
    }

    /**
     * Builds the training batch loader of a configuration (shuffled, or in class-balanced batches
     * with {@link TrainingConfig#sampler}, by seed and epoch).
     *
     * @param config the configuration
     * @param data the splits and their augmentation
     * @param norm the training split's normalisation
     * @return the loader
     */
    public static BatchLoader buildLoader(TrainingConfig config, TrainingData data, Normalization norm) {
        ImageDataset train = data.train();
        return BatchLoader.builder().setData(train).setNormalization(norm).optBatchSize(config.batchSize)
                .optShuffle(true).optSeed(config.seed).optAugmentation(data.augmentation())
                .optWorkers(config.dataWorkers).optDropLast(!config.keepLastBatch && train.size() >= config.batchSize)
                .optMPerClass(MPerClassSampler.parse(config.sampler)).build();
    }
}
