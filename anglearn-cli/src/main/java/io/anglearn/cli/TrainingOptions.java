package io.anglearn.cli;

import io.anglearn.train.TrainingConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options that describe a training setup, shared by {@code train} and {@code lr-find}: the
 * data, the network, the loss and the optimiser. Each is applied only when given, so it overrides
 * a {@code --config} file or a {@code --preset}; the defaults are {@link TrainingConfig}'s. The
 * schedule and the run's length are {@link RunOptions}, which only {@code train} takes.
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
            + " share of each class held out for testing, in (0, 1) (default: 0.2); with --split-classes, the share"
            + " of the classes.")
    Double testFraction;

    @Option(names = "--bad-images", paramLabel = "stop|skip", description = "folder: datasets: with images that"
            + " cannot be decoded, stop and list them all (default), or skip them and record them in the run.")
    String badImages;

    @Option(names = "--data-workers", paramLabel = "N", description = "Threads assembling batches (default: 1).")
    Integer dataWorkers;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder holding the dataset (searched first).")
    String dataDir;

    @Option(names = "--limit-train", paramLabel = "N", description = "Use only the first N training images (0 = all).")
    Integer limitTrain;

    @Option(names = "--train-classes", paramLabel = "LIST", description = "Train on these classes only, e.g. 0-4 or"
            + " 0,2,7-9, relabelled 0..P-1 (default: all).")
    String trainClasses;

    @Option(names = "--test-classes", paramLabel = "LIST", description = "Evaluate on these classes (needs"
            + " --train-classes or --split-classes; default: the training classes); other classes are evaluated by"
            + " retrieval.")
    String testClasses;

    @Option(names = "--split-classes", description = "Divide the data by class, not by image: every image of the"
            + " training classes is trained on, every image of the test classes (never seen in training) is"
            + " evaluated by retrieval; by default the last --test-fraction of the classes are the test classes.")
    Boolean splitClasses;

    @Option(names = "--arch", paramLabel = "NAME", description = "Backbone: resnet18, resnet20 (default), resnet32, resnet34, resnet44, resnet56, resnet110; see anglearn model.")
    String arch;

    @Option(names = "--backbone", paramLabel = "torchscript:PATH", description = "Use a TorchScript module"
            + " (torch.jit.script/trace, then .save) as the backbone instead of --arch, and fine-tune it.")
    String backbone;

    @Option(names = "--embedding-dim", paramLabel = "D", description = "Project features to D dimensions (0 = none, default).")
    Integer embeddingDim;

    @Option(names = "--loss", paramLabel = "NAME", description = "Loss: arc (default: the paper's angular loss, not"
                    + " ArcFace), soft, center, arcface (ArcFace), cosface, sphereface, lsoftmax, normface, adacos,"
                    + " subcenter-arcface, or the pair losses contrastive, triplet, multi-similarity;"
                    + " train --list-losses describes each with its paper and parameters.")
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

    @Option(names = "--nesterov", description = "Nesterov momentum for SGD.")
    Boolean nesterov;

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
                || channels != null || testFraction != null || badImages != null || dataWorkers != null
                || limitTrain != null || trainClasses != null || testClasses != null || splitClasses != null
                || miner != null || !minerParams.isEmpty() || sampler != null || arch != null || backbone != null
                || embeddingDim != null || loss != null || !lossParams.isEmpty() || optimizer != null
                || weightDecay != null || nesterov != null || batchSize != null || seed != null || device != null;
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
        if (badImages != null) {
            c.badImages = badImages;
        }
        if (dataWorkers != null) {
            c.dataWorkers = dataWorkers;
        }
        if (limitTrain != null) {
            c.limitTrain = limitTrain;
        }
        if (trainClasses != null) {
            c.trainClasses = trainClasses;
        }
        if (testClasses != null) {
            c.testClasses = testClasses;
        }
        if (splitClasses != null) {
            c.splitClasses = splitClasses;
        }
        if (arch != null) {
            c.arch = arch;
        }
        if (backbone != null) {
            c.backbone = backbone;
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
        if (nesterov != null) {
            c.nesterov = nesterov;
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
