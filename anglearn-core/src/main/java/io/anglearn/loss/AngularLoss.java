package io.anglearn.loss;

import ai.djl.ndarray.NDArray;

/**
 * The angular loss ({@code arc}) of J. Wu and L. Wang, "Angular Learning: Toward Discriminative
 * Embedded Features" (arXiv:1912.07819): an arccos after the normalised last layer, so the logit
 * of class j is {@code z_j = k·(π/2 − θ_j)} with {@code θ_j = arccos(cos θ_j)}.
 *
 * <p>The logit's gradient with respect to the angle is the constant −k: unlike softmax's
 * −s·sin θ it does not vanish as the feature approaches its class weight. The paper's equations
 * did not survive in the available text; this form is reconstructed from its statements (any
 * constant added to every logit leaves softmax unchanged, so −k·θ_j is the same loss).
 *
 * <p>cos θ is clamped to {@code [−1+ε, 1−ε]} before arccos, whose derivative −1/√(1−c²) is
 * infinite at ±1. Default ε = {@value #DEFAULT_EPSILON}: in float32 the largest derivative is
 * then about 707, and the smallest representable angle about 1.4e-3 rad.
 */
public final class AngularLoss extends EmbeddingLoss {

    /** Default scale k. */
    public static final double DEFAULT_K = 4.0;
    /** Default clamp margin ε for arccos. */
    public static final double DEFAULT_EPSILON = 1e-6;

    private final double k;
    private final double epsilon;

    /**
     * Creates the loss with the default clamp.
     *
     * @param k the scale, &gt; 0 (the paper recommends more than 3)
     */
    public AngularLoss(double k) {
        this(k, DEFAULT_EPSILON);
    }

    /**
     * Creates the loss.
     *
     * @param k the scale, &gt; 0
     * @param epsilon the clamp margin, in (0, 0.1]
     */
    public AngularLoss(double k, double epsilon) {
        super("arc");
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("arc: k must be a positive finite number, got " + k);
        }
        if (!(epsilon > 0 && epsilon <= 0.1)) {
            throw new IllegalArgumentException("arc: epsilon must be in (0, 0.1], got " + epsilon);
        }
        this.k = k;
        this.epsilon = epsilon;
    }

    /** Returns k. */
    public double k() {
        return k;
    }

    @Override
    public HeadKind headKind() {
        return HeadKind.COSINE;
    }

    @Override
    public NDArray logits(NDArray cos, NDArray features, NDArray labels) {
        NDArray theta = cos.clip(-1 + epsilon, 1 - epsilon).acos();
        return theta.mul(-k).add(k * Math.PI / 2);
    }
}
