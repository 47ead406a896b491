package io.anglearn.cli;

import io.anglearn.train.TrainingConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options that describe a training setup, shared by {@code train} and {@code lr-find}. Each is
 * applied only when given, so it overrides a {@code --config} file or a {@code --preset}; the
 * defaults are {@link TrainingConfig}'s.
 */
final class TrainingOptions {

    @Option(names = "--dataset", paramLabel = "NAME", description = "Dataset: fashion-mnist (default), cifar10, cifar10+,"
            + " cifar100, cifar100+, idx:PATH or folder:PATH; '+' = standard augmentation.")
    String dataset;

    @Option(names = "--label", paramLabel = "KIND", description = "CIFAR-100 labels: fine (default) or coarse.")
    String label;

    @Option(names = "--augment", negatable = true, description = "Random 32x32 crop after 4-pixel zero padding and"
            + " horizontal flip; overrides the dataset name's '+' (default: from the name).")
    Boolean augment;

    @Option(names = "--image-size", paramLabel = "N", description = "folder: datasets: resize images to N x N (default: 32).")
    Integer imageSize;

    @Option(names = "--channels", paramLabel = "C", description = "folder: datasets: 1 (grey) or 3 (RGB, default).")
    Integer channels;

    @Option(names = "--test-fraction", paramLabel = "F", description = "folder: datasets without train/ and test/:"
            + " share of each class held out for testing (default: 0.2).")
    Double testFraction;

    @Option(names = "--data-workers", paramLabel = "N", description = "Threads assembling batches (default: 1).")
    Integer dataWorkers;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder holding the dataset (searched first).")
    String dataDir;

    @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N training images (0 = all).")
    Integer limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", description = "Use only the first N test images (0 = all).")
    Integer limitTest;

    @Option(names = "--train-classes", paramLabel = "LIST", description = "Train on these classes only, e.g. 0-4 or"
            + " 0,2,7-9, relabelled 0..P-1 (default: all).")
    String trainClasses;

    @Option(names = "--test-classes", paramLabel = "LIST", description = "Evaluate on these classes (needs"
            + " --train-classes; default: the training classes); other classes are evaluated by retrieval.")
    String testClasses;

    @Option(names = "--arch", paramLabel = "NAME", description = "Backbone: resnet18, resnet20 (default), resnet32, resnet34, resnet44, resnet56, resnet110; see anglearn model.")
    String arch;

    @Option(names = "--backbone", paramLabel = "torchscript:PATH", description = "Use a TorchScript module"
            + " (torch.jit.script/trace, then .save) as the backbone instead of --arch, and fine-tune it.")
    String backbone;

    @Option(names = "--freeze-backbone-epochs", paramLabel = "N", description = "Train only the projection and"
            + " head for the first N epochs, the backbone frozen (default: 0).")
    Integer freezeBackboneEpochs;

    @Option(names = "--embedding-dim", paramLabel = "D", description = "Project features to D dimensions (0 = none, default).")
    Integer embeddingDim;

    @Option(names = "--loss", paramLabel = "NAME", description = "Loss: soft, center, arcface, arc (default), cosface, sphereface, lsoftmax, normface,"
                    + " adacos, subcenter-arcface, or the pair losses contrastive, triplet, multi-similarity;"
                    + " train --list-losses shows their parameters.")
    String loss;

    @Option(names = {"-p", "--loss-param"}, paramLabel = "NAME=VALUE",
            description = "Loss parameter, repeatable (e.g. -p k=8; switches take 0 or 1).")
    Map<String, Double> lossParams = new LinkedHashMap<>();

    @Option(names = "--miner", paramLabel = "NAME", description = "Miner for a pair loss: batch-hard, semi-hard or"
            + " multi-similarity (default: none, every pair or triplet of a batch).")
    String miner;

    @Option(names = "--miner-param", paramLabel = "NAME=VALUE",
            description = "Miner parameter, repeatable (e.g. --miner-param margin=0.2).")
    Map<String, Double> minerParams = new LinkedHashMap<>();

    @Option(names = "--optimizer", paramLabel = "NAME", description = "adam (default, the paper's) or sgd.")
    String optimizer;

    @Option(names = "--weight-decay", paramLabel = "L2", description = "L2 weight decay (default: 5e-4, the paper's).")
    Double weightDecay;

    @Option(names = "--momentum", paramLabel = "M",
            description = "SGD momentum / Adam beta1 for schedules other than one-cycle (default: 0.9).")
    Double momentum;

