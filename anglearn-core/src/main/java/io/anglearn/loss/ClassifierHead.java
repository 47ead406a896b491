package io.anglearn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The last layer: class weights {@code W ∈ R^{C×d}}, one row per class, no bias.
 *
 * <p>A {@link HeadKind#LINEAR} head returns {@code x·Wᵀ}; a {@link HeadKind#COSINE} head returns
 * {@code x̂·Ŵᵀ = cos θ}, normalising with {@code v / max(‖v‖, 1e-12)} so that a zero feature or a
 * zero weight row gives cos θ = 0 rather than NaN.
 */
public final class ClassifierHead extends AbstractBlock {

    /** Smallest norm divided by when normalising. */
    public static final double NORM_EPSILON = 1e-12;

    private static final byte VERSION = 1;

    private final int numClasses;
    private final HeadKind kind;
    private final Parameter weight;

    /**
     * Creates a head.
     *
     * @param numClasses C, at least 2
     * @param kind linear or cosine
     */
    public ClassifierHead(int numClasses, HeadKind kind) {
        super(VERSION);
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier head needs at least 2 classes, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.kind = kind;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
    }

    /** Returns C. */
    public int numClasses() {
        return numClasses;
    }

    /** Returns the head's kind. */
    public HeadKind kind() {
        return kind;
    }

    /** Returns the class-weight parameter W (C×d). */
    public Parameter weight() {
        return weight;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        if (kind == HeadKind.COSINE) {
            return new NDList(x.normalize(2, 1, NORM_EPSILON).matMul(w.normalize(2, 1, NORM_EPSILON).transpose()));
        }
        return new NDList(x.matMul(w.transpose()));
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 2) {
            throw new IllegalArgumentException("classifier head expects N×d features, got " + in);
        }
        weight.setShape(new Shape(numClasses, in.get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }
}
