package io.anglearn.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.Font;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A matrix drawn as coloured cells with a colour-scale legend, row 0 at the top: the paper's
 * Figure 8 (cosine-similarity matrix of L2-normalised test features, samples grouped by class)
 * and the confusion matrix (counts written in the cells when the matrix is small).
 */
public final class HeatMapChart {

    private HeatMapChart() {}

    /**
     * Builds a cosine-similarity heat map over [−1, 1] (blue, white, red).
     *
     * @param title the title
     * @param cosine m×m similarities
     * @param labels the m samples' classes, grouped
     * @param classNames names for the axis ticks (one tick per class block)
     * @return the chart
     */
    public static JFreeChart similarity(String title, double[][] cosine, int[] labels, List<String> classNames) {
        int m = cosine.length;
        String[] names = new String[m];
        for (int i = 0; i < m; i++) {
            names[i] = labels[i] < classNames.size() ? classNames.get(labels[i]) : String.valueOf(labels[i]);
        }
        JFreeChart chart = build(title, cosine, diverging(-1, 1), "cosine similarity", names,
                "test sample (grouped by true class)", "test sample (grouped by true class)");
        // thin lines between class blocks
        XYPlot plot = chart.getXYPlot();
        for (int i = 1; i < m; i++) {
            if (labels[i] != labels[i - 1]) {
                BasicStroke line = new BasicStroke(1f);
                Color grey = new Color(0x555555);
                plot.addAnnotation(new XYLineAnnotation(i - 0.5, -0.5, i - 0.5, m - 0.5, line, grey));
                plot.addAnnotation(new XYLineAnnotation(-0.5, i - 0.5, m - 0.5, i - 0.5, line, grey));
            }
        }
        return chart;
    }

    /**
     * Builds a confusion-matrix heat map (white to dark blue by count).
     *
     * @param title the title
     * @param counts C×C counts, row = true class
     * @param classNames C names
     * @return the chart
     */
    public static JFreeChart confusion(String title, long[][] counts, List<String> classNames) {
        int c = counts.length;
        double[][] v = new double[c][c];
        double max = 1;
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                v[i][j] = counts[i][j];
                max = Math.max(max, counts[i][j]);
            }
        }
        LookupPaintScale scale = new LookupPaintScale(0, max + 1e-9, Color.WHITE);
        int steps = 64;
        for (int s = 0; s < steps; s++) {
            float t = (float) s / (steps - 1);
            scale.add(max * s / steps, new Color(1f - 0.92f * t, 1f - 0.7f * t, 1f - 0.4f * t));
        }
        String[] ticks = new String[c];
        for (int i = 0; i < c; i++) {
            ticks[i] = i < classNames.size() ? classNames.get(i) : String.valueOf(i);
        }
        // with many classes, name every k-th so the labels stay legible
        if (c > 20) {
            for (int i = 0; i < c; i++) {
                if (i % (c / 10) != 0) {
                    ticks[i] = "";
                }
            }
        }
        JFreeChart chart = build(title, v, scale, "test images", ticks, "true class", "predicted class");
        if (c <= 20) {
            XYPlot plot = chart.getXYPlot();
            for (int i = 0; i < c; i++) {
                for (int j = 0; j < c; j++) {
                    XYTextAnnotation a = new XYTextAnnotation(String.valueOf(counts[i][j]), j, i);
                    a.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, c <= 10 ? 13 : 9));
                    a.setPaint(counts[i][j] > max * 0.55 ? Color.WHITE : Color.BLACK);
                    plot.addAnnotation(a);
                }
            }
        }
        return chart;
    }

    private static JFreeChart build(String title, double[][] values, PaintScale scale, String scaleLabel,
            String[] ticks, String rowLabel, String colLabel) {
        int m = values.length;
        double[] xs = new double[m * m];
        double[] ys = new double[m * m];
        double[] zs = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                xs[i * m + j] = j;
                ys[i * m + j] = i;
                zs[i * m + j] = values[i][j];
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("values", new double[][] {xs, ys, zs});
        ValueAxis xAxis = axis(colLabel, ticks, m);
        ValueAxis yAxis = axis(rowLabel, ticks, m);
        yAxis.setInverted(true); // row 0 at the top, as matrices are read
        xAxis.setVerticalTickLabels(true); // so the axis reserves room for the rotated names
        XYBlockRenderer r = new XYBlockRenderer();
        r.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, r);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, false);
        NumberAxis scaleAxis = new NumberAxis(scaleLabel);
        scaleAxis.setRange(scale.getLowerBound(), scale.getUpperBound());
        scaleAxis.setLabelFont(ChartStyle.LABEL);
        scaleAxis.setTickLabelFont(ChartStyle.TICK);
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(10, 10, 10, 10));
        legend.setStripWidth(18);
        legend.setAxisOffset(4);
        chart.addSubtitle(legend);
        ChartStyle.apply(chart);
        return chart;
    }

    /** An axis over cells centred on 0..m−1 that names each run of equal names once, at its centre. */
    private static ValueAxis axis(String label, String[] cellNames, int m) {
        ClassBlockAxis a = new ClassBlockAxis(label, cellNames);
        a.setRange(-0.5, m - 0.5);
        return a;
    }

    /** Tick labels per block of cells with the same (non-empty) name, so none is dropped for overlap. */
    private static final class ClassBlockAxis extends NumberAxis {
        private static final long serialVersionUID = 1L;
        private final String[] cellNames;

        ClassBlockAxis(String label, String[] cellNames) {
            super(label);
            this.cellNames = cellNames;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public java.util.List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            java.util.List ticks = new java.util.ArrayList();
            boolean horizontal = RectangleEdge.isTopOrBottom(edge);
            int start = 0;
            for (int i = 1; i <= cellNames.length; i++) {
                if (i == cellNames.length || !cellNames[i].equals(cellNames[start])) {
                    if (!cellNames[start].isEmpty()) {
                        double centre = (start + i - 1) / 2.0;
                        ticks.add(horizontal
                                ? new NumberTick(centre, cellNames[start], TextAnchor.CENTER_RIGHT, TextAnchor.CENTER_RIGHT,
                                        -Math.PI / 2)
                                : new NumberTick(centre, cellNames[start], TextAnchor.CENTER_RIGHT, TextAnchor.CENTER, 0));
                    }
                    start = i;
                }
            }
            return ticks;
        }
    }

    /** Blue at lo, white at the middle, red at hi. */
    static LookupPaintScale diverging(double lo, double hi) {
        LookupPaintScale s = new LookupPaintScale(lo, hi + 1e-9, Color.GRAY);
        int steps = 64;
        for (int k = 0; k < steps; k++) {
            double t = (double) k / (steps - 1) * 2 - 1; // −1..1
            Color c = t < 0 ? mix(Color.WHITE, new Color(0x2166ac), -t) : mix(Color.WHITE, new Color(0xb2182b), t);
            s.add(lo + (hi - lo) * k / steps, c);
        }
        return s;
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
