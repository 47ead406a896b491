package io.anglearn.record;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonNull;
import com.google.gson.JsonParser;
import io.anglearn.metrics.RetrievalMetrics;
import io.anglearn.metrics.VerificationMetrics;
import io.anglearn.rundir.AtomicFiles;
import io.anglearn.rundir.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's verification results as {@code anglearn evaluate} records them in the run directory:
 * {@value #FILE} (the metrics, the pairs they were measured on, the checkpoint, and the retrieval
 * metrics measured through the run's index when it has one) and {@value #ROC_FILE} (the ROC
 * curve, thinned to at most {@value #ROC_POINTS} points: far, tar, threshold). The HTML report
 * draws the curve from them; {@code anglearn serve} takes its verification threshold from them.
 */
public final class VerificationRecord {

    /** The metrics file in the run directory. */
    public static final String FILE = RunFiles.VERIFICATION;
    /** The ROC curve file in the run directory. */
    public static final String ROC_FILE = RunFiles.VERIFICATION_ROC;
    /** Most ROC points written. */
    public static final int ROC_POINTS = 2000;

    /** Writes a value that does not exist (NaN: too few pairs for a FAR) as null, so the file is strict JSON. */
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    private VerificationRecord() {}

    /**
     * Writes both files atomically.
     *
     * @param runDir the run directory
     * @param split the split measured
     * @param checkpointStep the checkpoint's step
     * @param checkpointDigest the checkpoint's weights digest
     * @param maxPositives the cap on positive pairs
     * @param seed the pairs' seed
     * @param m the metrics
     * @param throughIndex retrieval metrics through the index, or null
     * @param indexPath the index measured, or null
     * @throws IOException if writing fails
     */
    public static void write(Path runDir, String split, long checkpointStep, String checkpointDigest, int maxPositives,
            long seed, VerificationMetrics m, RetrievalMetrics throughIndex, Path indexPath) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("split", split);
        o.addProperty("checkpointStep", checkpointStep);
        o.addProperty("checkpointDigest", checkpointDigest);
        o.addProperty("created", Instant.now().toString());
        JsonObject pairs = new JsonObject();
        pairs.addProperty("positives", m.positives());
        pairs.addProperty("negatives", m.negatives());
        pairs.addProperty("maxPositives", maxPositives);
        pairs.addProperty("seed", seed);
        o.add("pairs", pairs);
        JsonObject v = new JsonObject();
        number(v, "rocAuc", m.auc());
        number(v, "eer", m.eer());
        for (int i = 0; i < m.fars().length; i++) {
            number(v, "tarAtFar" + farKey(m.fars()[i]), m.tarAtFar()[i]);
            number(v, "thresholdAtFar" + farKey(m.fars()[i]), m.thresholdAtFar()[i]);
        }
        number(v, "bestThreshold", m.bestThreshold());
        number(v, "bestAccuracy", m.bestAccuracy());
        o.add("verification", v);
        if (throughIndex != null) {
            JsonObject r = new JsonObject();
            r.addProperty("index", indexPath.toAbsolutePath().normalize().toString());
            number(r, "precisionAt1", throughIndex.precisionAt1());
            number(r, "rPrecision", throughIndex.rPrecision());
            number(r, "mapAtR", throughIndex.mapAtR());
            r.addProperty("queries", throughIndex.queries());
            o.add("retrievalThroughIndex", r);
        }
        StringBuilder csv = new StringBuilder("far,tar,threshold\n");
        for (double[] p : m.rocThinned(ROC_POINTS)) {
            csv.append(String.format(Locale.ROOT, "%.8g,%.8g,%s%n", p[0], p[1],
                    Double.isInfinite(p[2]) ? "inf" : String.format(Locale.ROOT, "%.8g", p[2])));
        }
        AtomicFiles.writeString(runDir.resolve(ROC_FILE), csv.toString());
        AtomicFiles.writeString(runDir.resolve(FILE), GSON.toJson(o) + "\n");
    }

    /** Adds a number, or null for NaN or an infinity, which JSON cannot hold. */
    private static void number(JsonObject o, String key, double value) {
        if (Double.isFinite(value)) {
            o.addProperty(key, value);
        } else {
            o.add(key, JsonNull.INSTANCE);
        }
    }

    /**
     * The key suffix of a FAR: {@code 1e-3} → {@code 1e-3}.
     *
     * @param far the rate
     * @return its short form
     */
    public static String farKey(double far) {
        int exp = (int) Math.round(Math.log10(far));
        return Math.abs(Math.pow(10, exp) - far) < 1e-12 ? "1e" + exp : String.format(Locale.ROOT, "%g", far);
    }

    /**
     * The recorded results of a run, read back.
     *
     * @param metrics the {@value #FILE} document
     * @param roc the ROC points {FAR, TAR}
     */
    public record Recorded(JsonObject metrics, List<double[]> roc) {

        /** Returns a verification value ({@code rocAuc}, {@code eer}, {@code tarAtFar1e-3}, …) or NaN. */
        public double value(String key) {
            JsonObject v = metrics.getAsJsonObject("verification");
            return v == null || !v.has(key) || v.get(key).isJsonNull() ? Double.NaN : v.get(key).getAsDouble();
        }

        /** Returns the number of negative pairs. */
        public int negatives() {
            return metrics.getAsJsonObject("pairs").get("negatives").getAsInt();
        }
    }

    /**
     * Reads a run's results, if it has them.
     *
     * @param runDir the run directory
     * @return the results, or null when the run has no {@value #FILE}
     * @throws IOException if a file is malformed (the message names it)
     */
    public static Recorded read(Path runDir) throws IOException {
        Path f = runDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            o.getAsJsonObject("pairs").get("negatives").getAsInt();
        } catch (RuntimeException e) {
            throw new IOException(f + " is not a valid verification record: " + e.getMessage(), e);
        }
        List<double[]> roc = new ArrayList<>();
        Path c = runDir.resolve(ROC_FILE);
        if (Files.isRegularFile(c)) {
            List<String> lines = Files.readAllLines(c);
            for (int i = 1; i < lines.size(); i++) {
                String[] p = lines.get(i).split(",");
                try {
                    roc.add(new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])});
                } catch (RuntimeException e) {
                    throw new IOException(c + ", line " + (i + 1) + ": expected far,tar,threshold numbers", e);
                }
            }
        }
        return new Recorded(o, roc);
    }
}
