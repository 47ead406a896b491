package io.anglearn.train;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.MPerClassSampler;
import io.anglearn.data.Normalization;
import io.anglearn.engine.Devices;
import io.anglearn.engine.Engines;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.loss.Losses;
import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.EmbeddingAccumulator;
import io.anglearn.metrics.EmbeddingQuality;
import io.anglearn.model.Architectures;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.model.TorchScriptBackbone;
import io.anglearn.report.MetricsTable;
import io.anglearn.report.RunLog;
import io.anglearn.report.RunRecorder;
import io.anglearn.rundir.AtomicFiles;
import io.anglearn.rundir.RunDirectoryLock;
import io.anglearn.util.NameSuggestions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One training run from a {@link TrainingConfig}: loads the data, builds the network, loss,
 * optimiser and schedule, trains and evaluates, and keeps the run directory:
 * <ul>
 *   <li>{@code config.json} — the configuration ({@code config}) and what was resolved from it
 *       ({@code resolved}: dataset checksums and sizes, normalisation statistics, parameter count,
 *       optimiser, versions, git commit);
 *   <li>{@code metrics.csv} and {@code metrics.jsonl} — one row per epoch;
 *   <li>{@code checkpoints/} — see {@link CheckpointStore};
 *   <li>{@code train.log} — events, one line each;
 *   <li>unless {@link TrainingConfig#tensorBoard} is off, what a {@link RunRecorder} records:
 *       TensorBoard event files and the figure data that {@code RunArtifacts} and the report read
 *       (angle statistics on a fixed probe of {@value #ANGLE_PROBE_IMAGES} test images every
 *       {@link TrainingConfig#angleInterval} iterations, target angles after each evaluation, the
 *       final test embedding).
 * </ul>
 *
 * <p>{@link #resume} continues a stopped run from its newest valid checkpoint. On the CPU the
 * resumed run ends with the same weights and metrics (timings aside) as an uninterrupted one:
 * every random choice is a function of the seed and the position, and the checkpoint holds the
 * parameters, BatchNorm statistics, optimiser moments and step, the loss's state and the
 * position within the epoch's data order with the epoch's running totals. The recorder only
 * reads the network (in evaluation mode, in closed sub-scopes), so recording does not change
 * what is trained; on resume it keeps the records up to the checkpoint's step (see
 * {@link RunRecorder}).
 *
 * <p>Evaluation is by classification when the network has a classifier head and the test split
 * holds the training classes: top-1/top-5 error and the angle statistics. Otherwise (a pair loss,
 * or {@link TrainingConfig#testClasses} other than the training classes) it is by retrieval: the
 * test split's precision@1, R-precision, MAP@R and k-means NMI ({@link EmbeddingQuality}) and
 * C-Inter, with the errors, the training accuracy, W-Inter and WC-Intra NaN; the best checkpoint
 * is then the one with the highest MAP@R.
 */
public final class TrainingRun {

    /** Test images in the fixed probe set of the angle statistics by iteration (the first of the test split). */
    public static final int ANGLE_PROBE_IMAGES = 500;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** The key in {@code resolved} of the SHA-256s of the configurations a run was extended from. */
    private static final String PREVIOUS_CONFIGS = "previousConfigSha256";

    private final TrainingConfig config;
    private final TrainingData suppliedData;
    private final Path resumeDir;
    /** For an extension of a finished run: the epochs it had trained; 0 otherwise. */
    private final int extendedFrom;

    /**
     * Creates a new run whose data is found and loaded from the configuration.
     *
     * @param config the configuration; validated here and copied
     */
    public TrainingRun(TrainingConfig config) {
        this(config, null, null);
    }

    /**
     * Creates a new run on data the caller supplies (the configuration's dataset fields are then
     * only recorded).
     *
     * @param config the configuration; validated here and copied
     * @param data the splits
     */
    public TrainingRun(TrainingConfig config, TrainingData data) {
        this(config, data, null);
    }

    private TrainingRun(TrainingConfig config, TrainingData data, Path resumeDir) {
        this(config, data, resumeDir, 0);
    }

    private TrainingRun(TrainingConfig config, TrainingData data, Path resumeDir, int extendedFrom) {
        config.validate();
        this.config = config.copy();
        this.config.canonicalize();
        this.suppliedData = data;
        this.resumeDir = resumeDir;
        this.extendedFrom = extendedFrom;
    }

    /**
     * Prepares to continue a stopped run from its directory.
     *
     * @param runDir the run directory, holding {@code config.json}
     * @return the run; {@link #execute} continues it
     * @throws IOException if the configuration cannot be read
     */
    public static TrainingRun resume(Path runDir) throws IOException {
        return new TrainingRun(readRunConfig(runDir), null, runDir);
    }

    /**
     * Prepares to train a finished run for more epochs. The steps already trained keep the rates
     * they had; the schedule runs afresh over the added epochs ({@link RestartedSchedule}: a
     * one-cycle run warms up and anneals again, a cosine run anneals again from its peak, a step
     * run starts again at its initial rate). {@code config.json} gets the new epochs and the
     * restart ({@link TrainingConfig#scheduleRestarts}) when {@link #execute} starts, so a run
     * extended and killed resumes as extended.
     *
     * @param runDir the run directory of a finished run
     * @param epochs the epochs it should have in all, more than it has
     * @return the run; {@link #execute} trains the added epochs
     * @throws IOException if the run cannot be read
     * @throws IllegalArgumentException if the run has not finished (resume it first) or already
     *     has {@code epochs} epochs or more
     */
    public static TrainingRun extend(Path runDir, int epochs) throws IOException {
        TrainingConfig c = readRunConfig(runDir);
        RunStatus st = status(runDir);
        if (!st.finished()) {
            throw new IllegalArgumentException(runDir + " has not finished: " + st.epochsDone() + " of its " + st.epochs()
                    + " epochs are done. Finish it first with 'anglearn train --resume " + runDir + "', then extend it"
                    + " with --epochs");
        }
        if (epochs <= c.epochs) {
            throw new IllegalArgumentException("--epochs " + epochs + ": " + runDir + " has already trained " + c.epochs
                    + " epochs; give more to extend it");
        }
        int done = c.epochs;
        c.scheduleRestarts = new ArrayList<>(c.scheduleRestarts);
        c.scheduleRestarts.add(done);
        c.epochs = epochs;
        return new TrainingRun(c, null, runDir, done);
    }

    /**
     * Says where a run stands: the epochs its newest intact checkpoint has finished, of how many.
     *
     * @param runDir the run directory
     * @return its status
     * @throws IOException if it is not a run directory or its configuration cannot be read
     */
    public static RunStatus status(Path runDir) throws IOException {
        TrainingConfig c = readRunConfig(runDir);
        Optional<CheckpointStore.Checkpoint> ckpt = new CheckpointStore(runDir.resolve("checkpoints"),
                c.keepCheckpoints).latestValid(new ArrayList<>());
        if (ckpt.isEmpty()) {
            return new RunStatus(runDir, c.epochs, 0, 0, null, null);
        }
        TrainingState s = ckpt.get().state();
        List<EpochRecord> records = s.records();
        return new RunStatus(runDir, c.epochs, records.size(), s.step(), ckpt.get().dir().getFileName().toString(),
                records.isEmpty() ? null : records.get(records.size() - 1));
    }

    private static TrainingConfig readRunConfig(Path runDir) throws IOException {
        Path cfg = runDir.resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            throw new IOException(runDir + " is not a run directory: config.json is missing");
        }
        return TrainingConfig.read(cfg);
    }

    /**
     * Prepares to continue a stopped run on data the caller supplies.
     *
     * @param runDir the run directory
     * @param data the same splits the run started with (checked against the recorded checksums)
     * @return the run
     * @throws IOException if the configuration cannot be read
     */
    public static TrainingRun resume(Path runDir, TrainingData data) throws IOException {
        return new TrainingRun(readRunConfig(runDir), data, runDir);
    }

    /** Returns the configuration. */
    public TrainingConfig config() {
        return config.copy();
    }

    /** The result of a finished run. */
    public record Result(Path runDir, List<EpochRecord> epochs) {}

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
        Block backbone = config.backbone == null ? Architectures.backbone(config.arch)
                : new TorchScriptBackbone(module != null ? module : config.backboneFile());
        return new EmbeddingNetwork(backbone, config.embeddingDim, loss.newHead(numClasses));
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
            case "adam" -> new AdamOptimizer(config.weightDecay);
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
                .optWorkers(config.dataWorkers).optDropLast(train.size() >= config.batchSize)
                .optMPerClass(MPerClassSampler.parse(config.sampler)).build();
    }

    /**
     * Trains (or continues training) until the configured number of epochs.
     *
     * @param listener progress callbacks
     * @return the run directory and every epoch's record
     * @throws IOException if the data cannot be read or the run directory cannot be written
     */
    public Result execute(TrainingListener listener) throws IOException {
        Engines.pytorch(); // fail first, and in one line, when the native library is missing
        Device[] devices = Devices.parseList(config.device);
        EmbeddingLoss loss = buildLoss(config);
        if (config.backbone != null) {
            // Before the data is loaded: a missing or foreign module file fails at once.
            TorchScriptBackbone.check(config.backboneFile());
            if (resumeDir != null) {
                checkSameBackbone(resumeDir);
            }
        }
        TrainingData data = suppliedData != null ? suppliedData : TrainingData.load(config);
        if (data.test().size() == 0) {
            throw new IllegalArgumentException("the test split " + data.test().name() + " holds no images; a run"
                    + " evaluates on its test split, so it needs some");
        }
        Path runDir = resumeDir != null ? resumeDir : Path.of(config.runsDir).resolve(runName());
        if (resumeDir == null && (Files.exists(runDir.resolve("config.json")) || Files.exists(runDir.resolve("checkpoints")))) {
            throw new IOException(runDir + " already holds a run; continue it with --resume " + runDir
                    + ", or choose another --name");
        }
        Files.createDirectories(runDir);
        try (RunDirectoryLock lock = RunDirectoryLock.acquire(runDir)) {
            // Checked again under the lock: another process may have started this run meanwhile.
            if (resumeDir == null && Files.exists(runDir.resolve("config.json"))) {
                throw new IOException(runDir + " already holds a run; continue it with --resume " + runDir
                        + ", or choose another --name");
            }
            return executeLocked(listener, devices, loss, data, runDir);
        }
    }

    private Result executeLocked(TrainingListener listener, Device[] devices, EmbeddingLoss loss, TrainingData data,
            Path runDir) throws IOException {
        RunLog log = new RunLog(runDir.resolve("train.log"));
        Normalization norm = Normalization.of(data.train());
        String trainSum = TrainingData.checksum(data.train());
        String testSum = TrainingData.checksum(data.test());
        if (resumeDir != null) {
            checkSameData(runDir, trainSum, testSum);
        }
        BatchLoader loader = buildLoader(config, data, norm);
        Schedule schedule = buildSchedule(config, loader.batchesPerEpoch());
        CheckpointStore checkpoints = new CheckpointStore(runDir.resolve("checkpoints"), config.keepCheckpoints);
        List<String> skipped = new ArrayList<>();
        Optional<CheckpointStore.Checkpoint> ckpt = resumeDir == null ? Optional.empty()
                : checkpoints.latestValid(skipped);
        Path module = null;
        if (config.backbone != null && ckpt.isPresent()) {
            // The module as it was at the checkpoint: its buffers are not among the saved parameters.
            module = ckpt.get().backboneModule().orElseThrow(() -> new IOException(ckpt.get().dir() + " lacks "
                    + CheckpointStore.BACKBONE_FILE + ", the TorchScript backbone's module, which this run needs"));
        }
        EmbeddingNetwork net = buildNetwork(config, data.train().numClasses(), loss, module);
        Optimizer optimizer = buildOptimizer(config);
        ImageDataset train = data.train();
        try (Trainer trainer = Trainer.builder().setNetwork(net).setLoss(loss)
                .setInputShape(new Shape(train.channels(), train.height(), train.width())).setSchedule(schedule)
                .optOptimizer(optimizer).optDevices(devices).optSeed(config.seed)
                .optFreezeBackboneEpochs(config.freezeBackboneEpochs)
                .optNonFinitePolicy(NonFinitePolicy.parse(config.onNonFinite)).build()) {
            RunState run = new RunState(trainer, checkpoints, log, runDir);
            boolean classifies = !trainer.headless() && data.sameClasses();
            String resumedFrom = null;
            if (resumeDir == null) {
                writeConfig(runDir, data, norm, trainSum, testSum, trainer, classifies, loader.batchesPerEpoch());
                log.log("started " + runDir.getFileName() + ": " + config.dataset + ", " + config.describeBackbone() + ", loss "
                        + config.loss + ", " + config.epochs + " epochs of " + loader.batchesPerEpoch() + " steps, "
                        + trainer.parameterCount() + " parameters, devices " + config.device);
                if (!data.skipped().isEmpty()) {
                    log.log("left out " + data.skipped().size() + " unreadable image files: "
                            + String.join("; ", data.skipped()));
                }
            } else {
                if (extendedFrom > 0) {
                    extendConfig(runDir, checkpoints);
                    log.log("extended from " + extendedFrom + " to " + config.epochs + " epochs; the " + config.schedule
                            + " schedule starts again at epoch " + (extendedFrom + 1));
                }
                for (String s : skipped) {
                    log.log(s);
                }
                if (ckpt.isPresent()) {
                    run.restore(ckpt.get());
                    resumedFrom = "epoch " + run.progress.epoch() + ", batch " + run.progress.nextBatch() + ", step "
                            + trainer.steps();
                    log.log("resumed from " + ckpt.get().dir().getFileName() + " (" + resumedFrom + ")");
                } else {
                    resumedFrom = "the beginning: no intact checkpoint";
                    log.log("resumed with no valid checkpoint: starting from the beginning");
                }
            }
            listener.onRunStart(summary(runDir, resumedFrom, data, trainer, classifies, loader.batchesPerEpoch()));
            try (RunRecorder recorder = config.tensorBoard ? buildRecorder(runDir, data, norm, classifies) : null) {
                // The recorder before the run's checkpointing: a step's angle row must be on disk before
                // a checkpoint says the step is done, or a kill in between loses the row for good.
                TrainingListener all = recorder == null ? TrainingListener.all(listener, run)
                        : TrainingListener.all(listener, recorder, run);
                return train(runDir, data, norm, loader, schedule, trainer, run, all, classifies);
            }
        }
    }

    private RunSummary summary(Path runDir, String resumedFrom, TrainingData data, Trainer trainer, boolean classifies,
            int stepsPerEpoch) {
        String why = classifies ? null : trainer.headless()
                ? "the pair loss '" + config.loss + "' trains no class weights"
                : "the network has no class weights for classes it was not trained on";
        ImageDataset train = data.train();
        return new RunSummary(runDir, resumedFrom, config.dataset, data.location(), data.layout(), train.classNames(),
                data.test().classNames(), classifies, why, train.size(), data.test().size(),
                new int[] {train.channels(), train.height(), train.width()},
                data.augmentation().describe(), data.skipped(), stepsPerEpoch, config.epochs,
                config.batchSize, config.describeBackbone(), trainer.parameterCount(), config.loss, config.optimizer, config.schedule,
                config.learningRate, String.join(",", Arrays.stream(trainer.devices()).map(Devices::name).toList()));
    }

    /**
     * Records an extension in config.json before training on: the new epochs and schedule restart,
     * and the SHA-256 of the configuration the run's checkpoints were written under, which resuming
     * then still accepts.
     */
    private void extendConfig(Path runDir, CheckpointStore checkpoints) throws IOException {
        Path cfg = runDir.resolve("config.json");
        byte[] before = Files.readAllBytes(cfg);
        // Checked again under the run's lock: another process may have extended or resumed it meanwhile.
        Optional<CheckpointStore.Checkpoint> ckpt = checkpoints.latestValid(new ArrayList<>());
        TrainingConfig onDisk = TrainingConfig.read(cfg);
        if (ckpt.isEmpty() || onDisk.epochs != extendedFrom || ckpt.get().state().records().size() < extendedFrom) {
            throw new IOException(runDir + " changed while it was being extended: it no longer holds a finished run of "
                    + extendedFrom + " epochs");
        }
        JsonObject doc = GSON.fromJson(new String(before, StandardCharsets.UTF_8), JsonObject.class);
        doc.add("config", GSON.toJsonTree(config));
        JsonObject resolved = doc.has("resolved") ? doc.getAsJsonObject("resolved") : new JsonObject();
        JsonArray previous = resolved.has(PREVIOUS_CONFIGS) ? resolved.getAsJsonArray(PREVIOUS_CONFIGS) : new JsonArray();
        previous.add(CheckpointStore.sha256(before));
        resolved.add(PREVIOUS_CONFIGS, previous);
        JsonArray extensions = resolved.has("extensions") ? resolved.getAsJsonArray("extensions") : new JsonArray();
        JsonObject e = new JsonObject();
        e.addProperty("fromEpochs", extendedFrom);
        e.addProperty("toEpochs", config.epochs);
        e.addProperty("at", Instant.now().toString());
        extensions.add(e);
        resolved.add("extensions", extensions);
        doc.add("resolved", resolved);
        AtomicFiles.writeString(cfg, GSON.toJson(doc) + "\n");
    }

    private RunRecorder buildRecorder(Path runDir, TrainingData data, Normalization norm, boolean classifies)
            throws IOException {
        ImageDataset test = data.test();
        return RunRecorder.builder().setRunDir(runDir).optAngleInterval(config.angleInterval)
                .optSamplesPerClass(config.targetAngleSamples).optSeed(config.seed)
                .optProbe(test.limit(Math.min(ANGLE_PROBE_IMAGES, test.size())), norm)
                .optClassNames(test.classNames()).optClassifies(classifies).build();
    }

    private Result train(Path runDir, TrainingData data, Normalization norm, BatchLoader loader, Schedule schedule,
            Trainer trainer, RunState run, TrainingListener all, boolean classifies) throws IOException {
        RunLog log = run.log;
        all.onTrainingStart(trainer);
        try {
            while (run.progress.epoch() <= config.epochs) {
                int epoch = run.progress.epoch();
                trainer.trainEpoch(loader, run.progress, all);
                boolean evaluate = epoch % config.evalEvery == 0 || epoch == config.epochs;
                EpochProgress p = run.progress;
                double lr = schedule.learningRate(Math.max(0, trainer.steps() - 1));
                double trainAccuracy = trainer.headless() ? Double.NaN : p.accuracy();
                EpochRecord r;
                if (evaluate) {
                    log.log("epoch " + epoch + ": evaluating on " + data.test().size() + " test images");
                    all.onEvaluationStart(epoch, data.test().size());
                    // One pass over the test split serves the metrics and the listeners' analytics.
                    Embeddings test = trainer.inference().embed(data.test(), norm, Math.max(config.batchSize, 256));
                    if (classifies) {
                        EmbeddingAccumulator acc = new EmbeddingAccumulator(test.numClasses(), test.dim());
                        acc.add(test.features(), test.scores(), test.labels());
                        double[][] weights = trainer.classWeights();
                        AngleStatistics angles = acc.angles(weights);
                        all.onEvaluation(epoch, test, weights);
                        r = new EpochRecord(epoch, p.meanLoss(), trainAccuracy, acc.top1Error(), acc.top5Error(), angles,
                                lr, p.seconds(), p.images() / p.seconds(), p.modelSeconds(), p.skippedBatches());
                    } else {
                        AngleStatistics angles = AngleStatistics.withoutWeights(test.features(), test.dim(), test.labels());
                        EmbeddingQuality quality = EmbeddingQuality.evaluate(test.features(), test.dim(), test.labels(),
                                config.seed);
                        all.onEvaluation(epoch, test, null);
                        r = new EpochRecord(epoch, p.meanLoss(), trainAccuracy, Double.NaN, Double.NaN, angles, lr,
                                p.seconds(), p.images() / p.seconds(), p.modelSeconds(), p.skippedBatches(), quality);
                    }
                } else {
                    r = new EpochRecord(epoch, p.meanLoss(), trainAccuracy, Double.NaN, Double.NaN,
                            new AngleStatistics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN), lr,
                            p.seconds(), p.images() / p.seconds(), p.modelSeconds(), p.skippedBatches());
                }
                run.records.add(r);
                run.progress = new EpochProgress(epoch + 1);
                if (r.quality() != null ? !(r.mapAtR() <= run.bestMapAtR)
                        : r.evaluated() && !(r.testTop1Error() >= run.bestTop1Error)) {
                    run.bestTop1Error = r.testTop1Error();
                    run.bestMapAtR = r.mapAtR();
                    run.bestStep = trainer.steps();
                }
                MetricsTable.write(runDir.resolve("metrics.csv"), run.records);
                MetricsTable.writeJsonLines(runDir.resolve("metrics.jsonl"), run.records);
                Path saved = run.save();
                String measured = classifies
                        ? String.format(Locale.ROOT, "train acc %.2f%%, test top-1 err %.2f%%, WC-Intra %.4f",
                                r.trainAccuracy(), r.testTop1Error(), r.angles().wcIntraRaw())
                        : String.format(Locale.ROOT, "test P@1 %.4f, MAP@R %.4f, C-Inter %.4f",
                                r.quality() == null ? Double.NaN : r.quality().retrieval().precisionAt1(), r.mapAtR(),
                                r.angles().cInterRaw());
                log.log(String.format(Locale.ROOT, "epoch %d: loss %.4f, %s, lr %.3g, %.1f s (model %.1f s),"
                        + " checkpoint %s%s", epoch, r.trainLoss(), measured, lr, r.seconds(), r.modelSeconds(),
                        saved.getFileName(),
                        r.skippedBatches() == 0 ? "" : ", " + r.skippedBatches() + " batches skipped (non-finite)"));
                all.onEpochEnd(r);
            }
        } catch (RuntimeException | IOException e) {
            try {
                log.log("stopped by " + e);
            } catch (IOException logFailed) {
                // A full disk can refuse the log line too; the original failure is what matters.
                e.addSuppressed(logFailed);
            }
            throw e;
        }
        all.onTrainingEnd(List.copyOf(run.records));
        return new Result(runDir, List.copyOf(run.records));
    }

    private String runName() {
        if (config.name != null) {
            return config.name;
        }
        // A folder: or idx: dataset is named by its folder, so the run directory does not nest its path.
        Path folder = config.datasetSpec().path();
        Path base = folder == null ? null : folder.toAbsolutePath().normalize().getFileName();
        String data = folder == null ? config.dataset : base == null ? "data" : base.toString();
        return data.replaceAll("[^A-Za-z0-9._+-]", "_") + "-" + config.loss + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    /** The mutable state of an executing run; also the listener that writes mid-epoch checkpoints. */
    private final class RunState implements TrainingListener {
        private final Trainer trainer;
        private final CheckpointStore store;
        private final RunLog log;
        private final List<EpochRecord> records = new ArrayList<>();
        private EpochProgress progress = new EpochProgress(1);
        private long bestStep = -1;
        private double bestTop1Error = Double.NaN;
        private double bestMapAtR = Double.NaN;

        private final Path runDir;
        private String configSha256;

        RunState(Trainer trainer, CheckpointStore store, RunLog log, Path runDir) {
            this.runDir = runDir;
            this.trainer = trainer;
            this.store = store;
            this.log = log;
        }

        @Override
        public void onBatchSkipped(int epoch, int batch, String diagnosis) {
            try {
                log.log(diagnosis);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void onStep(StepContext step) {
            if (config.checkpointEvery > 0 && step.step() % config.checkpointEvery == 0
                    && step.batch() < step.batchesPerEpoch()) {
                try {
                    save();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot write checkpoint at step " + step.step(), e);
                }
            }
        }

        Path save() throws IOException {
            EpochProgress p = progress;
            TrainingState state = new TrainingState(trainer.steps(), p.epoch(), p.nextBatch(), p.lossSum(), p.correct(),
                    p.images(), p.seconds(), p.modelSeconds(), records, bestStep,
                    bestTop1Error, trainer.parameterNames(), p.skippedBatches(), configSha());
            byte[] module = trainer.network().backbone() instanceof TorchScriptBackbone t ? t.moduleBytes() : null;
            return store.save(state, trainer.parameterArrays(), trainer.optimizer().state(), trainer.lossState(), module);
        }

        /** config.json is written once, before the first checkpoint: hash it once. */
        private String configSha() throws IOException {
            if (configSha256 == null) {
                configSha256 = configSha256(runDir);
            }
            return configSha256;
        }

        void restore(CheckpointStore.Checkpoint ckpt) throws IOException {
            TrainingState s = ckpt.state();
            if (s.configSha256() != null && !s.configSha256().equals(configSha256(runDir))
                    && !previousConfigs(runDir).contains(s.configSha256())) {
                Path cfg = runDir.resolve("config.json");
                throw new IOException(cfg + " was changed after " + ckpt.dir().getFileName() + " was written (its"
                        + " SHA-256 differs from the one the checkpoint recorded): restore it, or start a new run"
                        + " from it with --config");
            }
            try (NDManager tmp = trainer.parameterArrays().get(0).getManager().newSubManager()) {
                trainer.restoreParameters(s.parameterNames(), ckpt.read(CheckpointStore.MODEL_FILE, tmp));
                trainer.optimizer().restore(ckpt.read(CheckpointStore.OPTIMIZER_FILE, tmp), s.step());
                trainer.restoreLossState(java.nio.file.Files.readAllBytes(ckpt.dir().resolve(CheckpointStore.LOSS_FILE)));
            } catch (IOException | IllegalArgumentException e) {
                // Say which checkpoint did not fit this run (a wrong shape, or a loss state it cannot read).
                throw new IOException(ckpt.dir() + ": cannot restore this checkpoint (" + e.getMessage() + ")", e);
            }
            records.clear();
            records.addAll(s.records());
            progress = s.progress();
            bestStep = s.bestStep();
            bestTop1Error = s.bestStep() < 0 ? Double.NaN : s.bestTop1Error();
            // The best MAP@R is the highest of the records: the checkpoint keeps only the best step.
            bestMapAtR = records.stream().mapToDouble(EpochRecord::mapAtR).filter(v -> !Double.isNaN(v)).max()
                    .orElse(Double.NaN);
        }
    }

    /** The SHA-256 of the configurations a run was extended from, which its older checkpoints were written under. */
    private static List<String> previousConfigs(Path runDir) throws IOException {
        JsonObject doc = GSON.fromJson(Files.readString(runDir.resolve("config.json")), JsonObject.class);
        JsonObject resolved = doc == null || !doc.has("resolved") ? null : doc.getAsJsonObject("resolved");
        List<String> out = new ArrayList<>();
        if (resolved != null && resolved.has(PREVIOUS_CONFIGS)) {
            resolved.getAsJsonArray(PREVIOUS_CONFIGS).forEach(e -> out.add(e.getAsString()));
        }
        return out;
    }

    /** The SHA-256 of the run's config.json as it is on disk now. */
    private static String configSha256(Path runDir) throws IOException {
        return CheckpointStore.sha256(Files.readAllBytes(runDir.resolve("config.json")));
    }

    /**
     * Refuses to resume with a TorchScript module other than the one the run started with: its
     * SHA-256 must be the one {@code config.json} recorded.
     */
    private void checkSameBackbone(Path runDir) throws IOException {
        Path cfg = runDir.resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            return;
        }
        JsonObject doc = GSON.fromJson(Files.readString(cfg), JsonObject.class);
        JsonObject resolved = doc != null && doc.has("resolved") ? doc.getAsJsonObject("resolved") : null;
        if (resolved == null || !resolved.has("backboneSha256")) {
            return; // written before the run's first checkpoint was: nothing to continue
        }
        Path file = config.backboneFile();
        String recorded = resolved.get("backboneSha256").getAsString();
        String now = TorchScriptBackbone.sha256(file);
        if (!recorded.equals(now)) {
            throw new IOException(file + ": SHA-256 " + now + " differs from that of the module this run was trained"
                    + " with (" + recorded + ", in " + cfg + "); resuming would continue another network. Restore the"
                    + " original file, or start a new run with this module");
        }
    }

    private void checkSameData(Path runDir, String trainSum, String testSum) throws IOException {
        Path cfg = runDir.resolve("config.json");
        JsonObject doc = GSON.fromJson(Files.readString(cfg), JsonObject.class);
        JsonObject resolved = doc.has("resolved") ? doc.getAsJsonObject("resolved") : null;
        if (resolved == null || !resolved.has("trainSha256")) {
            return;
        }
        if (!resolved.get("trainSha256").getAsString().equals(trainSum)
                || !resolved.get("testSha256").getAsString().equals(testSum)) {
            throw new IOException(cfg + ": the dataset differs from the one this run started with (SHA-256 of the"
                    + " loaded splits changed); resuming would mix data");
        }
    }

    private void writeConfig(Path runDir, TrainingData data, Normalization norm, String trainSum, String testSum,
            Trainer trainer, boolean classifies, int stepsPerEpoch) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", config);
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("datasetLocation", data.location() == null ? null : data.location().toAbsolutePath().toString());
        resolved.put("datasetLayout", data.layout());
        resolved.put("augmentation", data.augmentation());
        resolved.put("trainImages", data.train().size());
        resolved.put("testImages", data.test().size());
        resolved.put("trainSha256", trainSum);
        resolved.put("testSha256", testSum);
        resolved.put("skippedImages", data.skipped().size());
        resolved.put("skippedImageFiles", data.skipped());
        resolved.put("numClasses", data.train().numClasses());
        resolved.put("classNames", data.train().classNames());
        resolved.put("testClassNames", data.test().classNames());
        resolved.put("evaluation", classifies ? "classification" : "retrieval");
        resolved.put("imageShape", new int[] {data.train().channels(), data.train().height(), data.train().width()});
        resolved.put("normalizationMean", norm.mean());
        resolved.put("normalizationStd", norm.std());
        resolved.put("parameters", trainer.parameterCount());
        resolved.put("stepsPerEpoch", stepsPerEpoch);
        if (trainer.network().backbone() instanceof TorchScriptBackbone t) {
            resolved.put("backboneFile", t.file().toAbsolutePath().toString());
            resolved.put("backboneSha256", TorchScriptBackbone.sha256(t.file()));
            resolved.put("backboneFeatures", t.features());
        }
        resolved.put("optimizer", trainer.optimizer().describe());
        resolved.put("devices", Arrays.stream(trainer.devices()).map(Devices::name).toList());
        resolved.put("anglearnVersion", io.anglearn.util.Version.current());
        resolved.put("engine", Engines.describe());
        resolved.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        resolved.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        resolved.put("cpu", io.anglearn.util.CpuInfo.describe());
        resolved.put("gitCommit", gitCommit());
        resolved.put("created", Instant.now().toString());
        resolved.put("angleStatistics", "c_inter and wc_intra use raw class means; *_norm use means of L2-normalised features");
        doc.put("resolved", resolved);
        AtomicFiles.writeString(runDir.resolve("config.json"), GSON.toJson(doc) + "\n");
    }

    /**
     * Returns the git commit of the working directory (with "-dirty" if modified), or null outside git.
     *
     * @return the commit, or null
     */
    public static String gitCommit() {
        try {
            String head = run("git", "rev-parse", "HEAD");
            if (head == null || !head.matches("[0-9a-f]{40}")) {
                return null;
            }
            String status = run("git", "status", "--porcelain", "--untracked-files=no");
            return status != null && !status.isEmpty() ? head + "-dirty" : head;
        } catch (IOException e) {
            return null;
        }
    }

    private static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return null;
        }
    }
}
