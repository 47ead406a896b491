package io.anglearn.record;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.EmbeddingQuality;
import io.anglearn.metrics.TargetAngles;
import io.anglearn.record.tensorboard.EventFileWriter;
import io.anglearn.record.tensorboard.Histogram;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.Normalization;
import io.anglearn.record.tensorboard.ProjectorFiles;
import io.anglearn.rundir.AtomicFiles;
import io.anglearn.rundir.RunFiles;
import io.anglearn.train.Embeddings;
import io.anglearn.train.EpochRecord;
import io.anglearn.train.StepContext;
import io.anglearn.train.Trainer;
import io.anglearn.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Records what the figures and the report need while a run trains, into the run directory
 * (names in {@link RunFiles}) and into TensorBoard event files:
 * <ul>
 *   <li>as a {@link TrainingListener}: the training loss every {@code lossInterval} steps and,
 *       after each epoch, the epoch's loss, accuracy, test errors, angle statistics and learning
 *       rate as TensorBoard scalars;
 *   <li>{@link #recordAngles}: the angle statistics every {@link #angleInterval()} iterations
 *       (the paper's Figure 5), as CSV and scalars;
 *   <li>{@link #recordTargetAngles}: per epoch, up to {@code samplesPerClass} random target angles
 *       θ_y per class (Figure 7 uses 200 of one class), as CSV and one histogram per class;
 *   <li>{@link #recordTestEmbedding}: at the end, the test embedding and class weights
 *       (projector files, Figures 6 and 8, the confusion matrix) and its retrieval and
 *       clustering metrics.
 * </ul>
 * Steps are counted from the listener's {@code onBatch} calls, starting at the trainer's step in
 * {@code onTrainingStart}, so TensorBoard's x axis is the iteration for every scalar. Files other
 * than the append-only event file are written atomically.
 *
 * <p>Attached to a training loop (as {@code TrainingRun} does), the recorder drives itself from
 * the listener calls: with a probe set ({@link Builder#optProbe}) it measures the angle statistics
 * on it every N steps in {@code onStep} (a forward pass in evaluation mode, each batch in a closed
 * sub-scope, so training is unchanged); in {@code onEvaluation} it samples the target angles from
 * the evaluation's own test features; in {@code onTrainingEnd} it records the last evaluated test
 * embedding. The owner closes it.
 *
 * <p>Resuming: a recorder built on a run directory that already holds records keeps the angle
 * rows up to the step the run resumes from (read in {@code onTrainingStart}) and drops later ones,
 * which the resumed run measures again; per-epoch and final files are rewritten whole. Each
 * recorder opens a new event file beside the earlier ones, and TensorBoard merges the files of a
 * directory: scalars logged between the resumed checkpoint and the interruption appear twice at
 * the same steps, with equal values, since resuming is exact.
 *
 * <p>A run whose network does not classify the test classes ({@link Builder#optClassifies}: a
 * pair loss, or test classes other than the training classes) has no class weights for them: its
 * angle rows hold C-Inter alone (W-Inter and WC-Intra NaN), no target angles are recorded, and
 * the test embedding is recorded without predictions and without {@code class_weights.tsv}.
 *
 * <p>Hyperparameters: the angle interval N (default 200 iterations; 0 = off), samples per class
 * (default 200), the loss interval (default 10 steps), the sampling seed (default 0), TensorBoard
 * output (default on), the probe set (default none) and its evaluation batch size (250), whether
 * the network classifies the test classes (default yes).
 */
public final class RunRecorder implements TrainingListener, AutoCloseable {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
    private static final int PROBE_BATCH = 250;
    private static final String ANGLE_HEADER = "step,epoch,wc_intra,wc_intra_norm,w_inter,c_inter";

    private final Path runDir;
    private final int angleInterval;
    private final int samplesPerClass;
    private final int lossInterval;
    private final long seed;
    private final EventFileWriter events;
    private final ImageDataset probe;
    private final Normalization norm;
    private final List<String> classNames;
    private final boolean classifies;
    private final List<String> angleRows = new ArrayList<>();
    private long step;
    private Embeddings lastTest;
    private double[][] lastWeights;

    private RunRecorder(Builder b) throws IOException {
        runDir = b.runDir;
        angleInterval = b.angleInterval;
        samplesPerClass = b.samplesPerClass;
        lossInterval = b.lossInterval;
        seed = b.seed;
        probe = b.probe;
        norm = b.norm;
        classNames = b.classNames;
        classifies = b.classifies;
        events = b.tensorBoard ? new EventFileWriter(runDir.resolve(RunFiles.TENSORBOARD)) : null;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns N: {@link #recordAngles} is due when the step is a multiple of it (0 = never). */
    public int angleInterval() {
        return angleInterval;
    }

    /** Returns the training steps seen so far through {@link #onBatch}. */
    public long step() {
        return step;
    }

    /**
     * Starts counting at the trainer's step and, when resuming, keeps the earlier angle rows up to
     * that step.
     */
    @Override
    public void onTrainingStart(Trainer trainer) {
        step = trainer.steps();
        angleRows.clear();
        Path csv = runDir.resolve(RunFiles.ANGLES_BY_ITERATION);
        if (Files.isRegularFile(csv)) {
            try {
                for (String row : Files.readAllLines(csv)) {
                    int comma = row.indexOf(',');
                    if (row.isBlank() || row.startsWith(ANGLE_HEADER) || comma < 0) {
                        continue;
                    }
                    if (Long.parseLong(row.substring(0, comma)) <= step) {
                        angleRows.add(row);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                throw new IllegalStateException("cannot continue " + csv + ": " + e.getMessage(), e);
            }
        }
    }

    /** Measures the angle statistics on the probe set when the step is a multiple of N. */
    @Override
    public void onStep(StepContext ctx) {
        if (probe == null || angleInterval == 0 || ctx.step() % angleInterval != 0) {
            return;
        }
        Embeddings e = ctx.trainer().inference().embed(probe, norm, PROBE_BATCH);
        try {
            recordAngles(ctx.step(), ctx.epoch(), classifies
                    ? AngleStatistics.of(e.features(), e.dim(), e.labels(), ctx.trainer().classWeights())
                    : AngleStatistics.withoutWeights(e.features(), e.dim(), e.labels()));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Records the epoch's target angles from the evaluation's features (when there are class
     * weights) and keeps the features for the end.
     */
    @Override
    public void onEvaluation(int epoch, Embeddings test, double[][] classWeights) {
        try {
            if (classWeights != null) {
                recordTargetAngles(epoch, test.features(), test.dim(), test.labels(), classWeights, classNames);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        lastTest = test;
        lastWeights = classWeights;
    }

    /** Records the last evaluated test embedding (the last epoch is always evaluated). */
    @Override
    public void onTrainingEnd(List<EpochRecord> records) {
        if (lastTest == null) {
            return;
        }
        Embeddings t = lastTest;
        int c = t.numClasses();
        int[] predicted = lastWeights == null ? null : new int[t.count()];
        float[] s = t.scores();
        for (int i = 0; predicted != null && i < predicted.length; i++) {
            int best = 0; // the highest score wins; the lowest index breaks ties
            for (int j = 1; j < c; j++) {
                if (s[i * c + j] > s[i * c + best]) {
                    best = j;
                }
            }
            predicted[i] = best;
        }
        try {
            recordTestEmbedding(t.features(), t.dim(), t.labels(), predicted, lastWeights, classNames);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void onBatch(int epoch, int batch, double loss) {
        step++;
        if (step % lossInterval == 0) {
            scalar("train/loss", step, loss);
        }
    }

    @Override
    public void onEpochEnd(EpochRecord r) {
        scalar("epoch/train_loss", step, r.trainLoss());
        scalar("epoch/train_accuracy_percent", step, r.trainAccuracy());
        scalar("epoch/test_top1_error_percent", step, r.testTop1Error());
        scalar("epoch/test_top5_error_percent", step, r.testTop5Error());
        scalar("angles/w_inter", step, r.angles().wInter());
        scalar("angles/c_inter", step, r.angles().cInterRaw());
        scalar("angles/wc_intra", step, r.angles().wcIntraRaw());
        scalar("angles/c_inter_norm", step, r.angles().cInterNorm());
        scalar("angles/wc_intra_norm", step, r.angles().wcIntraNorm());
        scalar("epoch/learning_rate", step, r.learningRate());
        scalar("epoch/epoch", step, r.epoch());
        if (r.quality() != null) {
            scalar("epoch/test_precision_at_1", step, r.quality().retrieval().precisionAt1());
            scalar("epoch/test_map_at_r", step, r.quality().retrieval().mapAtR());
        }
    }

    /**
     * Records the angle statistics at an iteration (Figure 5).
     *
     * @param iteration the global step
     * @param epoch the current epoch
     * @param s the statistics, e.g. of the current batch or a fixed probe set
     * @throws IOException if the CSV cannot be written
     */
    public void recordAngles(long iteration, int epoch, AngleStatistics s) throws IOException {
        angleRows.add(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f", iteration, epoch, s.wcIntraRaw(),
                s.wcIntraNorm(), s.wInter(), s.cInterRaw()));
        StringBuilder csv = new StringBuilder(ANGLE_HEADER).append('\n');
        angleRows.forEach(row -> csv.append(row).append('\n'));
        AtomicFiles.writeString(runDir.resolve(RunFiles.ANGLES_BY_ITERATION), csv.toString());
        scalar("angles_by_iteration/wc_intra", iteration, s.wcIntraRaw());
        scalar("angles_by_iteration/wc_intra_norm", iteration, s.wcIntraNorm());
    }

    /**
     * Records one epoch's target angles θ_y: up to {@code samplesPerClass} random samples per
     * class (without replacement, seeded by the epoch) to CSV, and a histogram per class over
     * [0, π] to TensorBoard.
     *
     * @param epoch the epoch, from 1
     * @param features n×d features of the samples to draw from
     * @param dim d
     * @param labels n labels
     * @param weights C×d class weights
     * @param classNames C class names (for the histogram tags)
     * @throws IOException if writing fails
     */
    public void recordTargetAngles(int epoch, float[] features, int dim, int[] labels, double[][] weights,
            List<String> classNames) throws IOException {
        double[] theta = TargetAngles.compute(features, dim, labels, weights);
        int c = weights.length;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int j = 0; j < c; j++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + epoch);
        StringBuilder csv = new StringBuilder("label,angle_rad\n");
        for (int j = 0; j < c; j++) {
            List<Integer> idx = byClass.get(j);
            int k = Math.min(samplesPerClass, idx.size());
            for (int i = 0; i < k; i++) { // partial Fisher–Yates: the first k are a uniform sample
                int swap = i + rnd.nextInt(idx.size() - i);
                Integer t = idx.get(i);
                idx.set(i, idx.get(swap));
                idx.set(swap, t);
            }
            double[] sample = new double[k];
            for (int i = 0; i < k; i++) {
                sample[i] = theta[idx.get(i)];
                csv.append(j).append(',').append(String.format(Locale.ROOT, "%.6f", sample[i])).append('\n');
            }
            if (k > 0 && events != null) {
                String name = j < classNames.size() ? classNames.get(j).replaceAll("[^A-Za-z0-9]+", "_") : "";
                histogram(String.format(Locale.ROOT, "target_angle/class_%d_%s", j, name), epoch,
                        Histogram.of(sample, 0, Math.PI, 60));
            }
        }
        AtomicFiles.writeString(runDir.resolve(RunFiles.targetAngles(epoch)), csv.toString());
    }

    /**
     * Records the final test embedding: projector files (features; metadata label, class,
     * prediction), the class weights, and the embedding's retrieval and clustering metrics.
     *
     * @param features n×d test features
     * @param dim d
     * @param labels n labels
     * @param predictions n predicted classes (argmax of the head output), or null when the network
     *     does not classify these classes (the metadata then has no prediction column)
     * @param weights C×d class weights, or null when there are none for these classes (no
     *     {@code class_weights.tsv} is written)
     * @param classNames C class names
     * @return the measured quality
     * @throws IOException if writing fails
     */
    public EmbeddingQuality recordTestEmbedding(float[] features, int dim, int[] labels, int[] predictions,
            double[][] weights, List<String> classNames) throws IOException {
        if (predictions != null && predictions.length != labels.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predictions.length + " predictions");
        }
        List<List<String>> meta = new ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            meta.add(predictions == null ? List.of(String.valueOf(labels[i]), name(classNames, labels[i]))
                    : List.of(String.valueOf(labels[i]), name(classNames, labels[i]), String.valueOf(predictions[i])));
        }
        ProjectorFiles.write(runDir.resolve(RunFiles.TENSORBOARD), RunFiles.TEST_FEATURES, features, dim,
                predictions == null ? List.of("label", "class") : List.of("label", "class", "prediction"), meta);
        if (weights != null) {
            StringBuilder w = new StringBuilder();
            for (double[] row : weights) {
                for (int k = 0; k < row.length; k++) {
                    w.append(k == 0 ? "" : "\t").append(row[k]);
                }
                w.append('\n');
            }
            AtomicFiles.writeString(runDir.resolve(RunFiles.CLASS_WEIGHTS), w.toString());
        }
        EmbeddingQuality q = EmbeddingQuality.evaluate(features, dim, labels, seed);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("split", "test");
        doc.put("samples", labels.length);
        doc.put("precision_at_1", q.retrieval().precisionAt1());
        doc.put("r_precision", q.retrieval().rPrecision());
        doc.put("map_at_r", q.retrieval().mapAtR());
        doc.put("retrieval_queries", q.retrieval().queries());
        doc.put("nmi_kmeans", q.nmi());
        doc.put("definitions", "Musgrave et al. 2020 (cosine similarity, query left out);"
                + " NMI of k-means++ (k = classes, seed " + seed + ") on L2-normalised features");
        AtomicFiles.writeString(runDir.resolve(RunFiles.EMBEDDING_QUALITY), GSON.toJson(doc) + "\n");
        scalar("test/precision_at_1", step, q.retrieval().precisionAt1());
        scalar("test/r_precision", step, q.retrieval().rPrecision());
        scalar("test/map_at_r", step, q.retrieval().mapAtR());
        scalar("test/nmi_kmeans", step, q.nmi());
        return q;
    }

    private static String name(List<String> names, int j) {
        return j < names.size() ? names.get(j) : String.valueOf(j);
    }

    private void scalar(String tag, long s, double v) {
        if (events == null) {
            return;
        }
        try {
            events.scalar(tag, s, v);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write TensorBoard event file " + events.file(), e);
        }
    }

    private void histogram(String tag, long s, Histogram h) throws IOException {
        events.histogram(tag, s, h);
    }

    @Override
    public void close() throws IOException {
        if (events != null) {
            events.close();
        }
    }

    /** Builds a {@link RunRecorder}. */
    public static final class Builder {
        private Path runDir;
        private int angleInterval = 200;
        private int samplesPerClass = 200;
        private int lossInterval = 10;
        private long seed;
        private boolean tensorBoard = true;
        private ImageDataset probe;
        private Normalization norm;
        private List<String> classNames = List.of();
        private boolean classifies = true;

        private Builder() {}

        /**
         * Says whether the network classifies the probe's and the test split's classes (default
         * true). False for a network without a head (a pair loss) or for test classes other than
         * the training classes: there are then no class weights for them (see the class comment).
         *
         * @param classifies whether class weights exist for the test classes
         * @return this builder
         */
        public Builder optClassifies(boolean classifies) {
            this.classifies = classifies;
            return this;
        }

        /**
         * Sets the fixed probe set whose angle statistics are recorded every N steps while
         * training (default none: {@link #recordAngles} only when called).
         *
         * @param probe the images, e.g. the first 500 of the test split
         * @param norm the training split's normalisation
         * @return this builder
         */
        public Builder optProbe(ImageDataset probe, Normalization norm) {
            this.probe = probe;
            this.norm = norm;
            return this;
        }

        /**
         * Sets the class names used in histogram tags and projector metadata (default none: indices).
         *
         * @param classNames C names
         * @return this builder
         */
        public Builder optClassNames(List<String> classNames) {
            this.classNames = List.copyOf(classNames);
            return this;
        }

        /**
         * Sets the run directory (required); it is created if missing.
         *
         * @param runDir the directory
         * @return this builder
         */
        public Builder setRunDir(Path runDir) {
            this.runDir = runDir;
            return this;
        }

        /**
         * Sets N, the iterations between angle-statistics records on the probe set (default 200).
         *
         * @param n at least 0 (0 = off)
         * @return this builder
         */
        public Builder optAngleInterval(int n) {
            this.angleInterval = n;
            return this;
        }

        /**
         * Sets the target angles sampled per class and epoch (default 200, as in the paper).
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder optSamplesPerClass(int n) {
            this.samplesPerClass = n;
            return this;
        }

        /**
         * Sets the steps between training-loss scalars (default 10).
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder optLossInterval(int n) {
            this.lossInterval = n;
            return this;
        }

        /**
         * Sets the seed of the target-angle sampling and of k-means (default 0).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Turns TensorBoard event files on or off (default on).
         *
         * @param on whether to write them
         * @return this builder
         */
        public Builder optTensorBoard(boolean on) {
            this.tensorBoard = on;
            return this;
        }

        /**
         * Validates and builds; opens the event file.
         *
         * @return the recorder
         * @throws IOException if the event file cannot be created
         */
        public RunRecorder build() throws IOException {
            if (runDir == null) {
                throw new IllegalArgumentException("RunRecorder needs setRunDir(dir)");
            }
            if (probe != null && (norm == null || probe.size() == 0)) {
                throw new IllegalArgumentException("the probe set needs images and a normalisation");
            }
            if (angleInterval < 0 || samplesPerClass < 1 || lossInterval < 1) {
                throw new IllegalArgumentException("angle interval must be ≥ 0, samples per class and loss interval ≥ 1, got "
                        + angleInterval + ", " + samplesPerClass + ", " + lossInterval);
            }
            return new RunRecorder(this);
        }
    }
}
