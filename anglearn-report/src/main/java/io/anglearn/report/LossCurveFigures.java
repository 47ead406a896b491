package io.anglearn.report;

import ai.djl.ndarray.types.DataType;
import io.anglearn.loss.AngularLoss;
import io.anglearn.loss.ArcFaceLoss;
import io.anglearn.loss.GradientCurves;
import io.anglearn.loss.SoftmaxLoss;
import io.anglearn.loss.SphereFaceLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's Figures 3 and 4, computed by autograd through the losses' own code
 * ({@link GradientCurves}) in float32, as in training.
 *
 * <ul>
 *   <li>Figure 3, {@code figure3-angular-gradient}: ∂z_y/∂θ_y against θ for softmax, ArcFace
 *       (m = 0.5, threshold form), L-Softmax (m = 2 and 4, no annealing) and the angular loss, all at
 *       unit scale (‖w‖‖x‖ = 1, s = 1, k = 1) so that their shapes compare.</li>
 *   <li>Figure 4, {@code figure4-confidence-cN} and {@code figure4-gradient-cN} for C = 10 and 100:
 *       the angular loss's p_y and ∂L/∂θ_y against θ_y for k ∈ {1, 2, 4, 8, 16}, with every
 *       non-target angle at π/2 (the paper's §3.2 assumption).</li>
 * </ul>
 */
public final class LossCurveFigures {

    /** The values of k in Figure 4. */
    public static final double[] FIGURE4_K = {1, 2, 4, 8, 16};
    /** The class counts of Figure 4. */
    public static final int[] FIGURE4_CLASSES = {10, 100};

    private LossCurveFigures() {}

    /**
     * Writes both figures (PNG, SVG and CSV each) into a folder.
     *
     * @param dir the folder, created if missing
     * @param points the number of θ values, at least 2
     * @return the files written
     * @throws IOException if a file cannot be written
     */
    public static List<Path> writeAll(Path dir, int points) throws IOException {
        List<Path> files = new ArrayList<>();
        files.addAll(written(dir, "figure3-angular-gradient", figure3(points)));
        for (int c : FIGURE4_CLASSES) {
            LineChart[] f4 = figure4(c, points);
            files.addAll(written(dir, "figure4-confidence-c" + c, f4[0]));
            files.addAll(written(dir, "figure4-gradient-c" + c, f4[1]));
        }
        return files;
    }

    /**
     * Figure 3: the angular gradient ∂z_y/∂θ_y of four losses.
     *
     * @param points the number of θ values
     * @return the chart
     */
    public static LineChart figure3(int points) {
        double[] theta = GradientCurves.angles(points);
        LineChart.Builder chart = LineChart.builder()
                .setTitle("Angular gradient of the target logit (paper Figure 3)")
                .optSubtitle("autograd, float32; unit scale: softmax ‖w‖‖x‖ = 1, ArcFace s = 1, L-Softmax ‖x‖ = 1, angular k = 1")
                .setXAxisLabel("θ_y, angle between feature and target weight (rad)")
                .setYAxisLabel("∂z_y/∂θ_y (logit per rad)");
        chart.addSeries("softmax", theta, GradientCurves.targetLogitGradient(new SoftmaxLoss(), theta, 1, DataType.FLOAT32));
        chart.addSeries("ArcFace m = 0.5", theta, GradientCurves.targetLogitGradient(
                ArcFaceLoss.builder().optScale(1).optMargin(0.5).build(), theta, 1, DataType.FLOAT32));
        for (int m : new int[] {2, 4}) {
            chart.addSeries("L-Softmax m = " + m, theta, GradientCurves.targetLogitGradient(
                    SphereFaceLoss.builder().optM(m).optLambdaBase(0).optLambdaMin(0).build(), theta, 1, DataType.FLOAT32));
        }
        chart.addSeries("angular loss", theta, GradientCurves.targetLogitGradient(
                AngularLoss.builder().optK(1).build(), theta, 1, DataType.FLOAT32));
        return chart.build();
    }

    /**
     * Figure 4 for one class count: the angular loss's confidence and angular gradient for several k.
     *
     * @param numClasses C
     * @param points the number of θ values
     * @return {p_y chart, ∂L/∂θ_y chart}
     */
    public static LineChart[] figure4(int numClasses, int points) {
        double[] theta = GradientCurves.angles(points);
        String subtitle = "angular loss, C = " + numClasses + ", non-target angles π/2; autograd, float32";
        LineChart.Builder p = LineChart.builder().setTitle("Target-class probability (paper Figure 4a)")
                .optSubtitle(subtitle).setXAxisLabel("θ_y (rad)").setYAxisLabel("p_y (probability)").optYRange(0, 1.02);
        LineChart.Builder g = LineChart.builder().setTitle("Angular gradient of the loss (paper Figure 4b)")
                .optSubtitle(subtitle).setXAxisLabel("θ_y (rad)").setYAxisLabel("∂L/∂θ_y (per rad)");
        for (double k : FIGURE4_K) {
            double[][] curves = GradientCurves.angularConfidence(AngularLoss.builder().optK(k).build(), numClasses, theta,
                    DataType.FLOAT32);
            String name = "k = " + (int) k;
            p.addSeries(name, theta, curves[0]);
            g.addSeries(name, theta, curves[1]);
        }
        return new LineChart[] {p.build(), g.build()};
    }

    private static List<Path> written(Path dir, String base, LineChart chart) throws IOException {
        chart.write(dir, base);
        return List.of(dir.resolve(base + ".png"), dir.resolve(base + ".svg"), dir.resolve(base + ".csv"));
    }
}
