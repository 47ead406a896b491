package io.anglearn.cli;

import io.anglearn.report.AtomicFiles;
import io.anglearn.train.LearningRateFinder;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn lr-find}: Smith's learning-rate range test. */
@Command(name = "lr-find",
        header = "Learning-rate range test with a suggested one-cycle peak.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learning-rate range test (Smith 2017): train a fresh network while the rate grows",
            "exponentially, plot the smoothed loss against the rate, and suggest a one-cycle peak rate.",
            "Uses the same options as train (schedule and epochs are ignored)."})
final class LrFindCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TrainingOptions options;

    @Option(names = "--min-lr", paramLabel = "RATE", defaultValue = "1e-7", description = "First rate (default: ${DEFAULT-VALUE}).")
    double minLr;

    @Option(names = "--max-lr", paramLabel = "RATE", defaultValue = "10", description = "Last rate (default: ${DEFAULT-VALUE}).")
    double maxLr;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "200", description = "Steps of the sweep (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "lr-find.png",
            description = "The plot (PNG); the curve goes beside it as .csv (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        options.checkPaths(false);
        PathOptions.writableFile("--out", out);
        TrainingConfig c = new TrainingConfig();
        options.apply(c);
        c.validate();
        LearningRateFinder finder = LearningRateFinder.builder().optMinRate(minLr).optMaxRate(maxLr)
                .optIterations(iterations).build();
        TrainingData data = TrainingData.load(c);
        w.printf(Locale.ROOT, "sweeping %.1e to %.1e over %d steps (%s, %s, loss %s, %s, batch %d)%n", minLr, maxLr,
                iterations, c.dataset, c.arch, c.loss, c.optimizer, c.batchSize);
        w.flush();
        LearningRateFinder.Result r = finder.run(c, data, new TrainingListener() {});
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
        w.printf(Locale.ROOT, "suggested one-cycle peak rate (lowest-loss rate / 10): %.3g%n", r.suggestedPeak());
        w.println("plot: " + out);
        w.println("curve: " + csvFile);
        w.flush();
        return 0;
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
        if (Double.isFinite(r.suggestedPeak()) && r.suggestedPeak() > 0) {
            ValueMarker m = new ValueMarker(r.suggestedPeak(), new Color(200, 40, 40), new BasicStroke(1.5f));
            m.setLabel(String.format(Locale.ROOT, "suggested peak %.2g", r.suggestedPeak()));
            plot.addDomainMarker(m);
        }
        double top = Double.NEGATIVE_INFINITY;
        double bottom = Double.POSITIVE_INFINITY;
        for (double v : r.smoothed()) {
            top = Math.max(top, v);
            bottom = Math.min(bottom, v);
        }
        if (Double.isFinite(top) && top > bottom) {
            // Show the smoothed curve; a diverging raw loss would otherwise flatten it.
            plot.getRangeAxis().setRange(Math.max(0, bottom - 0.1 * (top - bottom)), top + 0.1 * (top - bottom));
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, 900, 560);
        return png.toByteArray();
    }
}
