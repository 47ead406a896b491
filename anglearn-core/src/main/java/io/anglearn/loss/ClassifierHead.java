package io.anglearn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The last layer: class weights {@code W ∈ R^{C·K×d}}, no bias, with K sub-centres per class
 * (K = 1 for every loss except sub-center ArcFace).
 *
 * <p>A {@link HeadKind#LINEAR} head returns {@code x·Wᵀ}; a {@link HeadKind#COSINE} head returns
 * {@code x̂·Ŵᵀ = cos θ}, normalising with {@code v / max(‖v‖, 1e-12)} so that a zero feature or a
 * zero weight row gives cos θ = 0 rather than NaN. With K &gt; 1 sub-centres (cosine heads only)
 * the rows of W are grouped by class, row {@code j·K + i} being sub-centre i of class j, and the
 * head returns, per class, the largest cosine over its sub-centres (Deng et al., "Sub-center
 * ArcFace", ECCV 2020). The output is always {@code N×C}, so the predicted class is its argmax.
 *
 * <p>A {@link HeadKind#NONE} head, which the pair losses use, has no weights at all: its output is
 * an {@code N×0} array, {@link #weight()} is null and {@link #classWeights()} refuses. C is still
 * the number of classes the network was trained on.
 */
public final class ClassifierHead extends AbstractBlock {

    /** Smallest norm divided by when normalising. */
    public static final double NORM_EPSILON = 1e-12;

    private static final byte VERSION = 1;

    private final int numClasses;
    private final HeadKind kind;
    private final int subCenters;
    private final Parameter weight;

    /**
     * Creates a head with one weight row per class.
     *
     * @param numClasses C, at least 2
     * @param kind linear, cosine, or none
     */
    public ClassifierHead(int numClasses, HeadKind kind) {
        this(numClasses, kind, 1);
    }

    /**
     * Creates a head.
     *
     * @param numClasses C, at least 2
     * @param kind linear, cosine, or none
     * @param subCenters K, the weight rows per class: 1, or more for a cosine head
     */
    public ClassifierHead(int numClasses, HeadKind kind, int subCenters) {
        super(VERSION);
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier head needs at least 2 classes, got " + numClasses);
        }
        if (subCenters < 1) {
            throw new IllegalArgumentException("a classifier head needs at least 1 sub-centre per class, got "
                    + subCenters);
        }
        if (subCenters > 1 && kind != HeadKind.COSINE) {
            throw new IllegalArgumentException("sub-centres need a COSINE head, got " + kind);
        }
        this.numClasses = numClasses;
        this.kind = kind;
        this.subCenters = subCenters;
        weight = kind == HeadKind.NONE ? null
                : addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
    }

    /** Returns C. */
    public int numClasses() {
        return numClasses;
    }

    /** Returns the head's kind. */
    public HeadKind kind() {
        return kind;
    }

    /** Returns K, the weight rows per class. */
    public int subCenters() {
        return subCenters;
    }

    /** Returns the class-weight parameter W ({@code C·K×d}), or null for a {@link HeadKind#NONE} head. */
    public Parameter weight() {
        return weight;
    }

    /**
     * The head's function, for any weights: what {@link #forward} computes with its own W.
     *
     * @param features {@code N×d}
     * @param weights {@code C·K×d}
     * @param kind linear, cosine, or none
     * @param subCenters K
     * @return {@code N×C} scores: {@code x·Wᵀ}, or cos θ (the largest over the sub-centres); an
     *     {@code N×0} array for {@link HeadKind#NONE}, whose weights may be null
     */
    public static NDArray scores(NDArray features, NDArray weights, HeadKind kind, int subCenters) {
        // An operation's result belongs to its first operand's manager: anything computed from the
        // weights alone would land in the parameters' long-lived manager and pile up step after
        // step, so it is moved into the features' (the step's) scope at once.
        NDManager step = features.getManager();
        if (kind == HeadKind.NONE) {
            return step.zeros(new Shape(features.getShape().get(0), 0), features.getDataType());
        }
        if (kind == HeadKind.LINEAR) {
            NDArray wt = weights.transpose();
            wt.attach(step);
            return features.matMul(wt);
        }
        NDArray wn = weights.normalize(2, 1, NORM_EPSILON);
        wn.attach(step);
        NDArray cos = features.normalize(2, 1, NORM_EPSILON).matMul(wn.transpose());
        if (subCenters == 1) {
            return cos;
        }
        long n = cos.getShape().get(0);
        long c = weights.getShape().get(0) / subCenters;
        return cos.reshape(n, c, subCenters).max(new int[] {2});
    }

    /**
     * Returns one weight vector per class as a {@code C×d} array of doubles, for the angle
     * statistics: W itself, or with sub-centres the sum of each class's L2-normalised
     * sub-centres (the direction of their mean on the sphere).
     *
     * @return the class weights
     * @throws IllegalStateException for a {@link HeadKind#NONE} head, which has none
     */
    public double[][] classWeights() {
        if (weight == null) {
            throw new IllegalStateException("the network has no classifier head (it was trained with a pair loss):"
                    + " there are no class weights");
        }
        NDArray w = weight.getArray();
        int rows = (int) w.getShape().get(0);
        int d = (int) w.getShape().get(1);
        float[] flat = w.toFloatArray();
        double[][] out = new double[numClasses][d];
        for (int r = 0; r < rows; r++) {
            double norm = 1;
            if (subCenters > 1) {
                double sq = 0;
                for (int i = 0; i < d; i++) {
                    sq += (double) flat[r * d + i] * flat[r * d + i];
                }
                norm = Math.max(Math.sqrt(sq), NORM_EPSILON);
            }
            double[] target = out[r / subCenters];
            for (int i = 0; i < d; i++) {
                target[i] += flat[r * d + i] / norm;
            }
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = weight == null ? null : store.getValue(weight, x.getDevice(), training);
        return new NDList(scores(x, w, kind, subCenters));
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 2) {
            throw new IllegalArgumentException("classifier head expects N×d features, got " + in);
        }
        if (weight != null) {
            weight.setShape(new Shape((long) numClasses * subCenters, in.get(1)));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), kind == HeadKind.NONE ? 0 : numClasses)};
    }
}
