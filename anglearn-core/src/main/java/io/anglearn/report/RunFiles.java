package io.anglearn.report;

/**
 * The names of the files a run directory holds, shared by the writer ({@link RunRecorder}) and
 * the reader ({@link RunArtifacts}). All paths are relative to the run directory.
 */
public final class RunFiles {

    /** The configuration, written by the trainer. */
    public static final String CONFIG = "config.json";
    /** Per-epoch metrics, written by the trainer ({@link MetricsTable}). */
    public static final String METRICS = "metrics.csv";
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

    private RunFiles() {}

    /**
     * The file of one epoch's target-angle sample.
     *
     * @param epoch the epoch, from 1
     * @return its path relative to the run directory
     */
    public static String targetAngles(int epoch) {
        return String.format(java.util.Locale.ROOT, "%s/epoch_%03d.csv", TARGET_ANGLES, epoch);
    }
}
