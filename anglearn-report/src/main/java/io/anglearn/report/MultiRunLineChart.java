package io.anglearn.report;

import java.awt.BasicStroke;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One quantity against time for several runs on one chart, one coloured line per run with a
 * legend: the paper's Figure 5 (WC-Intra against iteration) and the learning curves (loss and
 * error against epoch).
 */
public final class MultiRunLineChart {

    /**
     * One run's line.
     *
     * @param name the legend entry
     * @param x the x values
     * @param y the y values, as many as x
     */
    public record Series(String name, double[] x, double[] y) {
        /** Checks the lengths. */
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values and "
                        + y.length + " y values");
            }
        }
    }

    private MultiRunLineChart() {}

    /**
     * Builds the chart.
     *
     * @param title the title
     * @param xLabel the x-axis label, with its unit
     * @param yLabel the y-axis label, with its unit
     * @param series the lines; names should be distinct
     * @param markers draw a dot at each point (useful when lines have few points)
     * @return the chart
     */
    public static JFreeChart create(String title, String xLabel, String yLabel, List<Series> series, boolean markers) {
        XYSeriesCollection data = new XYSeriesCollection();
        boolean integerX = true;
        for (Series s : series) {
            for (double x : s.x()) {
                integerX &= x == Math.rint(x);
            }
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.y()[i])) {
                    xy.add(s.x()[i], s.y()[i]);
                }
            }
            data.addSeries(xy);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, markers);
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesPaint(i, ChartStyle.color(i, series.size()));
            r.setSeriesStroke(i, new BasicStroke(2.5f));
        }
        plot.setRenderer(r);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        if (integerX) { // epochs and iterations: no fractional ticks
            plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        return ChartStyle.apply(chart);
    }
}
