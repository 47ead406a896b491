package io.anglearn.run;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.Normalization;
import io.anglearn.engine.Devices;
import io.anglearn.engine.Engines;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.metrics.EmbeddingQuality;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.model.TorchScriptBackbone;
import io.anglearn.record.RunLog;
import io.anglearn.record.RunRecorder;
import io.anglearn.rundir.RunDirectoryLock;
import io.anglearn.rundir.RunFiles;
import io.anglearn.rundir.RunManifest;
import io.anglearn.train.CheckpointStore;
import io.anglearn.train.EpochRecord;
import io.anglearn.train.NonFinitePolicy;
import io.anglearn.train.RestartedSchedule;
import io.anglearn.train.RunStatus;
import io.anglearn.train.Schedule;
import io.anglearn.train.Trainer;
import io.anglearn.train.TrainingComponents;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingData;
import io.anglearn.train.TrainingListener;
import io.anglearn.train.TrainingState;
import io.anglearn.util.Words;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 *
 * <p>The parts: {@link TrainingComponents} builds the network, loss, optimiser, schedule and
 * loader; {@link RunDirectoryLock} keeps a second process out; {@link RunManifest} writes
 * {@code config.json} ({@link RunResolution} resolves it, with {@link RunProvenance});
 * {@link ResumeChecks} compares a resumed run with what it recorded; {@link RunState} is what a
 * checkpoint holds, written by the {@link CheckpointingListener} and the {@link EpochLoop};
 * {@link RunListeners} fixes the order the listeners hear each event in.
 */
public final class TrainingRun {

