package io.anglearn.report;

import io.anglearn.rundir.AtomicFiles;
import java.awt.Rectangle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;

/**
 * Renders a JFreeChart to PNG (through Java2D) and to SVG (through JFreeSVG), as bytes for
 * embedding or as files written atomically. Rendering needs no display: it runs headless.
 */
public final class ChartFiles {

    /** Default figure width in pixels. */
    public static final int WIDTH = 900;
    /** Default figure height in pixels. */
    public static final int HEIGHT = 600;

    private ChartFiles() {}

    /**
     * Renders a PNG.
     *
     * @param chart the chart
     * @param width pixels
     * @param height pixels
     * @return the PNG bytes
     */
    public static byte[] png(JFreeChart chart, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding failed in memory", e);
        }
        return out.toByteArray();
    }

    /**
     * Renders a standalone SVG document.
     *
     * @param chart the chart
     * @param width user units (pixels)
     * @param height user units
     * @return the SVG text
     */
    public static String svg(JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGDocument();
    }

    /**
     * Writes {@code base.png} and {@code base.svg} atomically.
     *
     * @param chart the chart
     * @param base the path without extension
     * @param width pixels
     * @param height pixels
     * @return the PNG bytes (for embedding)
     * @throws IOException if writing fails
     */
    public static byte[] write(JFreeChart chart, Path base, int width, int height) throws IOException {
        byte[] png = png(chart, width, height);
        AtomicFiles.write(base.resolveSibling(base.getFileName() + ".png"), png);
        AtomicFiles.write(base.resolveSibling(base.getFileName() + ".svg"),
                svg(chart, width, height).getBytes(StandardCharsets.UTF_8));
        return png;
    }
}
