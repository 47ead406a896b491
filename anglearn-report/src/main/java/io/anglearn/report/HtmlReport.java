package io.anglearn.report;

import io.anglearn.metrics.ConfusionMatrix;
import io.anglearn.metrics.SimilarityMatrix;
import io.anglearn.record.RunArtifacts;
import io.anglearn.record.VerificationRecord;
import io.anglearn.rundir.AtomicFiles;
import io.anglearn.rundir.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jfree.chart.JFreeChart;

/**
 * One self-contained HTML page comparing runs side by side: the configuration keys whose values
 * differ (the shared ones folded away), a final-metrics table, the comparative figures (the
 * paper's Figure 5, WC-Intra against iteration, and the learning curves) with all runs on one
 * chart, and per-run figures in columns (Figure 6 2-D scatter for 2-D embeddings, Figure 7
 * target-angle ridge plot, Figure 8 cosine-similarity matrix, confusion matrix). Figures are
 * embedded as PNG {@code data:} URIs, so the page loads no network resource; when a figures
 * folder is set, each figure is also written there as PNG and SVG.
 *
 * <p>Options: the class whose target angles Figure 7 shows (default 0); the figures folder
 * (default none).
 */
public final class HtmlReport {

    private static final int WIDE_W = 1000;
    private static final int WIDE_H = 560;

    private final List<RunArtifacts> runs;
    private final Path figuresDir;
    private final int ridgeClass;
    private final List<String> notes = new ArrayList<>();
    private int imageCount;

