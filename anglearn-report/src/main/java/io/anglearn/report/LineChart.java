package io.anglearn.report;

import io.anglearn.rundir.AtomicFiles;
import java.awt.BasicStroke;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * An XY line chart of one or more named series, written as PNG, SVG and the CSV of its points,
 * each file atomically, in the project's shared look ({@link ChartStyle}, rendered by
 * {@link ChartFiles}). Unlike {@link MultiRunLineChart} it carries a subtitle, an optional fixed
 * y range and the CSV of its points.
 *
 * <pre>{@code
 * LineChart.builder().setTitle("Test error").setXAxisLabel("epoch").setYAxisLabel("error (%)")
 *         .addSeries("arc", epochs, errors).build().write(dir, "error");  // error.png, .svg, .csv
 * }</pre>
 */
public final class LineChart {

    private record Series(String name, double[] x, double[] y) {}

    private final String title;
    private final String subtitle;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series;
    private final int width;
    private final int height;
    private final double[] yRange;
    private final boolean integerX;

    private LineChart(Builder b) {
        title = b.title;
        subtitle = b.subtitle;
        xLabel = b.xLabel;
        yLabel = b.yLabel;
        series = List.copyOf(b.series);
        width = b.width;
        height = b.height;
        yRange = b.yRange;
        integerX = b.integerX;
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes {@code base.png}, {@code base.svg} and {@code base.csv} into a folder.
     *
     * @param dir the folder, created if missing
     * @param base the file name without extension
     * @throws IOException if a file cannot be written
     */
    public void write(Path dir, String base) throws IOException {
        writePng(dir.resolve(base + ".png"));
        writeSvg(dir.resolve(base + ".svg"));
        writeCsv(dir.resolve(base + ".csv"));
    }

    /**
     * Writes the chart as a PNG image.
     *
     * @param file the target
     * @throws IOException if writing fails
     */
    public void writePng(Path file) throws IOException {
        AtomicFiles.write(file, ChartFiles.png(chart(), width, height));
    }

    /**
     * Writes the chart as an SVG document.
     *
     * @param file the target
     * @throws IOException if writing fails
     */
    public void writeSvg(Path file) throws IOException {
        AtomicFiles.writeString(file, ChartFiles.svg(chart(), width, height));
    }

    /**
     * Writes the points as CSV with the columns {@code series, x, y}, one row per point.
     *
     * @param file the target
     * @throws IOException if writing fails
     */
    public void writeCsv(Path file) throws IOException {
        AtomicFiles.write(file, toCsv().getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the points as CSV text (see {@link #writeCsv}). */
    public String toCsv() {
        StringWriter out = new StringWriter();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader("series", "x", "y").setRecordSeparator('\n').get();
        try (CSVPrinter csv = new CSVPrinter(out, format)) {
            for (Series s : series) {
                for (int i = 0; i < s.x().length; i++) {
                    csv.printRecord(s.name(), number(s.x()[i]), number(s.y()[i]));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.9g", v);
    }

    private JFreeChart chart() {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                xy.add(s.x()[i], s.y()[i]);
            }
            data.addSeries(xy);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                series.size() > 1, false, false);
        ChartStyle.apply(chart);
        if (subtitle != null) {
            chart.addSubtitle(0, new TextTitle(subtitle, ChartStyle.TICK));
        }
        XYPlot plot = chart.getXYPlot();
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        if (yRange != null) {
            plot.getRangeAxis().setRange(yRange[0], yRange[1]);
        }
        if (integerX) {
            plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, ChartStyle.color(i, series.size()));
            renderer.setSeriesStroke(i, new BasicStroke(2.2f));
        }
        plot.setRenderer(renderer);
        return chart;
    }

    /** Builds a {@link LineChart}. */
    public static final class Builder {
        private String title;
        private String subtitle;
        private String xLabel;
        private String yLabel;
        private final List<Series> series = new ArrayList<>();
        private int width = 900;
        private int height = 560;
        private double[] yRange;
        private boolean integerX;

        private Builder() {}

        /**
         * Sets the title.
         *
         * @param title the title (required)
         * @return this builder
         */
        public Builder setTitle(String title) {
            this.title = title;
            return this;
        }

        /**
         * Sets the x-axis label, with its unit, e.g. {@code θ (rad)}.
         *
         * @param label the label (required)
         * @return this builder
         */
        public Builder setXAxisLabel(String label) {
            this.xLabel = label;
            return this;
        }

        /**
         * Sets the y-axis label, with its unit.
         *
         * @param label the label (required)
         * @return this builder
         */
        public Builder setYAxisLabel(String label) {
            this.yLabel = label;
            return this;
        }

        /**
         * Sets a line under the title, e.g. the settings the curves were computed with.
         *
         * @param subtitle the text (default none)
         * @return this builder
         */
        public Builder optSubtitle(String subtitle) {
            this.subtitle = subtitle;
            return this;
        }

        /**
         * Adds a series; series are drawn, coloured and listed in the legend in the order added.
         *
         * @param name the legend entry, unique within the chart
         * @param x the x values
         * @param y the y values, as many as x, finite
         * @return this builder
         */
        public Builder addSeries(String name, double[] x, double[] y) {
            series.add(new Series(name, x.clone(), y.clone()));
            return this;
        }

        /**
         * Sets the image size in pixels (SVG user units).
         *
         * @param width at least 200 (default 900)
         * @param height at least 150 (default 560)
         * @return this builder
         */
        public Builder optSize(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /**
         * Fixes the y-axis range instead of fitting it to the data.
         *
         * @param lower the lowest value shown
         * @param upper the highest value shown, &gt; lower
         * @return this builder
         */
        public Builder optYRange(double lower, double upper) {
            this.yRange = new double[] {lower, upper};
            return this;
        }

        /**
         * Labels the x axis with whole numbers only, for counts such as epochs.
         *
         * @return this builder
         */
        public Builder optIntegerX() {
            this.integerX = true;
            return this;
        }

        /**
         * Builds the chart.
         *
         * @return the chart
         * @throws IllegalArgumentException if a required field is missing or a series is malformed
         */
        public LineChart build() {
            require(title != null && xLabel != null && yLabel != null, "a line chart needs a title and both axis labels");
            require(!series.isEmpty(), "a line chart needs at least one series");
            require(width >= 200 && height >= 150, "chart size must be at least 200×150, got " + width + "×" + height);
            require(yRange == null || yRange[1] > yRange[0], "y range must have upper > lower");
            List<String> names = new ArrayList<>();
            for (Series s : series) {
                require(!names.contains(s.name()), "series name '" + s.name() + "' is used twice");
                names.add(s.name());
                require(s.x().length == s.y().length, "series '" + s.name() + "' has " + s.x().length + " x values and "
                        + s.y().length + " y values");
                require(s.x().length > 0, "series '" + s.name() + "' is empty");
                for (int i = 0; i < s.x().length; i++) {
                    require(Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i]),
                            "series '" + s.name() + "' has a non-finite point at index " + i);
                }
            }
            return new LineChart(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
