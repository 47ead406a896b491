package io.anglearn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anglearn.loss.miners.Mined;
import io.anglearn.loss.miners.MinedPairs;
import io.anglearn.loss.miners.MinedTriplets;
import io.anglearn.loss.miners.Miner;
import java.util.Map;

/**
 * A loss of the embedded features alone, computed from the distances between the samples of a
 * batch: the pair-based family of metric learning ({@link ContrastiveLoss},
 * {@link TripletMarginLoss}, {@link MultiSimilarityLoss}), beside the classification losses that
 * train class weights.
 *
 * <p>Its head is {@link HeadKind#NONE}: the network has no class weights, and the loss reads only
 * the features of the network's output {@code [features, head output]}. Labels only say which
 * samples share a class, so any integers will do. A batch needs two samples of a class and one
 * of another before any pair or triplet exists; without one the loss is 0, with a zero gradient.
 *
 * <p>An optional {@link Miner} chooses the pairs or triplets from the loss's own distances, copied
 * to the host without gradient; without one every pair, or every triplet, of the batch counts.
 * Either kind of miner serves either kind of loss ({@link Mined} converts).
 *
 * <p>Distances: the Euclidean distance {@code ‖x̂_i − x̂_j‖} is computed as
 * {@code √max(‖x̂_i‖² + ‖x̂_j‖² − 2·x̂_i·x̂_j, 1e-12)}. The floor keeps the gradient of the square
 * root finite where two features coincide (a sample with itself, or an image drawn twice); there
 * the gradient is 0. Normalising divides by at least 1e-12, so zero features give zero vectors.
 */
public abstract class PairLoss extends EmbeddingLoss {

    /** The floor under a squared Euclidean distance before its square root ({@link Distance#MIN_SQUARED_DISTANCE}). */
    public static final double MIN_SQUARED_DISTANCE = Distance.MIN_SQUARED_DISTANCE;

    private final Miner miner;

    /**
     * Creates the loss.
     *
     * @param name the loss's short name
     * @param miner the miner, or null to use every pair or triplet
     */
    protected PairLoss(String name, Miner miner) {
        super(name);
        this.miner = miner;
    }

    /** Returns the miner, or null when every pair or triplet counts. */
    public Miner miner() {
        return miner;
    }

    /** Returns {@link HeadKind#NONE}: pair losses train no class weights. */
    @Override
    public final HeadKind headKind() {
        return HeadKind.NONE;
    }

    /**
     * Not defined: a pair loss compares samples with each other, not with classes.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public final NDArray logits(NDArray headOutput, NDArray features, NDArray labels) {
        throw new UnsupportedOperationException("'" + getName() + "' is a pair loss: it has no logits");
    }

    /** Returns the sum of {@link #terms}. */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray sum = null;
        for (NDArray t : terms(labels, predictions).values()) {
            sum = sum == null ? t : sum.add(t);
        }
        return sum;
    }

    /** Returns the loss's terms, each a scalar of the features' data type. */
    @Override
    public abstract Map<String, NDArray> terms(NDList labels, NDList predictions);

    /**
     * Returns the pairs or triplets to learn from: the miner's choice, or all of them.
     *
     * @param distances the {@code n×n} distances the loss uses (lower = more alike)
     * @param labels the batch's labels
     * @param triplets whether the loss needs triplets (else pairs) when there is no miner
     * @return the selection
     */
    protected final Mined select(NDArray distances, int[] labels, boolean triplets) {
        if (miner == null) {
            return triplets ? MinedTriplets.all(labels) : MinedPairs.all(labels);
        }
        return miner.mine(distances.toType(DataType.FLOAT64, false).toDoubleArray(), labels);
    }

    /**
     * Returns the labels on the host, checking there is one per feature.
     *
     * @param labels the labels, {@code n} integers
     * @param features {@code n×d}
     * @return the labels
     */
    protected final int[] hostLabels(NDList labels, NDArray features) {
        NDArray y = labels.singletonOrThrow();
        Shape f = features.getShape();
        if (f.dimension() != 2) {
            throw new IllegalArgumentException(getName() + ": expected n×d features, got " + f);
        }
        if (y.getShape().dimension() != 1 || y.size() != f.get(0)) {
            throw new IllegalArgumentException(getName() + ": " + f.get(0) + " features but labels of shape "
                    + y.getShape());
        }
        return y.toType(DataType.INT32, false).toIntArray();
    }

    /**
     * Returns the distance this loss learns from and its miner chooses by.
     *
     * @return the distance
     */
    public abstract Distance distance();

    /**
     * Gathers {@code matrix[rows[k], cols[k]]} into a vector, differentiably.
     *
     * @param matrix {@code n×n}
     * @param rows row indices
     * @param cols column indices, as many
     * @return the {@code k} entries
     */
    static NDArray gather(NDArray matrix, int[] rows, int[] cols) {
        long n = matrix.getShape().get(1);
        long[] flat = new long[rows.length];
        for (int k = 0; k < flat.length; k++) {
            flat[k] = rows[k] * n + cols[k];
        }
        NDManager m = matrix.getManager();
        return matrix.reshape(-1).take(m.create(flat));
    }

    /**
     * Returns a {@code n×n} mask with 1 at each {@code (rows[k], cols[k])}, in the data type of {@code like}.
     *
     * @param like an array of the wanted data type and manager
     * @param rows row indices
     * @param cols column indices
     * @param n the side
     * @return the mask
     */
    static NDArray mask(NDArray like, int[] rows, int[] cols, int n) {
        float[] m = new float[n * n];
        for (int k = 0; k < rows.length; k++) {
            m[rows[k] * n + cols[k]] = 1;
        }
        return like.getManager().create(m, new Shape(n, n)).toType(like.getDataType(), false);
    }

    /**
     * Returns the mean of the non-zero entries of a vector of non-negative hinge terms, or 0 when
     * none is: the many pairs or triplets that already satisfy their margin do not dilute the rest.
     *
     * @param hinges {@code k} values, each at least 0
     * @return a scalar of the same data type
     */
    static NDArray meanOfActive(NDArray hinges) {
        // Divide before reducing: a 0-d array combined with a double would become float64.
        NDArray active = hinges.gt(0).toType(hinges.getDataType(), false).sum(new int[] {0}, true).maximum(1);
        return hinges.div(active).sum();
    }

    /**
     * The setting every pair loss's builder has: the miner. The subclasses' builders extend it, as
     * the margin losses' extend {@link MarginLoss.BaseBuilder}.
     *
     * @param <B> the concrete builder, returned by the setters so calls chain
     */
    public abstract static class BaseBuilder<B extends BaseBuilder<B>> {
        Miner miner;

        BaseBuilder() {}

        /**
         * Sets the miner.
         *
         * @param miner the miner, or null for every pair or triplet of the batch (default null)
         * @return this builder
         */
        public B optMiner(Miner miner) {
            this.miner = miner;
            return self();
        }

        /** Returns this builder as its concrete type. */
        abstract B self();
    }
}
