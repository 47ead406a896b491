package io.anglearn.rundir;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The names of the files and folders a run directory holds, defined once for the trainer that
 * writes them, the recorder and report that read them, and the commands that check them. All
 * names are relative to the run directory; the path helpers resolve them against one.
 *
 * <p>What is inside a checkpoint folder is {@code io.anglearn.train.CheckpointStore}'s format;
 * what is inside the TensorBoard folder is {@code io.anglearn.record.tensorboard}'s.
 */
public final class RunFiles {

    /** The configuration and what was resolved from it ({@link RunManifest}), written by the trainer. */
    public static final String CONFIG = "config.json";
    /** Per-epoch metrics as CSV, one row per epoch, rewritten after each. */
    public static final String METRICS = "metrics.csv";
    /** Per-epoch metrics as JSON lines, one object per epoch, rewritten after each. */
    public static final String METRICS_JSONL = "metrics.jsonl";
    /** The run's events, one line each. */
    public static final String LOG = "train.log";
    /** Folder of the checkpoints, one sub-folder per saved step. */
    public static final String CHECKPOINTS = "checkpoints";
    /** The lock file held while a process trains the run ({@link RunDirectoryLock}). */
    public static final String LOCK = ".lock";
    /** Angle statistics every N iterations: step, epoch, wc_intra, wc_intra_norm, w_inter, c_inter. */
    public static final String ANGLES_BY_ITERATION = "angles_by_iteration.csv";
    /** Folder of per-epoch target-angle samples, {@code epoch_NNN.csv} with label, angle_rad. */
    public static final String TARGET_ANGLES = "target_angles";
    /** TensorBoard log directory: event files and the projector files of the test embedding. */
    public static final String TENSORBOARD = "tensorboard";
    /** The test embedding's projector tensor name (file stem inside {@link #TENSORBOARD}). */
    public static final String TEST_FEATURES = "test_features";
    /** Final class weights W, one tab-separated row per class. */
    public static final String CLASS_WEIGHTS = "class_weights.tsv";
    /** Final retrieval and clustering metrics of the test embedding. */
    public static final String EMBEDDING_QUALITY = "embedding_quality.json";
    /** Verification metrics, written by {@code anglearn evaluate --verification}. */
    public static final String VERIFICATION = "verification.json";
    /** The verification ROC curve: far, tar, threshold. */
    public static final String VERIFICATION_ROC = "verification_roc.csv";
    /** Folder of the run's embedding indexes, one sub-folder per indexed image set. */
    public static final String INDEXES = "index";

    private RunFiles() {}

    /**
     * The file of one epoch's target-angle sample.
     *
     * @param epoch the epoch, from 1
     * @return its path relative to the run directory
     */
    public static String targetAngles(int epoch) {
        return String.format(Locale.ROOT, "%s/epoch_%03d.csv", TARGET_ANGLES, epoch);
    }

    /**
     * Returns a run directory's configuration file.
     *
     * @param runDir the run directory
     * @return {@code runDir/config.json}
     */
    public static Path config(Path runDir) {
        return runDir.resolve(CONFIG);
    }

    /**
     * Returns a run directory's checkpoint folder.
     *
     * @param runDir the run directory
     * @return {@code runDir/checkpoints}
     */
    public static Path checkpoints(Path runDir) {
        return runDir.resolve(CHECKPOINTS);
    }

    /**
     * Returns a run directory's event log.
     *
     * @param runDir the run directory
     * @return {@code runDir/train.log}
     */
    public static Path log(Path runDir) {
        return runDir.resolve(LOG);
    }

    /**
     * Returns a run directory's per-epoch metrics table.
     *
     * @param runDir the run directory
     * @return {@code runDir/metrics.csv}
     */
    public static Path metrics(Path runDir) {
        return runDir.resolve(METRICS);
    }

    /**
     * Returns a run directory's per-epoch metrics as JSON lines.
     *
     * @param runDir the run directory
     * @return {@code runDir/metrics.jsonl}
     */
    public static Path metricsJsonLines(Path runDir) {
        return runDir.resolve(METRICS_JSONL);
    }

    /**
     * Returns the folder of one of a run's embedding indexes.
     *
     * @param runDir the run directory
     * @param name the index's name, e.g. {@code test}
     * @return {@code runDir/index/NAME}
     */
    public static Path index(Path runDir, String name) {
        return runDir.resolve(INDEXES).resolve(name);
    }

    /**
     * Tells whether a folder holds a run: its configuration file exists.
     *
     * @param dir the folder
     * @return true when {@code dir/config.json} is a regular file
     */
    public static boolean isRun(Path dir) {
        return java.nio.file.Files.isRegularFile(config(dir));
    }
}
