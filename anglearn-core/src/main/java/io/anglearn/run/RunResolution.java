package io.anglearn.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.Normalization;
import io.anglearn.engine.Devices;
import io.anglearn.model.TorchScriptBackbone;
import io.anglearn.rundir.ResolvedSettings;
import io.anglearn.train.RunSummary;
import io.anglearn.train.Trainer;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What a run resolved from its configuration once its data is loaded and its network built: the
 * {@link ResolvedSettings} its {@code config.json} records and the {@link RunSummary} its
 * listener is shown.
 *
 * @param config the run's configuration
 * @param data the loaded splits
 * @param norm the training split's normalisation
 * @param trainSha256 SHA-256 of the training split as loaded
 * @param testSha256 SHA-256 of the test split as loaded
 * @param trainer the built trainer
 * @param classifies whether the run evaluates by classification (else by retrieval)
 * @param stepsPerEpoch optimiser steps per epoch
 */
record RunResolution(TrainingConfig config, TrainingData data, Normalization norm, String trainSha256,
        String testSha256, Trainer trainer, boolean classifies, int stepsPerEpoch) {

    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    /** Returns the settings {@code config.json} records, with the provenance of a run starting now. */
    ResolvedSettings settings() throws IOException {
        ImageDataset train = data.train();
        String backboneFile = null;
        String backboneSha256 = null;
        Long backboneFeatures = null;
        if (trainer.network().backbone() instanceof TorchScriptBackbone t) {
            backboneFile = t.file().toAbsolutePath().toString();
            backboneSha256 = TorchScriptBackbone.sha256(t.file());
            backboneFeatures = t.features();
        }
        RunProvenance p = RunProvenance.current();
        return new ResolvedSettings(data.location() == null ? null : data.location().toAbsolutePath().toString(),
                data.layout(), GSON.toJsonTree(data.augmentation()), train.size(), data.test().size(), trainSha256,
                testSha256, data.skipped().size(), data.skipped(), train.numClasses(), train.classNames(),
                data.test().classNames(), classifies ? "classification" : "retrieval",
                new int[] {train.channels(), train.height(), train.width()}, norm.mean(), norm.std(),
                trainer.parameterCount(), stepsPerEpoch, backboneFile, backboneSha256, backboneFeatures,
                GSON.toJsonTree(trainer.optimizer().describe()), devices(), p.anglearnVersion(),
                p.engine(), p.java(), p.os(), p.cpu(), p.commit(), p.created(), ResolvedSettings.ANGLE_STATISTICS,
                null, null);
    }

    /** Returns what the run is about to do, for its listener. */
    RunSummary summary(Path runDir, String resumedFrom) {
        String why = classifies ? null : trainer.headless()
                ? "the pair loss '" + config.loss + "' trains no class weights"
                : "the network has no class weights for classes it was not trained on";
        ImageDataset train = data.train();
        return new RunSummary(runDir, resumedFrom, config.dataset, data.location(), data.layout(), train.classNames(),
                data.test().classNames(), classifies, why, train.size(), data.test().size(), data.trainAvailable(),
                data.testAvailable(), new int[] {train.channels(), train.height(), train.width()},
                data.augmentation().describe(), data.skipped(), stepsPerEpoch, config.epochs,
                config.batchSize, config.sampler, config.describeBackbone(), trainer.parameterCount(), config.loss,
                miner(), config.optimizer, config.schedule, config.learningRate, String.join(",", devices()));
    }

    /** A pair loss's miner with its parameters, {@code none}, or null for a loss that mines no pairs. */
    private String miner() {
        if (!trainer.headless()) {
            return null;
        }
        if (config.miner == null) {
            return "none (every pair of the batch)";
        }
        return config.miner + (config.minerParams.isEmpty() ? "" : " " + config.minerParams.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(",")));
    }

    private List<String> devices() {
        return Arrays.stream(trainer.devices()).map(Devices::name).toList();
    }
}
