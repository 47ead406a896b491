package io.anglearn.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A 2-D embedded-feature scatter plot coloured by class, with each class weight direction w_j
 * drawn as a ray from the origin in the class's colour and labelled with the class's name: the
 * paper's Figure 6 (runs with a 2-D embedding). Both axes share one symmetric range so that
 * angles look like angles.
 */
public final class FeatureScatterChart {

    private FeatureScatterChart() {}

    /**
     * Builds the chart.
     *
     * @param title the title
     * @param features n×2 features, row-major
     * @param labels n labels
     * @param weights C×2 class weights (null: no rays)
     * @param classNames C names for the legend
     * @return the chart
     */
    public static JFreeChart create(String title, float[] features, int[] labels, double[][] weights,
            List<String> classNames) {
        if (features.length != labels.length * 2) {
            throw new IllegalArgumentException("a 2-D scatter needs n×2 features, got " + features.length
                    + " values for " + labels.length + " labels");
        }
        int c = classNames.size();
        XYSeries[] series = new XYSeries[c];
        XYSeriesCollection data = new XYSeriesCollection();
        for (int j = 0; j < c; j++) {
            series[j] = new XYSeries(classNames.get(j), false, true);
            data.addSeries(series[j]);
        }
        double extent = 0;
        for (int i = 0; i < labels.length; i++) {
            double x = features[2 * i];
            double y = features[2 * i + 1];
            series[labels[i]].add(x, y, false);
            extent = Math.max(extent, Math.max(Math.abs(x), Math.abs(y)));
        }
        extent = extent == 0 ? 1 : extent * 1.08;
        JFreeChart chart = ChartFactory.createScatterPlot(title, "feature x₁ (embedding units)",
                "feature x₂ (embedding units)", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        for (int j = 0; j < c; j++) {
            Color col = ChartStyle.color(j, c);
            r.setSeriesPaint(j, new Color(col.getRed(), col.getGreen(), col.getBlue(), 110));
            r.setSeriesShape(j, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        plot.setRenderer(r);
        plot.getDomainAxis().setRange(-extent, extent);
        plot.getRangeAxis().setRange(-extent, extent);
        if (weights != null) {
            for (int j = 0; j < Math.min(c, weights.length); j++) {
                double len = Math.hypot(weights[j][0], weights[j][1]);
                if (len == 0) {
                    continue;
                }
                double ex = weights[j][0] / len * extent * 0.92;
                double ey = weights[j][1] / len * extent * 0.92;
                plot.addAnnotation(new XYLineAnnotation(0, 0, ex, ey, new BasicStroke(6f), Color.BLACK));
                plot.addAnnotation(new XYLineAnnotation(0, 0, ex, ey, new BasicStroke(3.5f), ChartStyle.color(j, c)));
                XYTextAnnotation label = new XYTextAnnotation(classNames.get(j), ex * 1.04, ey * 1.04);
                label.setFont(ChartStyle.TICK.deriveFont(java.awt.Font.BOLD));
                plot.addAnnotation(label);
            }
            chart.addSubtitle(new TextTitle("rays: class weight directions, each labelled with its class", ChartStyle.TICK));
        }
        return ChartStyle.apply(chart);
    }
}