    @Option(names = "--nesterov", description = "Nesterov momentum for SGD.")
    Boolean nesterov;

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

    @Option(names = "--step-gamma", paramLabel = "G", description = "Step schedule: factor per decay (default: 0.1).")
    Double stepGamma;

    @Option(names = "--epochs", paramLabel = "E", description = "Epochs (default: 10).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Mini-batch size (default: 256).")
    Integer batchSize;

    @Option(names = "--sampler", paramLabel = "KIND", description = "Batch order: shuffle (default) or m-per-class:M,"
            + " M images of each of batch-size/M classes.")
    String sampler;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: 42).")
    Long seed;

    @Option(names = {"--device", "--devices"}, paramLabel = "DEV",
            description = "cpu (default), gpu, gpu:N, or several: gpu:0,gpu:1 (data-parallel).")
    String device;

    /** Returns whether any option was given. */
    boolean anyGiven() {
        return dataset != null || dataDir != null || label != null || augment != null || imageSize != null
                || channels != null || testFraction != null || dataWorkers != null || limitTrain != null || limitTest != null
                || trainClasses != null || testClasses != null || miner != null || !minerParams.isEmpty()
                || sampler != null
                || arch != null || backbone != null || freezeBackboneEpochs != null || embeddingDim != null || loss != null || !lossParams.isEmpty() || optimizer != null
                || weightDecay != null || momentum != null || nesterov != null || lr != null || schedule != null
                || warmup != null || maxMomentum != null || minMomentum != null || stepEpochs != null
                || stepGamma != null || epochs != null || batchSize != null || seed != null || device != null;
    }

    /**
     * Checks the folder options: {@code --data-dir} must exist, unless the dataset may be
     * downloaded into it.
     *
     * @param download whether a missing dataset will be downloaded into {@code --data-dir}
     */
    void checkPaths(boolean download) {
        if (dataDir != null) {
            if (download) {
                PathOptions.writableDirectory("--data-dir", Path.of(dataDir));
            } else {
                PathOptions.existingDirectory("--data-dir", Path.of(dataDir));
            }
        }
    }

    /** Applies the options that identify the data, model and loss (what a preset keys on). */
    void applyIdentity(TrainingConfig c) {
        if (dataset != null) {
            c.dataset = dataset;
        }
        if (loss != null) {
            c.loss = loss;
        }
    }

    /** Applies every given option. */
    void apply(TrainingConfig c) {
        applyIdentity(c);
        if (dataDir != null) {
            c.dataDir = dataDir;
        }
        if (label != null) {
            c.labels = label;
        }
        if (augment != null) {
            c.augment = augment;
        }
        if (imageSize != null) {
            c.imageSize = imageSize;
        }
        if (channels != null) {
            c.imageChannels = channels;
        }
        if (testFraction != null) {
            c.testFraction = testFraction;
        }
        if (dataWorkers != null) {
            c.dataWorkers = dataWorkers;
        }
        if (limitTrain != null) {
            c.limitTrain = limitTrain;
        }
        if (limitTest != null) {
            c.limitTest = limitTest;
        }
        if (trainClasses != null) {
            c.trainClasses = trainClasses;
        }
        if (testClasses != null) {
            c.testClasses = testClasses;
        }
        if (arch != null) {
            c.arch = arch;
        }
        if (backbone != null) {
            c.backbone = backbone;
        }
        if (freezeBackboneEpochs != null) {
            c.freezeBackboneEpochs = freezeBackboneEpochs;
        }
        if (embeddingDim != null) {
            c.embeddingDim = embeddingDim;
        }
        if (!lossParams.isEmpty()) {
            c.lossParams = new LinkedHashMap<>(lossParams);
        }
        if (miner != null) {
            c.miner = miner;
        }
        if (!minerParams.isEmpty()) {
            c.minerParams = new LinkedHashMap<>(minerParams);
        }
        if (optimizer != null) {
            c.optimizer = optimizer;
        }
        if (weightDecay != null) {
            c.weightDecay = weightDecay;
        }
        if (momentum != null) {
            c.momentum = momentum;
        }
        if (nesterov != null) {
            c.nesterov = nesterov;
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
        if (batchSize != null) {
            c.batchSize = batchSize;
        }
        if (sampler != null) {
            c.sampler = sampler;
        }
        if (seed != null) {
            c.seed = seed;
        }
        if (device != null) {
            c.device = device;
        }
    }
}