    /** Test images in the fixed probe set of the angle statistics by iteration (the first of the test split). */
    public static final int ANGLE_PROBE_IMAGES = 500;

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
        this(config, null, null, 0);
    }

    /**
     * Creates a new run on data the caller supplies (the configuration's dataset fields are then
     * only recorded).
     *
     * @param config the configuration; validated here and copied
     * @param data the splits
     */
    public TrainingRun(TrainingConfig config, TrainingData data) {
        this(config, data, null, 0);
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
        return new TrainingRun(readRunConfig(runDir), null, runDir, 0);
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
            throw new IllegalArgumentException(runDir + " has not finished: " + st.epochsDone() + " of its "
                    + Words.count(st.epochs(), "epoch") + " " + (st.epochsDone() == 1 ? "is" : "are") + " done. Finish it first with 'anglearn train --resume " + runDir + "', then extend it"
                    + " with --epochs");
        }
        if (epochs <= c.epochs) {
            throw new IllegalArgumentException("--epochs " + epochs + ": " + runDir + " has already trained "
                    + Words.count(c.epochs, "epoch") + "; give more to extend it");
        }
        int done = c.epochs;
        c.scheduleRestarts = new ArrayList<>(c.scheduleRestarts);
        c.scheduleRestarts.add(done);
        c.epochs = epochs;
        return new TrainingRun(c, null, runDir, done);
    }

    /**
     * Adds a line to a run's {@code train.log}, as the run itself writes them (time-stamped), for
     * what happens to a run outside its training loop, such as an interruption.
     *
     * @param runDir the run directory
     * @param line the line
     * @throws IOException if the log cannot be written
     */
    public static void log(Path runDir, String line) throws IOException {
        new RunLog(RunFiles.log(runDir)).log(line);
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
        Optional<CheckpointStore.Checkpoint> ckpt = new CheckpointStore(RunFiles.checkpoints(runDir),
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
        return TrainingConfig.read(RunManifest.requireRun(runDir));
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
        return new TrainingRun(readRunConfig(runDir), data, runDir, 0);
    }

    /** Returns the configuration. */
    public TrainingConfig config() {
        return config.copy();
    }

    /** The result of a finished run. */
    public record Result(Path runDir, List<EpochRecord> epochs) {}

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
        EmbeddingLoss loss = TrainingComponents.buildLoss(config);
        if (config.backbone != null) {
            // Before the data is loaded: a missing or foreign module file fails at once.
            TorchScriptBackbone.check(config.backboneFile());
            if (resumeDir != null) {
                ResumeChecks.sameBackbone(resumeDir, config.backboneFile());
            }
        }
        TrainingData data = suppliedData != null ? suppliedData : TrainingData.load(config);
        if (data.test().size() == 0) {
            throw new IllegalArgumentException("the test split " + data.test().name() + " holds no images; a run"
                    + " evaluates on its test split, so it needs some");
        }
        Path runDir = resumeDir != null ? resumeDir : Path.of(config.runsDir).resolve(runName());
        try (RunDirectoryLock lock = resumeDir != null ? RunDirectoryLock.acquire(runDir)
                : RunDirectoryLock.acquireForNewRun(runDir)) {
            return executeLocked(listener, devices, loss, data, runDir);
        }
    }

    private Result executeLocked(TrainingListener listener, Device[] devices, EmbeddingLoss loss, TrainingData data,
            Path runDir) throws IOException {
        RunLog log = new RunLog(RunFiles.log(runDir));
        Normalization norm = Normalization.of(data.train());
        String trainSum = TrainingData.checksum(data.train());
        String testSum = TrainingData.checksum(data.test());
        if (resumeDir != null) {
            ResumeChecks.sameData(runDir, trainSum, testSum);
        }
        BatchLoader loader = TrainingComponents.buildLoader(config, data, norm);
        Schedule schedule = TrainingComponents.buildSchedule(config, loader.batchesPerEpoch());
        CheckpointStore checkpoints = new CheckpointStore(RunFiles.checkpoints(runDir), config.keepCheckpoints);
        List<String> skipped = new ArrayList<>();
        Optional<CheckpointStore.Checkpoint> ckpt = resumeDir == null ? Optional.empty()
                : checkpoints.latestValid(skipped);
        try (Trainer trainer = buildTrainer(data, loss, schedule, devices, ckpt)) {
            RunResolution resolution = new RunResolution(config, data, norm, trainSum, testSum, trainer,
                    !trainer.headless() && data.sameClasses(), loader.batchesPerEpoch());
            RunState state = new RunState(trainer, checkpoints, runDir);
            String resumedFrom = resumeDir == null ? start(runDir, resolution, log)
                    : continueFrom(runDir, ckpt, skipped, checkpoints, state, log);
            listener.onRunStart(resolution.summary(runDir, resumedFrom));
            try (RunRecorder recorder = config.tensorBoard ? buildRecorder(runDir, resolution) : null) {
                RunListeners listeners = new RunListeners(listener, recorder,
                        new CheckpointingListener(state, log, config.checkpointEvery));
                List<EpochRecord> records = new EpochLoop(config, runDir, resolution, loader, schedule, state, log)
                        .run(listeners.inOrder());
                return new Result(runDir, records);
            }
        }
    }

    /** Builds the trainer; a resumed TorchScript run reads the module its checkpoint saved. */
    private Trainer buildTrainer(TrainingData data, EmbeddingLoss loss, Schedule schedule, Device[] devices,
            Optional<CheckpointStore.Checkpoint> ckpt) throws IOException {
        Path module = null;
        if (config.backbone != null && ckpt.isPresent()) {
            // The module as it was at the checkpoint: its buffers are not among the saved parameters.
            module = ckpt.get().backboneModule().orElseThrow(() -> new IOException(ckpt.get().dir() + " lacks "
                    + CheckpointStore.BACKBONE_FILE + ", the TorchScript backbone's module, which this run needs"));
        }
        ImageDataset train = data.train();
        EmbeddingNetwork net = TrainingComponents.buildNetwork(config, train.numClasses(), loss, module);
        return Trainer.builder().setNetwork(net).setLoss(loss)
                .setInputShape(new Shape(train.channels(), train.height(), train.width())).setSchedule(schedule)
                .optOptimizer(TrainingComponents.buildOptimizer(config)).optDevices(devices).optSeed(config.seed)
                .optFreezeBackboneEpochs(config.freezeBackboneEpochs)
                .optNonFinitePolicy(NonFinitePolicy.parse(config.onNonFinite)).build();
    }

    /** Starts a new run: writes its config.json and first log lines; returns null (not resumed). */
    private String start(Path runDir, RunResolution resolution, RunLog log) throws IOException {
        RunManifest.write(runDir, config, resolution.settings());
        TrainingData data = resolution.data();
        log.log("started " + runDir.getFileName() + ": " + config.dataset + ", " + config.describeBackbone() + ", loss "
                + config.loss + ", " + Words.count(config.epochs, "epoch") + " of " + Words.count(resolution.stepsPerEpoch(), "step") + ", "
                + resolution.trainer().parameterCount() + " parameters, devices " + config.device);
        if (!data.skipped().isEmpty()) {
            log.log("left out " + Words.count(data.skipped().size(), "unreadable image file") + ": " + String.join("; ", data.skipped()));
        }
        return null;
    }

    /** Continues a run (recording an extension first): restores its newest intact checkpoint; returns from where. */
    private String continueFrom(Path runDir, Optional<CheckpointStore.Checkpoint> ckpt, List<String> skipped,
            CheckpointStore checkpoints, RunState state, RunLog log) throws IOException {
        if (extendedFrom > 0) {
            ResumeChecks.recordExtension(runDir, checkpoints, config, extendedFrom);
            log.log("extended from " + extendedFrom + " to " + config.epochs + " epochs; the " + config.schedule
                    + " schedule starts again at epoch " + (extendedFrom + 1));
        }
        for (String s : skipped) {
            log.log(s);
        }
        if (ckpt.isEmpty()) {
            log.log("resumed with no valid checkpoint: starting from the beginning");
            return "the beginning: no intact checkpoint";
        }
        ResumeChecks.configUnchanged(runDir, ckpt.get());
        state.restore(ckpt.get());
        String from = "epoch " + state.progress().epoch() + ", batch " + state.progress().nextBatch() + ", step "
                + state.steps();
        log.log("resumed from " + ckpt.get().dir().getFileName() + " (" + from + ")");
        return from;
    }

    private RunRecorder buildRecorder(Path runDir, RunResolution resolution) throws IOException {
        ImageDataset test = resolution.data().test();
        return RunRecorder.builder().setRunDir(runDir).optAngleInterval(config.angleInterval)
                .optSamplesPerClass(config.targetAngleSamples).optSeed(config.seed)
                .optProbe(test.limit(Math.min(ANGLE_PROBE_IMAGES, test.size())), resolution.norm())
                .optClassNames(test.classNames()).optClassifies(resolution.classifies()).build();
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
}
