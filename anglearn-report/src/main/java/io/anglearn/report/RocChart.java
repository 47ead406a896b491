package io.anglearn.report;

import java.awt.BasicStroke;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The ROC curve of verification on pairs ({@link io.anglearn.metrics.VerificationMetrics}): true
 * accept rate against false accept rate, the false accept rate on a logarithmic axis as
 * verification results are usually read (the low-FAR end is where thresholds are chosen). Points
 * at FAR = 0 cannot be drawn on that axis and are left out; the axis starts at one false accept
 * and is ticked at whole powers of ten.
 */
public final class RocChart {

    private RocChart() {}

    /**
     * Builds the chart.
     *
     * @param title the title
     * @param points {FAR, TAR, …} points, FAR ascending
     * @param negatives the number of negative pairs (the axis starts at 1/negatives)
     * @return the chart
     */
    public static JFreeChart create(String title, List<double[]> points, int negatives) {
        XYSeries s = new XYSeries("ROC", false, true);
        for (double[] p : points) {
            if (p[0] > 0) {
                s.add(p[0], p[1]);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection(s);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "false accept rate (FAR)", "true accept rate (TAR)",
                data, PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis far = new LogAxis("false accept rate (FAR, log scale)");
        far.setRange(Math.max(1e-6, 1.0 / Math.max(1, negatives)), 1.0);
        far.setSmallestValue(1e-7);
        // Ticks at whole powers of ten only (10⁻³, not 10^-2.5), their exponents written as integers.
        far.setTickUnit(new NumberTickUnit(1, new DecimalFormat("0", DecimalFormatSymbols.getInstance(Locale.ROOT))));
        far.setAutoTickUnitSelection(false);
        plot.setDomainAxis(far);
        NumberAxis tar = (NumberAxis) plot.getRangeAxis();
        tar.setRange(0, 1.0);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setSeriesPaint(0, ChartStyle.color(0, 1));
        r.setSeriesStroke(0, new BasicStroke(2.5f));
        plot.setRenderer(r);
        return ChartStyle.apply(chart);
    }
}
