package io.anglearn.study;

import io.anglearn.report.LineChart;
import io.anglearn.record.RunArtifacts;
import io.anglearn.rundir.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of a study, drawn from its finished cells' run directories, each curve the mean over
 * seeds of one row and column of the table:
 * <ul>
 *   <li>{@code curve-test-error} — test top-1 error against epoch (cells with the study's longest
 *       budget, when they were evaluated at two or more epochs);
 *   <li>{@code curve-wc-intra} — WC-Intra (radians) against iteration, when the runs recorded the
 *       angle statistics at two or more iterations (the paper's Figure 5);
 *   <li>{@code error-vs-budget} — final test error against the number of training epochs, when
 *       the study's cells differ in epochs (the paper's Table 4);
 *   <li>for {@code figure7}, the target angle's distribution by epoch: {@code target-angles-<column>}
 *       (a ridge plot of the column's first seed), {@code target-angle-median} and
 *       {@code target-angle-quantiles.csv} (every seed's 10th to 90th percentiles).
 * </ul>
 * Each is written as PNG, SVG and the CSV of its points. Groups with unfinished cells are left out.
 */
public final class StudyFigures {

    private StudyFigures() {}

    /**
     * A figure's title: the study's reference, its title up to the colon ("Table 6"), and what the
     * figure draws. The rest of a study's title names the table's measurement, e.g. "test error",
     * which would misname a chart of WC-Intra.
     *
     * @param study the study
     * @param what what the figure draws, e.g. "WC-Intra by iteration"
     * @return the title
     */
    static String chartTitle(Study study, String what) {
        String t = study.title();
        int colon = t.indexOf(':');
        return (colon > 0 ? t.substring(0, colon) : t) + ": " + what;
    }

    /**
     * Draws the figures into the study's folder.
     *
     * @param study the study
     * @param runner its runner, which knows where the runs are
     * @return the base names written (without extension)
     * @throws IOException if a run cannot be read or a figure written
     */
    public static List<String> write(Study study, StudyRunner runner) throws IOException {
        Map<String, List<RunArtifacts>> groups = new LinkedHashMap<>();
        Map<String, Integer> epochsOf = new LinkedHashMap<>();
        boolean oneRow = study.cells().stream().map(StudyCell::row).distinct().count() == 1;
        boolean oneColumn = study.cells().stream().map(StudyCell::column).distinct().count() == 1;
        for (StudyCell c : study.cells()) {
            String label = oneRow ? c.column() : oneColumn ? c.row() : c.row() + ", " + c.column();
            Path dir = runner.runsDir().resolve(c.id());
            epochsOf.put(label, c.config().epochs);
            List<RunArtifacts> g = groups.computeIfAbsent(label, k -> new ArrayList<>());
            if (runner.isComplete(c) && Files.isRegularFile(RunFiles.metrics(dir))) {
                g.add(load(runner, c));
            }
        }
        groups.values().removeIf(List::isEmpty);
        List<String> written = new ArrayList<>();
        if (groups.isEmpty()) {
            return written;
        }
        int longest = epochsOf.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int seeds = maxRuns(groups);
        int fewest = groups.values().stream().mapToInt(List::size).min().orElse(0);
        // While a grid is being filled in, its curves may average different numbers of seeds.
        // The series are named by what differs between cells; what they share is said once here.
        StudyCell first = study.cells().get(0);
        String shared = oneRow ? first.row() + ", " : oneColumn ? first.column() + ", " : "";
        String scale = shared + study.scale().name().toLowerCase(java.util.Locale.ROOT) + " scale, "
                + (seeds == 1 ? "one seed" : fewest == seeds ? "mean of " + seeds + " seeds"
                        : "mean of " + fewest + " to " + seeds + " seeds per curve");

        LineChart.Builder error = LineChart.builder().setTitle(chartTitle(study, "test error by epoch"))
                .setXAxisLabel("epoch").setYAxisLabel("test top-1 error (%)").optSubtitle(scale).optIntegerX();
        int errorSeries = 0;
        LineChart.Builder angles = LineChart.builder().setTitle(chartTitle(study, "WC-Intra by iteration"))
                .setXAxisLabel("iteration").setYAxisLabel("WC-Intra (rad)").optSubtitle(scale);
        int angleSeries = 0;
        for (Map.Entry<String, List<RunArtifacts>> g : groups.entrySet()) {
            if (epochsOf.get(g.getKey()) == longest) {
                double[][] curve = mean(g.getValue(), true, "epoch", "test_top1_err");
                if (curve[0].length >= 2) {
                    error.addSeries(g.getKey(), curve[0], curve[1]);
                    errorSeries++;
                }
            }
            double[][] wc = mean(g.getValue(), false, "step", "wc_intra");
            if (wc[0].length >= 2) {
                angles.addSeries(g.getKey(), wc[0], wc[1]);
                angleSeries++;
            }
        }
        if (errorSeries > 0) {
            error.build().write(runner.studyDir(), "curve-test-error");
            written.add("curve-test-error");
        }
        if (angleSeries > 0) {
            angles.build().write(runner.studyDir(), "curve-wc-intra");
            written.add("curve-wc-intra");
        }
        if (TARGET_ANGLE_STUDIES.contains(study.name())) {
            written.addAll(targetAngles(study, runner, groups, scale));
        }
        if (epochsOf.values().stream().distinct().count() > 1) {
            // One series per column: the final error of each budget.
            Map<String, List<double[]>> byColumn = new LinkedHashMap<>();
            for (StudyCell c : study.cells()) {
                if (!runner.isComplete(c)) {
                    continue;
                }
                double err = runner.result(c).metrics().getOrDefault("test_top1_err", Double.NaN);
                byColumn.computeIfAbsent(c.column(), k -> new ArrayList<>()).add(new double[] {c.config().epochs, err});
            }
            LineChart.Builder budget = LineChart.builder().setTitle(chartTitle(study, "final error by budget"))
                    .setXAxisLabel("training epochs").setYAxisLabel("test top-1 error (%)").optSubtitle(scale).optIntegerX();
            for (Map.Entry<String, List<double[]>> e : byColumn.entrySet()) {
                Map<Double, double[]> sums = new java.util.TreeMap<>();
                for (double[] p : e.getValue()) {
                    double[] s = sums.computeIfAbsent(p[0], k -> new double[2]);
                    s[0] += p[1];
                    s[1]++;
                }
                double[] x = sums.keySet().stream().mapToDouble(Double::doubleValue).toArray();
                double[] y = sums.values().stream().mapToDouble(s -> s[0] / s[1]).toArray();
                budget.addSeries(e.getKey(), x, y);
            }
            budget.build().write(runner.studyDir(), "error-vs-budget");
            written.add("error-vs-budget");
        }
        return written;
    }

    /** The studies whose figures are the target-angle distributions (the paper's Figure 7). */
    static final java.util.Set<String> TARGET_ANGLE_STUDIES = java.util.Set.of("figure7");

    /** The quantiles of {@code target-angle-quantiles.csv}, in percent. */
    private static final int[] QUANTILES = {10, 25, 50, 75, 90};

    /**
     * The target-angle figures: per epoch, the distribution of θ_y (the angle between a test
     * image's feature and its own class vector) over the sampled test images of every class,
     * as a ridge plot of each column's first seed ({@code target-angles-<column>}), the median
     * against epoch averaged over seeds ({@code target-angle-median}), and every seed's quantiles
     * ({@code target-angle-quantiles.csv}).
     */
    private static List<String> targetAngles(Study study, StudyRunner runner, Map<String, List<RunArtifacts>> groups,
            String subtitle) throws IOException {
        List<String> written = new ArrayList<>();
        LineChart.Builder median = LineChart.builder().setTitle(chartTitle(study, "median target angle by epoch"))
                .setXAxisLabel("epoch").setYAxisLabel("median θ_y over sampled test images (rad)").optSubtitle(subtitle)
                .optIntegerX();
        int series = 0;
        StringBuilder csv = new StringBuilder("group,run,epoch,samples");
        for (int q : QUANTILES) {
            csv.append(",p").append(q);
        }
        csv.append('\n');
        for (Map.Entry<String, List<RunArtifacts>> g : groups.entrySet()) {
            java.util.TreeMap<Integer, double[]> sums = new java.util.TreeMap<>();
            for (RunArtifacts r : g.getValue()) {
                for (Map.Entry<Integer, RunArtifacts.AngleSample> e : r.targetAngles().entrySet()) {
                    double[] sorted = e.getValue().angles().clone();
                    java.util.Arrays.sort(sorted);
                    csv.append(g.getKey()).append(',').append(r.name()).append(',').append(e.getKey()).append(',')
                            .append(sorted.length);
                    for (int q : QUANTILES) {
                        csv.append(',').append(String.format(java.util.Locale.ROOT, "%.6f", quantile(sorted, q / 100.0)));
                    }
                    csv.append('\n');
                    double[] s = sums.computeIfAbsent(e.getKey(), k -> new double[2]);
                    s[0] += quantile(sorted, 0.5);
                    s[1]++;
                }
            }
            // An epoch enters the mean only when every seed sampled it.
            sums.values().removeIf(s -> s[1] != g.getValue().size());
            if (sums.size() >= 2) {
                median.addSeries(g.getKey(), sums.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
                        sums.values().stream().mapToDouble(s -> s[0] / s[1]).toArray());
                series++;
            }
            RunArtifacts first = g.getValue().get(0);
            if (!first.targetAngles().isEmpty()) {
                List<io.anglearn.report.AngleRidgePlot.Ridge> ridges = new ArrayList<>();
                first.targetAngles().forEach((epoch, sample) -> ridges.add(
                        new io.anglearn.report.AngleRidgePlot.Ridge(epoch, sample.angles())));
                String base = "target-angles-" + g.getKey().replaceAll("[^A-Za-z0-9+-]+", "-");
                io.anglearn.report.ChartFiles.write(io.anglearn.report.AngleRidgePlot.create(
                        chartTitle(study, "θ_y of every class's sampled test images, " + g.getKey() + ", " + first.name()),
                        ridges), runner.studyDir().resolve(base), io.anglearn.report.ChartFiles.WIDTH,
                        io.anglearn.report.ChartFiles.HEIGHT + 200);
                written.add(base);
            }
        }
        if (series > 0) {
            median.build().write(runner.studyDir(), "target-angle-median");
            written.add("target-angle-median");
            // Beside the chart's own CSV: every seed's quantiles, which the chart averages to one median.
            io.anglearn.rundir.AtomicFiles.writeString(runner.studyDir().resolve("target-angle-quantiles.csv"), csv.toString());
        }
        return written;
    }

    /** The q-quantile of sorted values, linearly interpolated between order statistics. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * Writes {@code report.html}: the HTML report (learning curves, angle statistics, target-angle
     * histograms, feature and similarity figures) of each row and column's first finished seed,
     * so that the report stays readable for a large grid.
     *
     * @param study the study
     * @param runner its runner
     * @return the report, or null when no cell has finished
     * @throws IOException if a run cannot be read or the report written
     */
    public static Path writeReport(Study study, StudyRunner runner) throws IOException {
        io.anglearn.report.HtmlReport.Builder b = io.anglearn.report.HtmlReport.builder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        int runs = 0;
        for (StudyCell c : study.cells()) {
            if (runner.isComplete(c) && seen.add(c.row() + "|" + c.column())) {
                b.addRun(load(runner, c));
                runs++;
            }
        }
        if (runs == 0) {
            return null;
        }
        Path out = runner.studyDir().resolve("report.html");
        b.build().write(out);
        return out;
    }

    /**
     * Reads a finished cell's run directory. A committed cell has no {@code config.json} (it names
     * local paths), so the configuration its {@code result.json} records stands in, or the cell's
     * definition for results that predate it.
     */
    static RunArtifacts load(StudyRunner runner, StudyCell c) throws IOException {
        CellResult r = runner.result(c);
        io.anglearn.train.TrainingConfig config = r != null && r.config() != null ? r.config() : c.config();
        return RunArtifacts.load(runner.runsDir().resolve(c.id()), config.toJson());
    }

    private static int maxRuns(Map<String, List<RunArtifacts>> groups) {
        return groups.values().stream().mapToInt(List::size).max().orElse(0);
    }

    /**
     * Averages one column against another over runs, point by point, up to the shortest run;
     * points where any run has NaN are dropped.
     */
    private static double[][] mean(List<RunArtifacts> runs, boolean fromMetrics, String xColumn, String yColumn) {
        int n = Integer.MAX_VALUE;
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        for (RunArtifacts r : runs) {
            Map<String, double[]> table = fromMetrics ? r.metrics() : r.anglesByIteration();
            double[] x = table.get(xColumn);
            double[] y = table.get(yColumn);
            if (x == null || y == null) {
                return new double[2][0];
            }
            xs.add(x);
            ys.add(y);
            n = Math.min(n, Math.min(x.length, y.length));
        }
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            boolean ok = true;
            for (int r = 0; r < ys.size(); r++) {
                ok &= Double.isFinite(ys.get(r)[i]) && xs.get(r)[i] == xs.get(0)[i];
                sum += ys.get(r)[i];
            }
            if (ok) {
                points.add(new double[] {xs.get(0)[i], sum / ys.size()});
            }
        }
        return new double[][] {points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray()};
    }
}
