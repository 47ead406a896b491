package io.anglearn.rundir;

import com.google.gson.JsonElement;
import java.util.List;

/**
 * What a run resolved from its configuration when it started, the {@code resolved} block of its
 * {@code config.json}: the data it loaded (where, how many images, their SHA-256 and classes), the
 * normalisation, the network's size, the optimiser, and the provenance (versions, machine, git
 * commit, time). A field an older run did not record reads as null. The components are written in
 * this order; null ones are left out.
 *
 * @param datasetLocation the dataset's absolute path, or null for a built-in one not on disk
 * @param datasetLayout how the dataset's files were laid out
 * @param augmentation the training split's augmentation, as its JSON
 * @param trainImages images in the training split
 * @param testImages images in the test split
 * @param trainSha256 SHA-256 of the training split as loaded (shape, labels, pixels)
 * @param testSha256 SHA-256 of the test split as loaded
 * @param skippedImages image files left out as unreadable
 * @param skippedImageFiles those files, with why
 * @param numClasses classes the network was trained on
 * @param classNames their names, in label order
 * @param testClassNames the test split's class names
 * @param evaluation {@code classification} or {@code retrieval}
 * @param imageShape channels, height, width
 * @param normalizationMean per-channel mean of the training split
 * @param normalizationStd per-channel standard deviation of the training split
 * @param parameters trainable parameters
 * @param stepsPerEpoch optimiser steps per epoch
 * @param backboneFile the TorchScript backbone's absolute path, or null for a built-in backbone
 * @param backboneSha256 that module's SHA-256
 * @param backboneFeatures the module's output features
 * @param optimizer the optimiser and its settings (a JSON object)
 * @param devices the devices trained on
 * @param anglearnVersion the library version
 * @param engine the deep-learning engine and its version
 * @param java the Java version and vendor
 * @param os the operating system and architecture
 * @param cpu the processor
 * @param gitCommit the working directory's git commit ({@code -dirty} if modified), or null
 * @param created when the run started (ISO-8601)
 * @param angleStatistics how the angle statistics are measured
 * @param previousConfigSha256 SHA-256 of the configurations the run was extended from, which its
 *     older checkpoints were written under; null if never extended
 * @param extensions each extension of the run; null if never extended
 */
public record ResolvedSettings(String datasetLocation, String datasetLayout, JsonElement augmentation,
        Integer trainImages, Integer testImages, String trainSha256, String testSha256, Integer skippedImages,
        List<String> skippedImageFiles, Integer numClasses, List<String> classNames, List<String> testClassNames,
        String evaluation, int[] imageShape, double[] normalizationMean, double[] normalizationStd, Long parameters,
        Integer stepsPerEpoch, String backboneFile, String backboneSha256, Long backboneFeatures, JsonElement optimizer,
        List<String> devices, String anglearnVersion, String engine, String java, String os, String cpu,
        String gitCommit, String created, String angleStatistics, List<String> previousConfigSha256,
        List<Extension> extensions) {

    /** What {@code angleStatistics} says of the statistics this version measures. */
    public static final String ANGLE_STATISTICS =
            "c_inter and wc_intra use raw class means; *_norm use means of L2-normalised features";

    /**
     * One extension of a finished run to more epochs.
     *
     * @param fromEpochs the epochs it had trained
     * @param toEpochs the epochs it was extended to
     * @param at when (ISO-8601)
     */
    public record Extension(int fromEpochs, int toEpochs, String at) {}

    /** Returns the configurations the run was extended from, empty if none. */
    public List<String> previousConfigs() {
        return previousConfigSha256 == null ? List.of() : previousConfigSha256;
    }
}
