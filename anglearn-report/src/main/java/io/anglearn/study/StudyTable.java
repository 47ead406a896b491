package io.anglearn.study;

import io.anglearn.rundir.AtomicFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Aggregates a study's finished cells over seeds: for each metric, row and column, the mean and
 * sample standard deviation (n − 1 in the denominator; 0 for a single seed), beside the paper's
 * value and the difference (mean − paper). Writes {@code table.md} and {@code table.csv}.
 */
public final class StudyTable {

    /**
     * One aggregated entry.
     *
     * @param metric the metric
     * @param row the row
     * @param column the column
     * @param n the number of finished seeds
     * @param mean the mean over seeds (NaN when n = 0)
     * @param std the sample standard deviation
     * @param paper the paper's value, or NaN
     */
    public record Entry(String metric, String row, String column, int n, double mean, double std, double paper) {

        /** Returns mean − paper, or NaN. */
        public double difference() {
            return mean - paper;
        }
    }

    private final Study study;
    private final List<Entry> entries;
    private final int expectedSeeds;

    private StudyTable(Study study, List<Entry> entries, int expectedSeeds) {
        this.study = study;
        this.entries = entries;
        this.expectedSeeds = expectedSeeds;
    }

    /**
     * Aggregates what has finished.
     *
     * @param study the study
     * @param runner the runner that knows where results are
     * @return the table
     */
    public static StudyTable aggregate(Study study, StudyRunner runner) {
        Set<String> rows = new LinkedHashSet<>();
        Set<String> columns = new LinkedHashSet<>();
        Map<String, Integer> seedsPerCell = new LinkedHashMap<>();
        Map<String, List<CellResult>> byCell = new LinkedHashMap<>();
        for (StudyCell c : study.cells()) {
            rows.add(c.row());
            columns.add(c.column());
            String key = c.row() + "|" + c.column();
            seedsPerCell.merge(key, 1, Integer::sum);
            byCell.computeIfAbsent(key, k -> new ArrayList<>());
            CellResult r = runner.result(c);
            if (r != null) {
                byCell.get(key).add(r);
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (String metric : study.metrics()) {
            Map<String, Double> paper = study.paper().getOrDefault(metric, Map.of());
            for (String row : rows) {
                for (String col : columns) {
                    String key = row + "|" + col;
                    if (!byCell.containsKey(key)) {
                        continue;
                    }
                    double[] v = byCell.get(key).stream().mapToDouble(r -> r.metrics().getOrDefault(metric, Double.NaN))
                            .toArray();
                    entries.add(new Entry(metric, row, col, v.length, mean(v), std(v), paper.getOrDefault(key, Double.NaN)));
                }
            }
        }
        int expected = seedsPerCell.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new StudyTable(study, entries, expected);
    }

    /** Returns the entries, metric by metric, row by row. */
    public List<Entry> entries() {
        return entries;
    }

    /** Returns true when every cell of the study has finished. */
    public boolean complete() {
        return entries.stream().allMatch(e -> e.n() == expectedSeeds);
    }

    static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double std(double[] v) {
        if (v.length < 2) {
            return v.length == 1 ? 0 : Double.NaN;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** Renders the Markdown table, one section per metric. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(study.title()).append("\n\n");
        md.append("Study `").append(study.name()).append("` at `--scale ").append(study.scale().id()).append("`. ")
                .append(study.notes()).append("\n\n");
        md.append("Each cell: mean ± sample standard deviation over the finished seeds (n), then the paper's value")
                .append(" and the difference (ours − paper). ").append(complete() ? "All cells finished."
                        : "**Incomplete: some cells have not finished.**").append("\n");
        for (String metric : study.metrics()) {
            List<Entry> es = entries.stream().filter(e -> e.metric().equals(metric)).toList();
            Set<String> cols = new LinkedHashSet<>();
            Set<String> rows = new LinkedHashSet<>();
            es.forEach(e -> {
                cols.add(e.column());
                rows.add(e.row());
            });
            md.append("\n## ").append(metric).append("\n\n");
            header(md, "", cols);
            for (String row : rows) {
                md.append("| ").append(row).append(" |");
                for (String col : cols) {
                    Entry e = es.stream().filter(x -> x.row().equals(row) && x.column().equals(col)).findFirst().orElse(null);
                    md.append(' ').append(e == null ? "" : cellText(e)).append(" |");
                }
                md.append('\n');
            }
            appendPaperOnlyRows(md, metric, rows, cols);
        }
        return md.toString();
    }

    /**
     * Adds the paper's rows that no cell of this study has (Table 4's epoch counts at CPU scale),
     * so that its values stand beside the measured ones for reference.
     */
    private void appendPaperOnlyRows(StringBuilder md, String metric, Set<String> rows, Set<String> cols) {
        Map<String, Double> paper = study.paper().getOrDefault(metric, Map.of());
        Set<String> extra = new LinkedHashSet<>();
        for (String key : paper.keySet()) {
            String row = key.substring(0, key.indexOf('|'));
            if (!rows.contains(row)) {
                extra.add(row);
            }
        }
        if (extra.isEmpty()) {
            return;
        }
        String digits = metric.contains("err") ? "%.2f" : "%.4f";
        md.append("\nThe paper's values for rows not run here:\n\n");
        header(md, "paper", cols);
        for (String row : extra) {
            md.append("| ").append(row).append(" |");
            for (String col : cols) {
                Double v = paper.get(row + "|" + col);
                md.append(' ').append(v == null ? "" : String.format(Locale.ROOT, digits, v)).append(" |");
            }
            md.append('\n');
        }
    }

    /** A Markdown table's header line and separator: the corner cell, then one column per name. */
    private static void header(StringBuilder md, String corner, Set<String> cols) {
        md.append("| ").append(corner).append(" |");
        cols.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|---|");
        cols.forEach(c -> md.append("---|"));
        md.append('\n');
    }

    private static String cellText(Entry e) {
        String digits = e.metric().contains("err") ? "%.2f" : "%.4f";
        StringBuilder s = new StringBuilder();
        if (e.n() == 0) {
            s.append("not run");
        } else if (e.n() == 1) {
            // One seed has no spread to show; "± 0" would claim one.
            s.append(String.format(Locale.ROOT, digits + " (n=1)", e.mean()));
        } else {
            s.append(String.format(Locale.ROOT, digits + " ± " + digits + " (n=%d)", e.mean(), e.std(), e.n()));
        }
        if (!Double.isNaN(e.paper())) {
            s.append(String.format(Locale.ROOT, "<br>paper " + digits, e.paper()));
            if (e.n() > 0) {
                s.append(String.format(Locale.ROOT, ", %+" + digits.substring(1), e.difference()));
            }
        }
        return s.toString();
    }

    /** Renders the long-form CSV: one line per metric, row and column. */
    public String toCsv() {
        StringWriter out = new StringWriter();
        CSVFormat f = CSVFormat.DEFAULT.builder().setHeader("study", "scale", "metric", "row", "column", "n", "mean", "std",
                "paper", "difference").setRecordSeparator('\n').get();
        try (CSVPrinter csv = new CSVPrinter(out, f)) {
            for (Entry e : entries) {
                csv.printRecord(study.name(), study.scale().id(), e.metric(), e.row(), e.column(), e.n(), num(e.mean()),
                        num(e.std()), num(e.paper()), num(e.difference()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /**
     * Writes {@code table.md} and {@code table.csv} into a folder, atomically.
     *
     * @param dir the study's folder
     * @throws IOException if writing fails
     */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve("table.md"), toMarkdown());
        AtomicFiles.writeString(dir.resolve("table.csv"), toCsv());
    }
}
