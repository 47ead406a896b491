package io.anglearn.train;

import io.anglearn.rundir.RunFiles;
import io.anglearn.util.Words;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@code io.anglearn.run.TrainingRun} is about to do, once its data is loaded and its network built: where
 * the data came from and how it was split, the classes of both splits and how the test split is
 * evaluated, the image counts and shape, the steps, the network's size and the device.
 * {@link #lines()} says it in a few lines, as {@code anglearn train} prints it before the first
 * epoch.
 *
 * @param runDir the run directory
 * @param resumedFrom for a resumed run, where it continues (e.g. {@code epoch 3, batch 5, step 45}); null for a new run
 * @param dataset the dataset as configured, e.g. {@code folder:photos}
 * @param location the folder the data was read from, or null for data supplied in memory
 * @param layout how the splits were formed, or null when the dataset's files fix them
 * @param trainClasses the training split's class names, in label order
 * @param testClasses the test split's class names, in label order
 * @param classifies whether the test split is evaluated by classification (else by retrieval)
 * @param retrievalReason why the test split is evaluated by retrieval, or null
 * @param trainImages images in the training split
 * @param testImages images in the test split
 * @param trainAvailable images the training split had before {@code --limit-train} (trainImages when no limit)
 * @param testAvailable images the test split had before {@code --limit-test} (testImages when no limit)
 * @param imageShape {channels, height, width}
 * @param augmentation the training augmentation, e.g. {@code none}
 * @param skipped files left out because they could not be read, each with its reason
 * @param stepsPerEpoch optimiser steps per epoch
 * @param epochs the epochs the run trains in all
 * @param batchSize the mini-batch size
 * @param sampler how batches are drawn, e.g. {@code shuffle} or {@code m-per-class:4}
 * @param arch the backbone
 * @param parameters the network's parameter count
 * @param loss the loss
 * @param miner a pair loss's miner, e.g. {@code batch-hard}, or {@code none}; null for a loss that mines no pairs
 * @param optimizer the optimiser
 * @param schedule the learning-rate schedule
 * @param learningRate its peak or initial rate
 * @param devices the devices, e.g. {@code cpu}
 */
public record RunSummary(Path runDir, String resumedFrom, String dataset, Path location, String layout,
        List<String> trainClasses, List<String> testClasses, boolean classifies, String retrievalReason,
        int trainImages, int testImages, int trainAvailable, int testAvailable, int[] imageShape, String augmentation,
        List<String> skipped, int stepsPerEpoch, int epochs, int batchSize, String sampler, String arch,
        long parameters, String loss, String miner, String optimizer, String schedule, double learningRate,
        String devices) {

    /** Class names listed by name in {@link #lines()}; the rest are counted. */
    public static final int NAMES_SHOWN = 8;

    /** Copies the lists and the shape. */
    public RunSummary {
        trainClasses = List.copyOf(trainClasses);
        testClasses = List.copyOf(testClasses);
        skipped = List.copyOf(skipped);
        imageShape = imageShape.clone();
    }

    /**
     * Says what the run is about to do, one aspect per line.
     *
     * @return the lines, each starting with a short label
     */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("data      " + dataset + (location == null ? " (supplied in memory)"
                : " from " + location.toAbsolutePath().normalize()));
        if (layout != null) {
            out.add("          " + layout);
        }
        out.add("classes   " + trainClasses.size() + " to train on: " + names(trainClasses));
        if (trainClasses.equals(testClasses)) {
            out.add("          test split: the same classes" + (classifies ? ", evaluated by classification"
                    : ", evaluated by retrieval (" + retrievalReason + ")"));
        } else {
            long shared = testClasses.stream().filter(trainClasses::contains).count();
            out.add("          test split: " + testClasses.size() + " classes, " + (shared == 0 ? "none of them"
                    : shared + " of them") + " trained on: " + names(testClasses));
            out.add("          evaluated by retrieval (" + retrievalReason + "): P@1, R-precision, MAP@R, NMI, C-Inter");
        }
        String kind = imageShape[0] == 1 ? "grey" : imageShape[0] == 3 ? "RGB" : imageShape[0] + " channels";
        out.add(String.format(Locale.ROOT, "images    %s for training, %s for testing; %dx%dx%d (%s); augmentation %s",
                ofAvailable(trainImages, trainAvailable), ofAvailable(testImages, testAvailable), imageShape[0],
                imageShape[1], imageShape[2], kind, augmentation));
        if (!skipped.isEmpty()) {
            out.add("          " + skipped.size() + " unreadable file" + (skipped.size() == 1 ? "" : "s")
                    + " left out (--bad-images skip), listed in " + RunFiles.CONFIG + " and " + RunFiles.LOG);
        }
        out.add(String.format(Locale.ROOT, "steps     %d per epoch (batch %d, sampler %s), %s, %d steps in all; %s, %s"
                + " to lr %.3g", stepsPerEpoch, batchSize, sampler, Words.count(epochs, "epoch"),
                (long) stepsPerEpoch * epochs, optimizer, schedule, learningRate));
        if (tooLargeBatch(batchSize, trainImages)) {
            out.add(String.format(Locale.ROOT, "warning   the batch of %d is more than a quarter of the %d training images:"
                    + " %s per epoch barely trains; try --batch-size %d", batchSize, trainImages,
                    Words.count(stepsPerEpoch, "step"), suggestedBatchSize(trainImages)));
        }
        out.add(String.format(Locale.ROOT, "model     %s, %,d parameters, loss %s%s, on %s", arch, parameters, loss,
                miner == null ? "" : " with miner " + miner, devices));
        out.add("run       " + runDir + (resumedFrom == null ? "" : " (resuming at " + resumedFrom + ")"));
        return out;
    }

    /**
     * Whether a batch is too large for the training split to learn from: more than a quarter of
     * its images, so an epoch has at most about four steps (and one-cycle's warm-up and annealing
     * get a step or two each).
     *
     * @param batchSize the mini-batch size
     * @param trainImages images in the training split
     * @return true when {@code 4 · batchSize > trainImages}
     */
    public static boolean tooLargeBatch(int batchSize, int trainImages) {
        return trainImages > 0 && 4L * batchSize > trainImages;
    }

    /**
     * Suggests a batch size for a small training split: the largest power of two that is at most
     * an eighth of its images (so an epoch has at least eight steps), and at least 1.
     *
     * @param trainImages images in the training split
     * @return the suggested size
     */
    public static int suggestedBatchSize(int trainImages) {
        return Integer.highestOneBit(Math.max(1, trainImages / 8));
    }

    /** {@code 1000 of 60000} when a limit took the first images of a split, else the count alone. */
    private static String ofAvailable(int images, int available) {
        return available > images ? images + " of " + available : String.valueOf(images);
    }

    private static String names(List<String> names) {
        if (names.size() <= NAMES_SHOWN) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, NAMES_SHOWN)) + ", ... (" + (names.size() - NAMES_SHOWN) + " more)";
    }
}
