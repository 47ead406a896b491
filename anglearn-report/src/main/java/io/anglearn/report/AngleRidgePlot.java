package io.anglearn.report;

import java.awt.Color;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * Per-epoch histograms of the target angle θ_y of one class, stacked as a ridge plot with the
 * first epoch at the bottom: the paper's Figure 7. Each ridge is a histogram over [0°, 180°]
 * scaled so that its tallest bar nearly reaches the ridge above; as training proceeds the mass
 * moves towards 0° when features approach their class weight.
 */
public final class AngleRidgePlot {

    /** Histogram bars per ridge over [0°, 180°]. */
    public static final int BINS = 60;

    /**
     * The target-angle sample of one epoch.
     *
     * @param epoch the epoch, from 1
     * @param anglesRadians the sampled θ_y, in radians
     */
    public record Ridge(int epoch, double[] anglesRadians) {}

    private AngleRidgePlot() {}

    /**
     * Builds the chart.
     *
     * @param title the title
     * @param ridges one sample per epoch, in epoch order
     * @return the chart
     */
    public static JFreeChart create(String title, List<Ridge> ridges) {
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        String[] names = new String[ridges.size()];
        double width = 180.0 / BINS;
        for (int e = 0; e < ridges.size(); e++) {
            Ridge ridge = ridges.get(e);
            names[e] = "epoch " + ridge.epoch();
            double[] counts = new double[BINS];
            double max = 0;
            for (double a : ridge.anglesRadians()) {
                int b = (int) Math.min(BINS - 1, Math.max(0, Math.floor(Math.toDegrees(a) / width)));
                max = Math.max(max, ++counts[b]);
            }
            XYIntervalSeries s = new XYIntervalSeries(names[e] + " (" + ridge.anglesRadians().length + " samples)");
            for (int b = 0; b < BINS; b++) {
                if (counts[b] == 0) {
                    continue;
                }
                double h = max == 0 ? 0 : 0.92 * counts[b] / max;
                s.add((b + 0.5) * width, b * width, (b + 1) * width, e + h, e, e + h);
            }
            data.addSeries(s);
        }
        NumberAxis xAxis = new NumberAxis("target angle θ_y (degrees)");
        xAxis.setRange(0, 180);
        xAxis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(30));
        SymbolAxis yAxis = new SymbolAxis("epoch (each ridge: histogram, tallest bar scaled to 0.92)", names);
        yAxis.setGridBandsVisible(false);
        XYBarRenderer r = new XYBarRenderer();
        r.setUseYInterval(true);
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(true);
        for (int e = 0; e < ridges.size(); e++) {
            // early epochs light, late epochs dark
            float t = ridges.size() == 1 ? 1f : (float) e / (ridges.size() - 1);
            r.setSeriesPaint(e, new Color(0.55f - 0.45f * t, 0.7f - 0.45f * t, 0.95f - 0.25f * t, 0.85f));
            r.setSeriesOutlinePaint(e, new Color(0x333333));
        }
        XYPlot plot = new XYPlot(data, xAxis, yAxis, r);
        yAxis.setRange(-0.1, ridges.size() + 0.05);
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, false);
        return ChartStyle.apply(chart);
    }
}
