package io.anglearn.loss;

/**
 * How the service turns one image's head output into class probabilities: the softmax of the
 * logits the run's loss declares for inference ({@link EmbeddingLoss#inferenceLogits}), its
 * non-target logit for every class without the margin. Cross-entropy training calibrates exactly
 * those logits, and the margin belongs to the true class, which a prediction does not know. For
 * the losses anglearn ships:
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
 * with {@code softmax(s·cos θ_j)}. A cosine-head loss of a user's that declares no logits falls
 * back to that rule with {@link #FALLBACK_SCALE}, and says so in {@link #describe()}.
 */
public final class ClassProbabilities {

    /** The scale s of softmax(s·cos θ_j) for a loss whose logits are not declared: NormFace's default. */
    public static final double FALLBACK_SCALE = EmbeddingLoss.FALLBACK_SCALE;

    private final InferenceLogits logits;

    private ClassProbabilities(InferenceLogits logits) {
        this.logits = logits;
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
        return new ClassProbabilities(loss.inferenceLogits(numClasses));
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
        return new ClassProbabilities(InferenceLogits.scaledCosine(scale, "given"));
    }

    /** Returns the rule in words, e.g. {@code softmax(k·(π/2 − θ_j)), k = 4 of the loss arc}. */
    public String describe() {
        return logits.describe();
    }

    /**
     * Returns the logits of one image.
     *
     * @param scores the head's output for it: cos θ_j for a cosine head, w_j·x for a linear one
     * @param feature its embedded feature, not normalised
     * @return C logits
     */
    public double[] logits(float[] scores, float[] feature) {
        return logits.of(scores, feature);
    }

    /**
     * Returns the class probabilities of one image: the softmax of {@link #logits}, computed stably.
     *
     * @param scores the head's output for it
     * @param feature its embedded feature, not normalised
     * @return C probabilities summing to 1
     */
    public double[] probabilities(float[] scores, float[] feature) {
        return logits.probabilities(scores, feature);
    }
}
