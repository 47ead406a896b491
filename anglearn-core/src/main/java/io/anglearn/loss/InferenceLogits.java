package io.anglearn.loss;

import java.util.Locale;

/**
 * The logits a trained loss gives a class at inference, where the true class is not known: the
 * loss's non-target logit for every class, without the margin. Cross-entropy training calibrates
 * exactly those logits, so their softmax gives the class probabilities of a prediction. Each loss
 * declares its own ({@link EmbeddingLoss#inferenceLogits}); the forms are few:
 * <ul>
 *   <li>{@link #scaledCosine}: {@code z_j = s·cos θ_j} (NormFace, CosFace, ArcFace and its kin);
 *   <li>{@link #angular}: {@code z_j = k·(π/2 − θ_j)} (the angular loss of Wu and Wang);
 *   <li>{@link #featureNormCosine}: {@code z_j = ‖x‖·cos θ_j} (SphereFace, L-Softmax);
 *   <li>{@link #linear}: the linear head's {@code z_j = w_j·x} (softmax, center loss).
 * </ul>
 * Here cos θ_j is the cosine head's output (for sub-centres, the largest over the class's
 * sub-centres), and x the un-normalised embedded feature.
 */
public final class InferenceLogits {

    /** The forms of inference logits, for a consumer that computes them elsewhere (an exported graph). */
    public enum Form {
        /** {@code z_j = s·cos θ_j}, s = {@link #factor()}. */
        SCALED_COSINE,
        /** {@code z_j = k·(π/2 − θ_j)}, k = {@link #factor()}, the cosine clamped by {@link #epsilon()}. */
        ANGULAR,
        /** {@code z_j = ‖x‖·cos θ_j}. */
        FEATURE_NORM_COSINE,
        /** The linear head's output. */
        LINEAR
    }

    private final Form form;
    private final double factor;
    private final double epsilon;
    private final String description;

    private InferenceLogits(Form form, double factor, double epsilon, String description) {
        this.form = form;
        this.factor = factor;
        this.epsilon = epsilon;
        this.description = description;
    }

    /**
     * {@code z_j = s·cos θ_j}.
     *
     * @param scale s
     * @param why where s comes from, e.g. {@code s of the loss arcface}
     * @return the logits
     */
    public static InferenceLogits scaledCosine(double scale, String why) {
        return new InferenceLogits(Form.SCALED_COSINE, scale, 0,
                String.format(Locale.ROOT, "softmax(s·cos θ_j), s = %s (%s)", number(scale), why));
    }

    /**
     * {@code z_j = k·(π/2 − θ_j)} with θ_j the arccos of the cosine clamped to [−1 + ε, 1 − ε], as in training.
     *
     * @param k the scale k
     * @param epsilon the clamp ε
     * @param why where k comes from, e.g. {@code the loss arc}
     * @return the logits
     */
    public static InferenceLogits angular(double k, double epsilon, String why) {
        return new InferenceLogits(Form.ANGULAR, k, epsilon,
                String.format(Locale.ROOT, "softmax(k·(π/2 − θ_j)), k = %s of %s", number(k), why));
    }

    /**
     * {@code z_j = ‖x‖·cos θ_j}.
     *
     * @param why which loss, e.g. {@code the loss sphereface}
     * @return the logits
     */
    public static InferenceLogits featureNormCosine(String why) {
        return new InferenceLogits(Form.FEATURE_NORM_COSINE, 1, 0, "softmax(‖x‖·cos θ_j) of " + why);
    }

    /**
     * The linear head's output as it is.
     *
     * @return the logits
     */
    public static InferenceLogits linear() {
        return new InferenceLogits(Form.LINEAR, 1, 0, "softmax(w_j·x) of the linear head");
    }

    /** Returns the form. */
    public Form form() {
        return form;
    }

    /** Returns s of {@link Form#SCALED_COSINE} or k of {@link Form#ANGULAR} (1 for the others). */
    public double factor() {
        return factor;
    }

    /** Returns the clamp ε of {@link Form#ANGULAR} (0 for the others). */
    public double epsilon() {
        return epsilon;
    }

    /** Returns the rule in words, e.g. {@code softmax(k·(π/2 − θ_j)), k = 4 of the loss arc}. */
    public String describe() {
        return description;
    }

    /**
     * Returns the logits of one image.
     *
     * @param scores the head's output for it: cos θ_j for a cosine head, w_j·x for a linear one
     * @param feature its embedded feature, not normalised (read only by {@link #featureNormCosine})
     * @return C logits
     */
    public double[] of(float[] scores, float[] feature) {
        double[] z = new double[scores.length];
        double norm = 0;
        if (form == Form.FEATURE_NORM_COSINE) {
            for (float v : feature) {
                norm += (double) v * v;
            }
            norm = Math.sqrt(norm);
        }
        for (int j = 0; j < z.length; j++) {
            double s = scores[j];
            z[j] = switch (form) {
                case SCALED_COSINE -> factor * s;
                case ANGULAR -> factor * (Math.PI / 2 - Math.acos(Math.max(-1 + epsilon, Math.min(1 - epsilon, s))));
                case FEATURE_NORM_COSINE -> norm * s;
                case LINEAR -> s;
            };
        }
        return z;
    }

    /**
     * Returns the class probabilities of one image: the softmax of {@link #of}, computed stably.
     *
     * @param scores the head's output for it: cos θ_j for a cosine head, w_j·x for a linear one
     * @param feature its embedded feature, not normalised
     * @return C probabilities summing to 1
     */
    public double[] probabilities(float[] scores, float[] feature) {
        double[] z = of(scores, feature);
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

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
