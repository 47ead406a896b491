package io.anglearn.serve;

import io.anglearn.loss.AdaCosLoss;
import io.anglearn.loss.AngularLoss;
import io.anglearn.loss.ArcFaceLoss;
import io.anglearn.loss.CenterLoss;
import io.anglearn.loss.CosFaceLoss;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.loss.HeadKind;
import io.anglearn.loss.NormFaceLoss;
import io.anglearn.loss.SoftmaxLoss;
import io.anglearn.loss.SphereFaceLoss;
import io.anglearn.loss.SubCenterArcFaceLoss;
import java.util.Locale;

/**
 * How the service turns one image's head output into class probabilities: the softmax of the
 * logits the run's loss was trained with, without the margin. Cross-entropy training calibrates
 * exactly those logits, and the margin belongs to the true class, which a prediction does not
 * know — so every class gets the loss's non-target logit:
 * <ul>
 *   <li>{@code arc} (Wu and Wang, arXiv:1912.07819): {@code z_j = k·(π/2 − θ_j)} with the run's k
 *       and θ_j = arccos of the clamped cosine, as in training;
 *   <li>{@code arcface}, {@code subcenter-arcface} (Deng et al., CVPR 2019 and ECCV 2020),
 *       {@code cosface} (Wang et al., CVPR 2018), {@code normface} (Wang et al., ACM MM 2017):
 *       {@code z_j = s·cos θ_j} with the run's s;
 *   <li>{@code adacos} (Zhang et al., CVPR 2019): {@code z_j = s·cos θ_j} with the scale of the
 *       checkpoint (the last adapted one; the fixed √2·log(C − 1) for the fixed variant);
 *   <li>{@code sphereface}, {@code lsoftmax} (Liu et al., CVPR 2017): {@code z_j = ‖x‖·cos θ_j};
 *   <li>{@code soft}, {@code center} (Wen et al., ECCV 2016): the linear head's {@code z_j = w_j·x}.
 * </ul>
 * Here cos θ_j is the cosine head's output (for sub-centres, the largest over the class's
 * sub-centres), and x the un-normalised embedded feature.
 *
 * <p>An explicit scale s ({@link #ofScale}, {@code anglearn serve --softmax-scale}) replaces this
 * with {@code softmax(s·cos θ_j)}. A classification loss this class does not know (none today)
 * falls back to that rule with {@link #FALLBACK_SCALE}, and says so in {@link #describe()}.
 */
public final class ClassProbabilities {

    /** The scale s of softmax(s·cos θ_j) for a loss whose logits are not known here: NormFace's default. */
    public static final double FALLBACK_SCALE = NormFaceLoss.DEFAULT_SCALE;

    private enum Rule { SCALED_COSINE, ANGULAR, FEATURE_NORM_COSINE, LINEAR }

    private final Rule rule;
    private final double factor;
    private final double epsilon;
    private final String description;

    private ClassProbabilities(Rule rule, double factor, double epsilon, String description) {
        this.rule = rule;
        this.factor = factor;
        this.epsilon = epsilon;
        this.description = description;
    }

    /**
     * The probabilities of the loss a run was trained with.
     *
     * @param loss the run's loss, with its state restored from the checkpoint
     * @param numClasses C
     * @return the rule
     * @throws IllegalArgumentException for a pair loss, which trains no classes
     */
    public static ClassProbabilities of(EmbeddingLoss loss, int numClasses) {
        if (loss.headKind() == HeadKind.NONE) {
            throw new IllegalArgumentException("a run trained with a pair loss has no class weights to predict with");
        }
        if (loss instanceof AngularLoss a) {
            return new ClassProbabilities(Rule.ANGULAR, a.k(), a.epsilon(),
                    String.format(Locale.ROOT, "softmax(k·(π/2 − θ_j)), k = %s of the loss arc", num(a.k())));
        }
        if (loss instanceof ArcFaceLoss a) {
            return scaled(a.scale(), "s of the loss arcface");
        }
        if (loss instanceof SubCenterArcFaceLoss a) {
            return scaled(a.scale(), "s of the loss subcenter-arcface");
        }
        if (loss instanceof CosFaceLoss a) {
            return scaled(a.scale(), "s of the loss cosface");
        }
        if (loss instanceof NormFaceLoss a) {
            return scaled(a.scale(), "s of the loss normface");
        }
        if (loss instanceof AdaCosLoss a) {
            return scaled(a.scale(numClasses), a.dynamic() ? "the adapted s of the loss adacos at this checkpoint"
                    : "the fixed s of the loss adacos");
        }
        if (loss instanceof SphereFaceLoss) {
            return new ClassProbabilities(Rule.FEATURE_NORM_COSINE, 1, 0, "softmax(‖x‖·cos θ_j) of the loss sphereface");
        }
        if (loss instanceof SoftmaxLoss || loss instanceof CenterLoss) {
            return new ClassProbabilities(Rule.LINEAR, 1, 0, "softmax(w_j·x) of the linear head");
        }
        return scaled(FALLBACK_SCALE, "a fallback: the logits of this loss are not known");
    }

    /**
     * The probabilities {@code softmax(s·cos θ_j)} with a chosen scale.
     *
     * @param scale s, in (0, 1000]
     * @return the rule
     */
    public static ClassProbabilities ofScale(double scale) {
        if (!(scale > 0 && scale <= 1000)) {
            throw new IllegalArgumentException("--softmax-scale must be in (0, 1000], got " + scale);
        }
        return scaled(scale, "given");
    }

    private static ClassProbabilities scaled(double s, String why) {
        return new ClassProbabilities(Rule.SCALED_COSINE, s, 0,
                String.format(Locale.ROOT, "softmax(s·cos θ_j), s = %s (%s)", num(s), why));
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Returns the rule in words, e.g. {@code softmax(k·(π/2 − θ_j)), k = 4 of the loss arc}. */
    public String describe() {
        return description;
    }

    /**
     * Returns the logits of one image.
     *
     * @param scores the head's output for it: cos θ_j for a cosine head, w_j·x for a linear one
     * @param feature its embedded feature, not normalised
     * @return C logits
     */
    public double[] logits(float[] scores, float[] feature) {
        double[] z = new double[scores.length];
        double norm = 0;
        if (rule == Rule.FEATURE_NORM_COSINE) {
            for (float v : feature) {
                norm += (double) v * v;
            }
            norm = Math.sqrt(norm);
        }
        for (int j = 0; j < z.length; j++) {
            double s = scores[j];
            z[j] = switch (rule) {
                case SCALED_COSINE -> factor * s;
                case ANGULAR -> factor * (Math.PI / 2 - Math.acos(Math.max(-1 + epsilon, Math.min(1 - epsilon, s))));
                case FEATURE_NORM_COSINE -> norm * s;
                case LINEAR -> s;
            };
        }
        return z;
    }

    /**
     * Returns the class probabilities of one image: the softmax of {@link #logits}, computed stably.
     *
     * @param scores the head's output for it
     * @param feature its embedded feature, not normalised
     * @return C probabilities summing to 1
     */
    public double[] probabilities(float[] scores, float[] feature) {
        double[] z = logits(scores, feature);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            p[j] = Math.exp(z[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < z.length; j++) {
            p[j] /= sum;
        }
        return p;
    }
}