    private HtmlReport(Builder b) {
        runs = List.copyOf(b.runs);
        figuresDir = b.figuresDir;
        ridgeClass = b.ridgeClass;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Renders the page (and writes the figure files when a folder is set).
     *
     * @return the HTML
     * @throws IOException if a figure file cannot be written
     */
    public String render() throws IOException {
        imageCount = 0;
        notes.clear();
        StringBuilder h = new StringBuilder(1 << 20);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>anglearn report: ").append(esc(String.join(", ", names()))).append("</title>\n")
                .append("<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}\n")
                .append("h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ccc;padding-bottom:.2em}\n")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}\n")
                .append("th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("tr.diff td{background:#fff6d6}\n")
                .append(".grid{display:grid;grid-template-columns:repeat(").append(Math.max(1, runs.size()))
                .append(",minmax(0,1fr));gap:1em;align-items:start}\n")
                .append("figure{margin:0}figure img{width:100%;height:auto;border:1px solid #eee}\n")
                .append("figcaption{font-size:.9em;color:#555}.wide img{max-width:1000px}\n")
                .append(".missing{color:#a33;font-style:italic}\n")
                .append("</style></head>\n<body>\n");
        h.append("<h1>anglearn report</h1>\n<p>Runs compared: ");
        for (int i = 0; i < runs.size(); i++) {
            h.append(i == 0 ? "" : ", ").append("<b>").append(esc(runs.get(i).name())).append("</b>");
        }
        h.append(".</p>\n");
        // The results first; the settings behind them (about sixty per run) after, folded where shared.
        metricsTable(h);
        configTable(h);
        comparativeFigures(h);
        perRunFigures(h);
        if (!notes.isEmpty()) {
            h.append("<h2>Notes</h2>\n<ul>\n");
            notes.forEach(n -> h.append("<li>").append(esc(n)).append("</li>\n"));
            h.append("</ul>\n");
        }
        // Marks the page once every figure has decoded, for automated checks of the report.
        h.append("<script>\nwindow.addEventListener('load',function(){var im=Array.from(document.images);"
                + "var ok=im.every(function(i){return i.complete&&i.naturalWidth>0;});"
                + "document.body.setAttribute('data-figures',(ok?'loaded ':'broken ')+im.length);});\n</script>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    /** Returns the number of figures embedded by the last {@link #render()}. */
    public int figureCount() {
        return imageCount;
    }

    /**
     * Renders and writes the page atomically.
     *
     * @param out the HTML file
     * @throws IOException if writing fails
     */
    public void write(Path out) throws IOException {
        AtomicFiles.writeString(out, render());
    }

    private List<String> names() {
        return runs.stream().map(RunArtifacts::name).toList();
    }

    private void configTable(StringBuilder h) {
        Set<String> keys = new LinkedHashSet<>();
        for (RunArtifacts r : runs) {
            for (String k : r.config().keySet()) {
                if (!k.equals("resolved.created")) {
                    keys.add(k);
                }
            }
        }
        List<String> differ = new ArrayList<>();
        List<String> same = new ArrayList<>();
        for (String k : keys) {
            Set<String> values = new LinkedHashSet<>();
            runs.forEach(r -> values.add(r.config().getOrDefault(k, "—")));
            (values.size() > 1 ? differ : same).add(k);
        }
        h.append("<h2>Configuration</h2>\n");
        if (runs.size() > 1) {
            h.append("<p>").append(differ.size()).append(" settings differ between the runs (highlighted); ")
                    .append(same.size()).append(" are the same (folded below).</p>\n");
            configRows(h, differ, true);
            h.append("<details><summary>Settings shared by all runs</summary>\n");
            configRows(h, same, false);
            h.append("</details>\n");
        } else {
            h.append("<details><summary>All ").append(same.size()).append(" settings of the run and what they resolved"
                    + " to</summary>\n");
            configRows(h, same, false);
            h.append("</details>\n");
        }
    }

    private void configRows(StringBuilder h, List<String> keys, boolean diff) {
        h.append("<table><tr><th>setting</th>");
        runs.forEach(r -> h.append("<th>").append(esc(r.name())).append("</th>"));
        h.append("</tr>\n");
        for (String k : keys) {
            h.append(diff ? "<tr class=\"diff\">" : "<tr>").append("<td>").append(esc(k)).append("</td>");
            for (RunArtifacts r : runs) {
                h.append("<td>").append(esc(r.config().getOrDefault(k, "—"))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private void metricsTable(StringBuilder h) {
        h.append("<h2>Final metrics (test split, last epoch)</h2>\n<table><tr><th>metric</th>");
        runs.forEach(r -> h.append("<th>").append(esc(r.name())).append("</th>"));
        h.append("</tr>\n");
        String[][] rows = {{"epochs", "epoch", "%.0f"}, {"test top-1 error (%)", "test_top1_err", "%.2f"},
            {"test top-5 error (%)", "test_top5_err", "%.2f"}, {"train loss", "train_loss", "%.4f"},
            {"W-Inter (rad)", "w_inter", "%.4f"}, {"C-Inter, raw means (rad)", "c_inter", "%.4f"},
            {"WC-Intra, raw means (rad)", "wc_intra", "%.4f"}, {"C-Inter, normalised means (rad)", "c_inter_norm", "%.4f"},
            {"WC-Intra, normalised means (rad)", "wc_intra_norm", "%.4f"}};
        for (String[] row : rows) {
            h.append("<tr><td>").append(esc(row[0])).append("</td>");
            for (RunArtifacts r : runs) {
                h.append("<td class=\"num\">").append(fmt(row[2], r.lastMetric(row[1]))).append("</td>");
            }
            h.append("</tr>\n");
        }
        String[][] q = {{"precision@1", "precision_at_1"}, {"R-precision", "r_precision"}, {"MAP@R", "map_at_r"},
            {"NMI of k-means", "nmi_kmeans"}};
        for (String[] row : q) {
            h.append("<tr><td>").append(esc(row[0])).append("</td>");
            for (RunArtifacts r : runs) {
                String v = r.quality().get(row[1]);
                h.append("<td class=\"num\">").append(v == null ? "—" : fmt("%.4f", Double.parseDouble(v))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<p>Angle statistics as in Wu and Wang (arXiv:1912.07819, eq. 12–14); “raw” uses plain class"
                + " means of the features, “normalised” means of L2-normalised features. Retrieval metrics as in"
                + " Musgrave et al. (2020), cosine similarity, each test image queried against all others.</p>\n");
    }

    private void comparativeFigures(StringBuilder h) throws IOException {
        h.append("<h2>Training dynamics (all runs)</h2>\n");
        List<MultiRunLineChart.Series> wc = new ArrayList<>();
        for (RunArtifacts r : runs) {
            double[] x = r.anglesByIteration().get("step");
            double[] y = r.anglesByIteration().get("wc_intra");
            if (x != null && y != null && x.length > 0) {
                wc.add(new MultiRunLineChart.Series(r.name(), x, y));
            }
        }
        if (wc.isEmpty()) {
            List<String> why = new ArrayList<>();
            runs.forEach(r -> why.add(r.name() + ": " + whyNoAngles(r)));
            missing(h, "Figure 5 (WC-Intra against iteration): no run recorded angle statistics by iteration ("
                    + RunFiles.ANGLES_BY_ITERATION + "). " + String.join("; ", why));
        } else {
            figure(h, "wc_intra_by_iteration", MultiRunLineChart.create("WC-Intra during training (Figure 5)",
                    "iteration (training steps)", "WC-Intra (rad)", wc, true), WIDE_W, WIDE_H,
                    "Figure 5: WC-Intra, the mean angle between each class's mean feature and its weight vector,"
                            + " against iteration; lower means features gather around their class weight.", true);
        }
        lines(h, "learning_curve_test_error", "Test top-1 error by epoch", "test top-1 error (%)", "test_top1_err");
        if (runs.stream().anyMatch(r -> !Double.isNaN(r.lastMetric("map_at_r")))) {
            lines(h, "learning_curve_map_at_r", "Test MAP@R by epoch (runs evaluated by retrieval)", "MAP@R", "map_at_r");
        }
        lines(h, "learning_curve_train_loss", "Training loss by epoch", "mean training loss (nats)", "train_loss");
    }

    /** Says why a run has no angle statistics by iteration, from its configuration and metrics. */
    static String whyNoAngles(RunArtifacts r) {
        Map<String, String> c = r.config();
        if ("false".equals(c.get("config.tensorBoard"))) {
            return "it was trained with --no-tensorboard";
        }
        long interval = parseLong(c.get("config.angleInterval"), -1);
        if (interval == 0) {
            return "it was trained with --angle-interval 0 (off)";
        }
        long perEpoch = parseLong(c.get("resolved.stepsPerEpoch"), -1);
        if (perEpoch < 0) {
            long images = parseLong(c.get("resolved.trainImages"), -1);
            long batch = parseLong(c.get("config.batchSize"), -1);
            perEpoch = images < 0 || batch <= 0 ? -1 : Math.max(1, images / batch);
        }
        double[] epochs = r.metrics().get("epoch");
        long trained = epochs == null || epochs.length == 0 || perEpoch < 0 ? -1 : perEpoch * (long) epochs[epochs.length - 1];
        if (interval > 0 && trained >= 0 && trained < interval) {
            return "it trained " + trained + " steps, fewer than its --angle-interval " + interval
                    + " (the first row is written at step " + interval + ")";
        }
        return "its " + RunFiles.ANGLES_BY_ITERATION + " is missing or empty";
    }

    private static long parseLong(String v, long otherwise) {
        if (v == null) {
            return otherwise;
        }
        try {
            return (long) Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private void lines(StringBuilder h, String file, String title, String yLabel, String column) throws IOException {
        List<MultiRunLineChart.Series> s = new ArrayList<>();
        for (RunArtifacts r : runs) {
            double[] x = r.metrics().get("epoch");
            double[] y = r.metrics().get(column);
            if (x != null && y != null) {
                s.add(new MultiRunLineChart.Series(r.name(), x, y));
            }
        }
        figure(h, file, MultiRunLineChart.create(title, "epoch", yLabel, s, true), WIDE_W, WIDE_H,
                "Learning curve: " + title.toLowerCase(Locale.ROOT) + ".", true);
    }

    private void perRunFigures(StringBuilder h) throws IOException {
        h.append("<h2>Per-run figures</h2>\n");
        section(h, "Figure 6: 2-D feature scatter", this::scatter);
        section(h, "Figure 7: target-angle histograms by epoch", this::ridge);
        section(h, "Figure 8: cosine-similarity matrix of normalised test features", this::similarity);
        section(h, "Confusion matrix (test split)", this::confusion);
        section(h, "Verification ROC curve (test pairs, cosine similarity)", this::roc);
    }

    private void roc(StringBuilder h, RunArtifacts r) throws IOException {
        VerificationRecord.Recorded v = VerificationRecord.read(r.dir());
        if (v == null || v.roc().isEmpty()) {
            missing(h, r.name() + ": no verification recorded (run 'anglearn evaluate' on the run)");
            return;
        }
        figure(h, r.name() + "_verification_roc", RocChart.create(r.name() + ": verification ROC", v.roc(), v.negatives()),
                820, 620, rocCaption(r.name(), v), false);
    }

    /**
     * The ROC figure's caption. TAR at FAR 1e-3 exists only with at least 1000 negative pairs; with
     * fewer it says so instead of printing NaN.
     */
    static String rocCaption(String name, VerificationRecord.Recorded v) {
        double tar = v.value("tarAtFar1e-3");
        String tarText = Double.isNaN(tar) ? " TAR at FAR 1e-3 not measurable with " + v.negatives() + " negative pairs"
                + " (it needs at least 1000)." : String.format(Locale.ROOT, " TAR %.2f %% at FAR 1e-3.", 100 * tar);
        return String.format(Locale.ROOT, "%s: TAR against FAR on %d negative pairs; ROC AUC %.4f, EER %.2f %%,", name,
                v.negatives(), v.value("rocAuc"), 100 * v.value("eer")) + tarText;
    }

    /** Draws one run's figure into the page. */
    @FunctionalInterface
    private interface RunFigure {
        void draw(StringBuilder h, RunArtifacts r) throws IOException;
    }

    private void section(StringBuilder h, String title, RunFigure f) throws IOException {
        h.append("<h3>").append(esc(title)).append("</h3>\n<div class=\"grid\">\n");
        for (RunArtifacts r : runs) {
            h.append("<div>");
            f.draw(h, r);
            h.append("</div>\n");
        }
        h.append("</div>\n");
    }

    private void scatter(StringBuilder h, RunArtifacts r) throws IOException {
        RunArtifacts.TestEmbedding e = r.embedding();
        if (e == null || e.dim() != 2) {
            missing(h, r.name() + ": " + (e == null ? "no test embedding recorded" : "embedding has " + e.dim()
                    + " dimensions; Figure 6 needs a run with --embedding-dim 2"));
            return;
        }
        figure(h, r.name() + "_feature_scatter", FeatureScatterChart.create(r.name() + ": 2-D test features",
                e.features(), e.labels(), r.classWeights(), e.classNames()), 800, 760,
                r.name() + ": test features coloured by class; rays are the class weight directions.", false);
    }

    private void ridge(StringBuilder h, RunArtifacts r) throws IOException {
        if (r.targetAngles().isEmpty()) {
            missing(h, r.name() + ": no target angles recorded");
            return;
        }
        List<AngleRidgePlot.Ridge> ridges = new ArrayList<>();
        r.targetAngles().forEach((epoch, s) -> ridges.add(new AngleRidgePlot.Ridge(epoch, s.ofClass(ridgeClass))));
        String cls = className(r, ridgeClass);
        figure(h, r.name() + "_target_angles", AngleRidgePlot.create(r.name() + ": θ_y of class " + cls, ridges),
                800, Math.max(480, 120 + 60 * ridges.size()),
                r.name() + ": histograms of the angle between a feature and its class weight, class " + cls
                        + ", one ridge per epoch (random samples).", false);
    }

    private void similarity(StringBuilder h, RunArtifacts r) throws IOException {
        RunArtifacts.TestEmbedding e = r.embedding();
        if (e == null) {
            missing(h, r.name() + ": no test embedding recorded");
            return;
        }
        int c = e.classNames().size();
        int per = SimilarityMatrix.defaultPerClass(c);
        SimilarityMatrix m = SimilarityMatrix.of(e.features(), e.dim(), e.labels(), per);
        figure(h, r.name() + "_cosine_similarity", HeatMapChart.similarity(r.name() + ": cosine similarity",
                m.cosine(), m.labels(), e.classNames()), 820, 720,
                r.name() + ": " + usedPerClass(m.labels(), c, per) + ", grouped by class.", false);
    }

    /** Says how many images per class the matrix holds: the number used, not the number asked for. */
    static String usedPerClass(int[] labels, int numClasses, int requested) {
        int[] count = new int[numClasses];
        for (int y : labels) {
            count[y]++;
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        int present = 0;
        for (int n : count) {
            if (n > 0) {
                present++;
                min = Math.min(min, n);
                max = Math.max(max, n);
            }
        }
        if (present == 0) {
            return "no test images";
        }
        String classes = present == numClasses ? "" : " of " + present + " of the " + numClasses + " classes";
        if (min == max) {
            return max + " test image" + (max == 1 ? "" : "s") + " per class" + classes
                    + (max < requested ? " (all the recorded embedding holds; " + requested + " were asked for)" : "");
        }
        return min + " to " + max + " test images per class" + classes + " (up to " + requested + " each, as many as"
                + " the recorded embedding holds)";
    }

    private void confusion(StringBuilder h, RunArtifacts r) throws IOException {
        RunArtifacts.TestEmbedding e = r.embedding();
        if (e == null) {
            missing(h, r.name() + ": no test predictions recorded");
            return;
        }
        if (e.predictions() == null) {
            missing(h, r.name() + ": no predictions: the run does not classify its test classes (a pair loss, or"
                    + " classes it was not trained on); see its retrieval metrics");
            return;
        }
        ConfusionMatrix m = ConfusionMatrix.of(e.labels(), e.predictions(), e.classNames().size());
        figure(h, r.name() + "_confusion", HeatMapChart.confusion(String.format(Locale.ROOT,
                "%s: confusion matrix (error %.2f %%)", r.name(), m.errorPercent()), m.counts(), e.classNames()),
                820, 720, r.name() + ": rows are true classes, columns predicted classes.", false);
    }

    private static String className(RunArtifacts r, int j) {
        if (r.embedding() != null && j < r.embedding().classNames().size()) {
            return j + " (" + r.embedding().classNames().get(j) + ")";
        }
        return String.valueOf(j);
    }

    private void figure(StringBuilder h, String file, JFreeChart chart, int w, int hgt, String caption, boolean wide)
            throws IOException {
        byte[] png = figuresDir == null ? ChartFiles.png(chart, w, hgt)
                : ChartFiles.write(chart, figuresDir.resolve(safe(file)), w, hgt);
        imageCount++;
        String title = chart.getTitle() == null ? file : chart.getTitle().getText();
        h.append("<figure").append(wide ? " class=\"wide\"" : "").append("><img alt=\"").append(esc(title))
                .append("\" width=\"").append(w).append("\" height=\"").append(hgt).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>").append(esc(caption))
                .append("</figcaption></figure>\n");
    }

    private void missing(StringBuilder h, String why) {
        h.append("<p class=\"missing\">").append(esc(why)).append("</p>\n");
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    private static String fmt(String f, double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, f, v);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Builds an {@link HtmlReport}. */
    public static final class Builder {
        private final List<RunArtifacts> runs = new ArrayList<>();
        private Path figuresDir;
        private int ridgeClass;

        private Builder() {}

        /**
         * Adds a run (at least one is required); runs appear in the order added.
         *
         * @param run the run's artifacts
         * @return this builder
         */
        public Builder addRun(RunArtifacts run) {
            runs.add(Objects.requireNonNull(run));
            return this;
        }

        /**
         * Sets a folder to also write every figure to, as PNG and SVG (default: none).
         *
         * @param dir the folder
         * @return this builder
         */
        public Builder optFiguresDir(Path dir) {
            this.figuresDir = dir;
            return this;
        }

        /**
         * Sets the class whose target angles Figure 7 shows (default 0).
         *
         * @param label the class
         * @return this builder
         */
        public Builder optRidgeClass(int label) {
            this.ridgeClass = label;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the report
         * @throws IOException if the figures folder cannot be created
         */
        public HtmlReport build() throws IOException {
            if (runs.isEmpty()) {
                throw new IllegalArgumentException("a report needs at least one run directory");
            }
            if (ridgeClass < 0) {
                throw new IllegalArgumentException("--ridge-class must be >= 0, got " + ridgeClass);
            }
            Set<String> names = new LinkedHashSet<>();
            for (RunArtifacts r : runs) {
                if (!names.add(r.name())) {
                    throw new IllegalArgumentException("two runs are named '" + r.name() + "'; rename one directory");
                }
                int classes = r.embedding() == null ? Integer.MAX_VALUE : r.embedding().classNames().size();
                if (ridgeClass >= classes) {
                    throw new IllegalArgumentException("--ridge-class must be a class of every run, 0.." + (classes - 1)
                            + " for run '" + r.name() + "', got " + ridgeClass);
                }
            }
            if (figuresDir != null) {
                Files.createDirectories(figuresDir);
            }
            return new HtmlReport(this);
        }
    }

}
