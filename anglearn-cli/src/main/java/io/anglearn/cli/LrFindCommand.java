package io.anglearn.cli;

import io.anglearn.rundir.AtomicFiles;
import io.anglearn.train.LearningRateFinder;
import io.anglearn.train.StepContext;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingData;
import io.anglearn.train.TrainingListener;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn lr-find}: Smith's learning-rate range test. */
@Command(name = "lr-find",
        header = "Learning-rate range test with a suggested one-cycle peak.",
        mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = SettingOptions.ForLrFind.class,
        abbreviateSynopsis = true, descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        description = "Learning-rate range test (Smith 2017): train a fresh network while the rate grows"
                + " exponentially, plot the loss against the rate, and suggest a one-cycle peak rate: a tenth of"
                + " the rate of the lowest smoothed loss. No rate is suggested when the curve cannot support one"
                + " (the loss never diverged, or was lowest at the start); the warning says what to change. Takes"
                + " train's data, network, loss and optimiser options; the rates are the sweep's own.")
final class LrFindCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    // Here SettingOptions.ForLrFind inserts the options of the data, network, loss and optimiser settings.

    @Option(names = "--min-lr", paramLabel = "RATE", defaultValue = "1e-7", description = "First rate (default: ${DEFAULT-VALUE}).")
    double minLr;

    @Option(names = "--max-lr", paramLabel = "RATE", defaultValue = "10", description = "Last rate (default: ${DEFAULT-VALUE}).")
    double maxLr;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "200", description = "Steps of the sweep (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--momentum", paramLabel = "M",
            description = "Momentum (Adam beta1, SGD momentum) held during the sweep (default: 0.95, where a one-cycle"
                    + " run starts).")
    Double momentum;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "lr-find.png",
            description = "The plot (PNG); the curve goes beside it as .csv (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        SettingOptions options = SettingOptions.given(spec);
        options.checkPaths(false);
        PathOptions.writableFile("--out", out);
        TrainingConfig c = new TrainingConfig();
        options.apply(c);
        c.validate();
        LearningRateFinder.Builder b = LearningRateFinder.builder().optMinRate(minLr).optMaxRate(maxLr)
                .optIterations(iterations);
        if (momentum != null) {
            b.optMomentum(momentum);
        }
        LearningRateFinder finder = b.build();
        TrainingData data = TrainingData.load(c);
        c.canonicalize();
        w.printf(Locale.ROOT, "sweeping %.1e to %.1e over %d steps (%s: %d training images of %d classes; %s, loss %s,"
                + " %s, batch %d)%n", minLr, maxLr, iterations, c.dataset, data.train().size(),
                data.train().numClasses(), c.describeBackbone(), c.loss, c.optimizer, c.batchSize);
        w.flush();
        LearningRateFinder.Result r;
        try (Progress progress = new Progress(iterations, !noProgress && System.console() != null)) {
            r = finder.run(c, data, progress);
        }
        StringBuilder csv = new StringBuilder("step,lr,loss,smoothed_loss\n");
        for (int i = 0; i < r.rates().length; i++) {
            csv.append(String.format(Locale.ROOT, "%d,%.6e,%.6f,%.6f%n", i + 1, r.rates()[i], r.losses()[i], r.smoothed()[i]));
        }
        String file = out.getFileName().toString();
        Path csvFile = out.resolveSibling(file.replaceAll("(?i)\\.png$", "") + ".csv");
        AtomicFiles.writeString(csvFile, csv.toString());
        AtomicFiles.write(out, plot(r));
        w.printf(Locale.ROOT, "%d steps%s; lowest smoothed loss at lr %.3g%n", r.rates().length,
                r.diverged() ? " (stopped: the loss diverged)" : "", r.minLossRate());
        if (r.hasSuggestion()) {
            w.printf(Locale.ROOT, "suggested one-cycle peak rate (lowest-loss rate / 10): %.3g%n", r.suggestedPeak());
        } else {
            for (String warning : r.warnings()) {
                w.println("warning: " + warning + ".");
            }
            w.println("no peak rate suggested: this sweep cannot tell one; see the plot, or sweep again as the warning says");
        }
        // Full paths: by default the files land in whatever folder the command was run from.
        w.println("plot: " + out.toAbsolutePath().normalize());
        w.println("curve: " + csvFile.toAbsolutePath().normalize());
        w.flush();
        return 0;
    }

    /** A progress bar over the sweep's steps, on a terminal; stopping early closes it where it stands. */
    private static final class Progress implements TrainingListener, AutoCloseable {
        private final ProgressBar bar;

        Progress(int steps, boolean show) {
            bar = show ? new ProgressBarBuilder().setTaskName("lr-find").setInitialMax(steps)
                    .setStyle(ProgressBarStyle.ASCII).continuousUpdate().build() : null;
        }

        @Override
        public void onStep(StepContext step) {
            if (bar != null) {
                bar.stepTo(step.step());
                bar.setExtraMessage(String.format(Locale.ROOT, "lr %.2e, loss %.4f", step.learningRate(), step.loss()));
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }

    private static byte[] plot(LearningRateFinder.Result r) throws java.io.IOException {
        XYSeries raw = new XYSeries("loss");
        XYSeries smooth = new XYSeries("smoothed loss");
        for (int i = 0; i < r.rates().length; i++) {
            raw.add(r.rates()[i], r.losses()[i]);
            smooth.add(r.rates()[i], r.smoothed()[i]);
        }
        XYSeriesCollection ds = new XYSeriesCollection();
        ds.addSeries(raw);
        ds.addSeries(smooth);
        JFreeChart chart = ChartFactory.createXYLineChart("Learning-rate range test", "learning rate", "training loss",
                ds, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("learning rate (log scale)");
        x.setSmallestValue(1e-12);
        plot.setDomainAxis(x);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setSeriesPaint(0, new Color(160, 160, 220));
        renderer.setSeriesPaint(1, new Color(20, 40, 160));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        plot.setRenderer(renderer);
        if (Double.isFinite(r.minLossRate()) && r.minLossRate() > 0) {
            ValueMarker low = new ValueMarker(r.minLossRate(), Color.GRAY, new BasicStroke(1f));
            low.setLabel(String.format(Locale.ROOT, "lowest smoothed loss %.2g", r.minLossRate()));
            low.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(20, 2, 2, 2));
            plot.addDomainMarker(low);
        }
        if (Double.isFinite(r.suggestedPeak()) && r.suggestedPeak() > 0) {
            ValueMarker m = new ValueMarker(r.suggestedPeak(), new Color(200, 40, 40), new BasicStroke(1.5f));
            m.setLabel(String.format(Locale.ROOT, "suggested peak %.2g", r.suggestedPeak()));
            plot.addDomainMarker(m);
        }
        double[] range = range(r.losses(), r.smoothed());
        if (range != null) {
            plot.getRangeAxis().setRange(range[0], range[1]);
            long off = java.util.Arrays.stream(r.losses()).filter(v -> !(v <= range[1])).count();
            if (off > 0) {
                chart.addSubtitle(new org.jfree.chart.title.TextTitle(String.format(Locale.ROOT, "%d raw loss value%s"
                        + " above %.3g (the diverging end of the sweep) lie above the chart", off, off == 1 ? "" : "s",
                        range[1])));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, 900, 560);
        return png.toByteArray();
    }

    /**
     * The loss axis's range: every smoothed value and every raw value up to the level at which the
     * sweep counts the loss as diverged (4 times the lowest smoothed loss), so the raw curve shows
     * in full except for the few points of a diverging end, which would flatten everything else.
     *
     * @return {low, high}, or null when there is nothing finite to show
     */
    static double[] range(double[] raw, double[] smoothed) {
        double lowest = Double.POSITIVE_INFINITY;
        double smoothTop = Double.NEGATIVE_INFINITY;
        for (double v : smoothed) {
            if (Double.isFinite(v)) {
                lowest = Math.min(lowest, v);
                smoothTop = Math.max(smoothTop, v);
            }
        }
        if (!Double.isFinite(lowest)) {
            return null;
        }
        double cap = Math.max(smoothTop, 4 * lowest);
        double bottom = lowest;
        double top = smoothTop;
        for (double v : raw) {
            if (Double.isFinite(v)) {
                bottom = Math.min(bottom, v);
                if (v <= cap) {
                    top = Math.max(top, v);
                }
            }
        }
        double pad = top > bottom ? 0.05 * (top - bottom) : Math.max(0.05, 0.05 * Math.abs(top));
        return new double[] {bottom >= 0 ? Math.max(0, bottom - pad) : bottom - pad, top + pad};
    }
}
