package io.anglearn.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;

/**
 * The look shared by the figures: white background, light grid, fonts large enough to read in a
 * report at a glance, and a class palette that stays the same across figures.
 */
public final class ChartStyle {

    /** Ten well-separated colours (Tableau 10) for up to ten classes or runs. */
    private static final Color[] TEN = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    /** Title font. */
    public static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    /** Axis label font. */
    public static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
    /** Tick and legend font. */
    public static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

    private ChartStyle() {}

    /**
     * The colour of class or series {@code i} of {@code n}: Tableau 10 when n ≤ 10, otherwise
     * evenly spaced hues.
     *
     * @param i the index
     * @param n how many there are
     * @return the colour
     */
    public static Color color(int i, int n) {
        if (n <= TEN.length) {
            return TEN[i % TEN.length];
        }
        return Color.getHSBColor((float) i / n, 0.75f, 0.85f - 0.25f * (i % 2));
    }

    /**
     * Applies the shared look to an XY chart.
     *
     * @param chart the chart
     * @return the chart
     */
    public static JFreeChart apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new org.jfree.chart.ui.RectangleInsets(6, 6, 6, 18)); // room for the last tick label
        TextTitle title = chart.getTitle();
        if (title != null) {
            title.setFont(TITLE);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(TICK);
            legend.setPosition(RectangleEdge.BOTTOM);
        }
        if (chart.getPlot() instanceof XYPlot plot) {
            plot.setBackgroundPaint(Color.WHITE);
            Paint grid = new Color(0xdddddd);
            plot.setDomainGridlinePaint(grid);
            plot.setRangeGridlinePaint(grid);
            plot.setDomainGridlineStroke(new BasicStroke(1f));
            plot.setRangeGridlineStroke(new BasicStroke(1f));
            plot.setOutlinePaint(Color.GRAY);
            for (int i = 0; i < plot.getDomainAxisCount(); i++) {
                plot.getDomainAxis(i).setLabelFont(LABEL);
                plot.getDomainAxis(i).setTickLabelFont(TICK);
            }
            for (int i = 0; i < plot.getRangeAxisCount(); i++) {
                plot.getRangeAxis(i).setLabelFont(LABEL);
                plot.getRangeAxis(i).setTickLabelFont(TICK);
            }
        }
        return chart;
    }
}
