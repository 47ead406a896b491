package io.anglearn.record;

import io.anglearn.metrics.AngleStatistics;
import io.anglearn.rundir.AtomicFiles;
import io.anglearn.rundir.RunFiles;
import io.anglearn.train.EpochRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes run directories as a trainer with a {@link RunRecorder} would, from synthetic features
 * that tighten around their class weights epoch by epoch, so report code can be tested without
 * training.
 */
public final class SyntheticRuns {

    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    private SyntheticRuns() {}

    /**
     * Writes one run.
     *
     * @param dir the run directory
     * @param loss the loss name put into config.json
     * @param dim the feature dimension
     * @param spread the final angular spread around the class weight (radians)
     * @return the directory
     */
    public static Path write(Path dir, String loss, int dim, double spread) throws IOException {
        int c = 10;
        int n = 300;
        int epochs = 3;
        Random rnd = new Random(dim * 31L + loss.hashCode());
        double[][] w = new double[c][dim];
        for (int j = 0; j < c; j++) {
            for (int k = 0; k < dim; k++) {
                w[j][k] = dim == 2 ? (k == 0 ? Math.cos(2 * Math.PI * j / c) : Math.sin(2 * Math.PI * j / c)) * 2
                        : rnd.nextGaussian();
            }
        }
        AtomicFiles.writeString(dir.resolve(RunFiles.CONFIG), "{\n  \"config\": {\"dataset\": \"fashion-mnist\", \"loss\": \""
                + loss + "\", \"embeddingDim\": " + dim + ", \"lossParams\": {\"k\": 4.0}, \"epochs\": " + epochs
                + "},\n  \"resolved\": {\"numClasses\": 10, \"created\": \"now\"}\n}\n");
        List<EpochRecord> records = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % c;
        }
        try (RunRecorder rec = RunRecorder.builder().setRunDir(dir).optAngleInterval(5).optSamplesPerClass(20)
                .optLossInterval(2).optSeed(1).build()) {
            float[] f = null;
            int[] pred = new int[n];
            for (int e = 1; e <= epochs; e++) {
                double s = spread * (1 + 3.0 * (epochs - e) / epochs);
                f = features(w, labels, dim, s, rnd);
                for (int b = 1; b <= 10; b++) {
                    rec.onBatch(e, b, 2.0 / (e + b / 10.0));
                    if (rec.step() % rec.angleInterval() == 0) {
                        rec.recordAngles(rec.step(), e, AngleStatistics.of(f, dim, labels, w));
                    }
                }
                rec.recordTargetAngles(e, f, dim, labels, w, CLASSES);
                long wrong = 0;
                for (int i = 0; i < n; i++) {
                    pred[i] = rnd.nextDouble() < 0.1 * s ? rnd.nextInt(c) : labels[i];
                    wrong += pred[i] != labels[i] ? 1 : 0;
                }
                EpochRecord r = new EpochRecord(e, 2.0 / e, 100 - 30.0 / e, 100.0 * wrong / n, 1.0 / e,
                        AngleStatistics.of(f, dim, labels, w), 1e-3, 1.5, 1000, 1.4, 0);
                records.add(r);
                MetricsTable.write(dir.resolve(RunFiles.METRICS), records);
                rec.onEpochEnd(r);
            }
            rec.recordTestEmbedding(f, dim, labels, pred, w, CLASSES);
        }
        return dir;
    }

    /** Features at angle ~N(0, spread) from their class weight, random lengths. */
    private static float[] features(double[][] w, int[] labels, int dim, double spread, Random rnd) {
        float[] f = new float[labels.length * dim];
        for (int i = 0; i < labels.length; i++) {
            double[] wy = w[labels[i]];
            double norm = 0;
            double[] x = new double[dim];
            for (int k = 0; k < dim; k++) {
                norm += wy[k] * wy[k];
            }
            norm = Math.sqrt(norm);
            if (dim == 2) {
                double a = Math.atan2(wy[1], wy[0]) + rnd.nextGaussian() * spread;
                x[0] = Math.cos(a);
                x[1] = Math.sin(a);
            } else {
                for (int k = 0; k < dim; k++) {
                    x[k] = wy[k] / norm + rnd.nextGaussian() * spread / Math.sqrt(dim);
                }
            }
            double len = 1 + rnd.nextDouble() * 5;
            for (int k = 0; k < dim; k++) {
                f[i * dim + k] = (float) (x[k] * len);
            }
        }
        return f;
    }
}
