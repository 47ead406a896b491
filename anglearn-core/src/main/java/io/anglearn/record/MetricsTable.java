package io.anglearn.record;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.anglearn.metrics.EmbeddingQuality;
import io.anglearn.rundir.AtomicFiles;
import io.anglearn.train.EpochRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The per-epoch metrics of a run, one row per epoch, as CSV ({@code metrics.csv}) and as JSON
 * lines ({@code metrics.jsonl}, one object per line with the same keys). Both are rewritten
 * atomically after each epoch from the full list of records, so a resumed run never duplicates
 * or loses a row. Test metrics of epochs that were not evaluated are {@code NaN}, and so are the
 * metrics that do not apply: the errors, W-Inter and WC-Intra of a run evaluated by retrieval (a
 * pair loss, or test classes not trained on), and its retrieval columns ({@code p_at_1},
 * {@code r_precision}, {@code map_at_r}, {@code nmi}) otherwise.
 */
public final class MetricsTable {

    /** The columns, in order; also the JSON keys. */
    public static final List<String> COLUMNS = List.of("epoch", "train_loss", "train_acc", "test_top1_err",
            "test_top5_err", "w_inter", "c_inter", "wc_intra", "c_inter_norm", "wc_intra_norm", "lr", "seconds",
            "images_per_s", "model_s", "skipped_batches", "p_at_1", "r_precision", "map_at_r", "nmi");

    /** NaN (an epoch not evaluated) is written as null: bare NaN is not JSON, and strict parsers reject it. */
    private static final Gson GSON = new GsonBuilder().serializeNulls().create();

    private MetricsTable() {}

    private static List<Object> values(EpochRecord r) {
        EmbeddingQuality q = r.quality();
        return List.of(r.epoch(), r.trainLoss(), r.trainAccuracy(), r.testTop1Error(), r.testTop5Error(),
                r.angles().wInter(), r.angles().cInterRaw(), r.angles().wcIntraRaw(), r.angles().cInterNorm(),
                r.angles().wcIntraNorm(), r.learningRate(), r.seconds(), r.imagesPerSecond(), r.modelSeconds(), r.skippedBatches(),
                q == null ? Double.NaN : q.retrieval().precisionAt1(), q == null ? Double.NaN : q.retrieval().rPrecision(),
                q == null ? Double.NaN : q.retrieval().mapAtR(), q == null ? Double.NaN : q.nmi());
    }

    /**
     * Renders the records as CSV text.
     *
     * @param records the epochs so far
     * @return the CSV, with a header line
     */
    public static String toCsv(List<EpochRecord> records) {
        StringWriter out = new StringWriter();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(COLUMNS.toArray(new String[0]))
                .setRecordSeparator('\n').get();
        try (CSVPrinter csv = new CSVPrinter(out, format)) {
            for (EpochRecord r : records) {
                List<Object> v = values(r);
                Object[] row = new Object[v.size()];
                row[0] = v.get(0);
                for (int i = 1; i < v.size(); i++) {
                    if (v.get(i) instanceof Integer n) {
                        row[i] = n;
                        continue;
                    }
                    double d = (Double) v.get(i);
                    row[i] = COLUMNS.get(i).equals("lr") ? String.format(Locale.ROOT, "%.6g", d)
                            : String.format(Locale.ROOT, "%.6f", d);
                }
                csv.printRecord(row);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /**
     * Renders the records as JSON lines, full precision.
     *
     * @param records the epochs so far
     * @return one JSON object per line
     */
    public static String toJsonLines(List<EpochRecord> records) {
        StringBuilder sb = new StringBuilder();
        for (EpochRecord r : records) {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Object> v = values(r);
            for (int i = 0; i < COLUMNS.size(); i++) {
                Object x = v.get(i);
                m.put(COLUMNS.get(i), x instanceof Double d && !Double.isFinite(d) ? null : x);
            }
            sb.append(GSON.toJson(m)).append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes the records as CSV atomically.
     *
     * @param file the CSV file
     * @param records the epochs so far
     * @throws IOException if writing fails
     */
    public static void write(Path file, List<EpochRecord> records) throws IOException {
        AtomicFiles.writeString(file, toCsv(records));
    }

    /**
     * Writes the records as JSON lines atomically.
     *
     * @param file the {@code .jsonl} file
     * @param records the epochs so far
     * @throws IOException if writing fails
     */
    public static void writeJsonLines(Path file, List<EpochRecord> records) throws IOException {
        AtomicFiles.writeString(file, toJsonLines(records));
    }
}
