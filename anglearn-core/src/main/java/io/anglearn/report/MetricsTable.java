package io.anglearn.report;

import io.anglearn.train.EpochRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The per-epoch metrics of a run as CSV, one row per epoch, rewritten atomically after each epoch. */
public final class MetricsTable {

    /** The CSV columns, in order. */
    public static final List<String> COLUMNS = List.of("epoch", "train_loss", "train_acc", "test_top1_err",
            "test_top5_err", "w_inter", "c_inter", "wc_intra", "c_inter_norm", "wc_intra_norm", "lr", "seconds",
            "images_per_s");

    private MetricsTable() {}

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
                csv.printRecord(r.epoch(), f(r.trainLoss()), f(r.trainAccuracy()), f(r.testTop1Error()),
                        f(r.testTop5Error()), f(r.angles().wInter()), f(r.angles().cInterRaw()),
                        f(r.angles().wcIntraRaw()), f(r.angles().cInterNorm()), f(r.angles().wcIntraNorm()),
                        String.format(Locale.ROOT, "%.6g", r.learningRate()), f(r.seconds()), f(r.imagesPerSecond()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /**
     * Writes the records to a file atomically.
     *
     * @param file the CSV file
     * @param records the epochs so far
     * @throws IOException if writing fails
     */
    public static void write(Path file, List<EpochRecord> records) throws IOException {
        AtomicFiles.writeString(file, toCsv(records));
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
