package io.anglearn.train;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.DatasetLocator;
import io.anglearn.data.DatasetSpec;
import io.anglearn.data.Datasets;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.LoadedDataset;
import io.anglearn.data.Normalization;
import io.anglearn.engine.Devices;
import io.anglearn.engine.Engines;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.loss.Losses;
import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.EmbeddingAccumulator;
import io.anglearn.model.Architectures;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.report.AtomicFiles;
import io.anglearn.report.MetricsTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One training run from a {@link TrainingConfig}: finds and loads the data, builds the network
 * and loss, trains and evaluates every epoch, and writes the run directory
 * ({@code config.json}, {@code metrics.csv}).
 */
public final class TrainingRun {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final TrainingConfig config;

    /**
     * Creates the run; nothing happens until {@link #execute}.
     *
     * @param config the configuration; validated here
     */
    public TrainingRun(TrainingConfig config) {
        config.validate();
        this.config = config;
    }

    /** The result of a finished run. */
    public record Result(Path runDir, List<EpochRecord> epochs) {}

    /**
     * Trains.
     *
     * @param listener progress callbacks
     * @return the run directory and the per-epoch records
     * @throws IOException if the data cannot be read or the run directory cannot be written
     */
    public Result execute(TrainingListener listener) throws IOException {
        DatasetSpec spec = config.datasetSpec();
        Engines.pytorch(); // fail first, and in one line, when the native library is missing
        Device device = Devices.parse(config.device);
        EmbeddingLoss loss = Losses.create(config.loss, config.lossParams);
        LoadedDataset data = Datasets.load(spec, new DatasetLocator(config.dataDir == null ? null : Path.of(config.dataDir)));
        ImageDataset train = data.train();
        ImageDataset test = data.test();
        if (config.limitTrain > 0) {
            train = train.limit(config.limitTrain);
        }
        if (config.limitTest > 0) {
            test = test.limit(config.limitTest);
        }
        Normalization norm = Normalization.of(train);
        BatchLoader loader = BatchLoader.builder().setData(train).setNormalization(norm)
                .optBatchSize(config.batchSize).optShuffle(true).optSeed(config.seed)
                .optAugmentation(data.augmentation()).optWorkers(config.dataWorkers)
                .optDropLast(train.size() >= config.batchSize).build();
        long totalSteps = (long) loader.batchesPerEpoch() * config.epochs;
        Schedule schedule = config.schedule.equals("constant") ? Schedule.constant(config.learningRate)
                : new OneCycleSchedule(config.learningRate, totalSteps);

        String name = config.name != null ? config.name
                : config.dataset + "-" + config.loss + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path runDir = Path.of(config.runsDir).resolve(name);
        if (Files.exists(runDir.resolve("metrics.csv"))) {
            throw new IOException(runDir + " already holds a run; choose another --name or remove it");
        }
        Files.createDirectories(runDir);

        EmbeddingNetwork net = new EmbeddingNetwork(Architectures.backbone(config.arch), config.embeddingDim,
                loss.newHead(train.numClasses()));
        List<EpochRecord> records = new ArrayList<>();
        try (Trainer trainer = new Trainer(net, loss, new Shape(train.channels(), train.height(), train.width()),
                device, config.weightDecay, schedule, config.seed)) {
            writeConfig(runDir, data, train, test, norm, trainer.parameterCount());
            for (int epoch = 1; epoch <= config.epochs; epoch++) {
                double[] t = trainer.trainEpoch(loader, epoch, listener);
                EmbeddingAccumulator acc = trainer.evaluate(test, norm, Math.max(config.batchSize, 256));
                AngleStatistics angles = acc.angles(trainer.classWeights());
                EpochRecord r = new EpochRecord(epoch, t[0], t[1], acc.top1Error(), acc.top5Error(), angles,
                        schedule.learningRate(Math.max(0, trainer.steps() - 1)), t[3], t[2] / t[3]);
                records.add(r);
                MetricsTable.write(runDir.resolve("metrics.csv"), records);
                listener.onEpochEnd(r);
            }
        }
        return new Result(runDir, records);
    }

    private void writeConfig(Path runDir, LoadedDataset data, ImageDataset train, ImageDataset test,
            Normalization norm, long params) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", config);
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("datasetLocation", data.location().toAbsolutePath().toString());
        resolved.put("augmentation", data.augmentation());
        resolved.put("trainImages", train.size());
        resolved.put("testImages", test.size());
        resolved.put("numClasses", train.numClasses());
        resolved.put("normalizationMean", norm.mean());
        resolved.put("normalizationStd", norm.std());
        resolved.put("parameters", params);
        resolved.put("engine", Engines.describe());
        resolved.put("java", System.getProperty("java.version"));
        resolved.put("created", LocalDateTime.now().toString());
        resolved.put("angleStatistics", "c_inter and wc_intra use raw class means; *_norm use means of L2-normalised features");
        doc.put("resolved", resolved);
        AtomicFiles.writeString(runDir.resolve("config.json"), GSON.toJson(doc) + "\n");
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
