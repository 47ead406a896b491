package io.anglearn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.metrics.ConfusionMatrix;
import io.anglearn.metrics.SimilarityMatrix;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.Test;

/**
 * Renders every figure kind from synthetic data, as PNG and SVG, and checks that each is a real
 * picture (decodes, has the requested size, is not one flat colour) and that the SVG carries the
 * title. The files are kept under target/figure-samples for a look.
 */
class ChartsTest {

    static final List<String> CLASSES = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine");
    private static final Path OUT = Path.of("target", "figure-samples");

    static void check(JFreeChart chart, String name, String title) throws IOException {
        byte[] png = ChartFiles.write(chart, OUT.resolve(name), ChartFiles.WIDTH, ChartFiles.HEIGHT);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(ChartFiles.WIDTH, img.getWidth());
        assertEquals(ChartFiles.HEIGHT, img.getHeight());
        assertTrue(distinctColours(img) > 20, name + " looks blank");
        String svg = Files.readString(OUT.resolve(name + ".svg"));
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg"), name + ".svg is not SVG");
        assertTrue(svg.contains(title.replace("&", "&amp;").replace("'", "&apos;")), name + ".svg lacks its title");
    }

    static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }

    @Test
    void multiRunLines() throws IOException {
        List<MultiRunLineChart.Series> s = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            double[] x = new double[30];
            double[] y = new double[30];
            for (int i = 0; i < 30; i++) {
                x[i] = i * 200;
                y[i] = 1.2 * Math.exp(-i / (5.0 + 5 * run)) + 0.05;
            }
            s.add(new MultiRunLineChart.Series("arc k=" + (4 << run), x, y));
        }
        check(MultiRunLineChart.create("WC-Intra during training", "iteration", "WC-Intra (rad)", s, false),
                "wc-intra", "WC-Intra during training");
    }

    @Test
    void scatterWithWeightRays() throws IOException {
        Random rnd = new Random(1);
        int n = 2000;
        float[] f = new float[2 * n];
        int[] y = new int[n];
        double[][] w = new double[10][2];
        for (int j = 0; j < 10; j++) {
            double a = 2 * Math.PI * j / 10;
            w[j] = new double[] {Math.cos(a) * 3, Math.sin(a) * 3};
        }
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
            double a = 2 * Math.PI * y[i] / 10 + rnd.nextGaussian() * 0.12;
            double r = 5 + rnd.nextDouble() * 20;
            f[2 * i] = (float) (Math.cos(a) * r);
            f[2 * i + 1] = (float) (Math.sin(a) * r);
        }
        JFreeChart scatter = FeatureScatterChart.create("2-D features, arc", f, y, w, CLASSES);
        check(scatter, "scatter", "2-D features, arc");
        // Each class weight ray is labelled with its class's name, not w0, w1, ...
        List<String> labels = scatter.getXYPlot().getAnnotations().stream()
                .filter(a -> a instanceof org.jfree.chart.annotations.XYTextAnnotation)
                .map(a -> ((org.jfree.chart.annotations.XYTextAnnotation) a).getText()).toList();
        assertEquals(CLASSES, labels);
    }

    @Test
    void rocIsTickedAtWholePowersOfTen() throws IOException {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            double far = Math.pow(10, -4 + 4 * i / 100.0);
            points.add(new double[] {far, Math.pow(far, 0.2)});
        }
        JFreeChart roc = RocChart.create("ROC", points, 12499);
        check(roc, "roc", "ROC");
        BufferedImage img = new BufferedImage(ChartFiles.WIDTH, ChartFiles.HEIGHT, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
        roc.draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, ChartFiles.WIDTH, ChartFiles.HEIGHT), info);
        org.jfree.chart.axis.LogAxis far = (org.jfree.chart.axis.LogAxis) roc.getXYPlot().getDomainAxis();
        List<String> labels = new ArrayList<>();
        for (Object t : far.refreshTicks(g, new org.jfree.chart.axis.AxisState(), info.getPlotInfo().getDataArea(),
                org.jfree.chart.ui.RectangleEdge.BOTTOM)) {
            org.jfree.chart.axis.LogTick tick = (org.jfree.chart.axis.LogTick) t;
            if (tick.getTickType() != org.jfree.chart.axis.TickType.MAJOR) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            java.text.AttributedCharacterIterator it = tick.getAttributedLabel().getIterator();
            for (char c = it.first(); c != java.text.CharacterIterator.DONE; c = it.next()) {
                text.append(c);
            }
            labels.add(text.toString());
        }
        g.dispose();
        // 10 with the exponent as a superscript: 10⁻⁴ … 10⁰ (the axis starts at 1/12499).
        assertEquals(List.of("10-4", "10-3", "10-2", "10-1", "100"), labels);
    }

    @Test
    void ridge() throws IOException {
        Random rnd = new Random(2);
        List<AngleRidgePlot.Ridge> ridges = new ArrayList<>();
        for (int e = 1; e <= 8; e++) {
            double[] a = new double[200];
            for (int i = 0; i < a.length; i++) {
                a[i] = Math.abs(Math.toRadians(90 / e) + rnd.nextGaussian() * 0.15);
            }
            ridges.add(new AngleRidgePlot.Ridge(e, a));
        }
        check(AngleRidgePlot.create("Target angle θ_y of class 'one' by epoch", ridges), "ridge",
                "Target angle θ_y of class 'one' by epoch");
    }

    @Test
    void similarityAndConfusion() throws IOException {
        Random rnd = new Random(3);
        int n = 300;
        int d = 16;
        float[] f = new float[n * d];
        int[] y = new int[n];
        int[] pred = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
            pred[i] = rnd.nextDouble() < 0.8 ? y[i] : rnd.nextInt(10);
            for (int k = 0; k < d; k++) {
                f[i * d + k] = (float) (rnd.nextGaussian() * 0.4 + (k == y[i] ? 1 : 0));
            }
        }
        SimilarityMatrix m = SimilarityMatrix.of(f, d, y, 10);
        check(HeatMapChart.similarity("Cosine similarity of test features", m.cosine(), m.labels(), CLASSES),
                "similarity", "Cosine similarity of test features");
        check(HeatMapChart.confusion("Confusion matrix", ConfusionMatrix.of(y, pred, 10).counts(), CLASSES),
                "confusion", "Confusion matrix");
    }
}
