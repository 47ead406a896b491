package io.anglearn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * A loss computed from an embedding network's output {@code [features, head output]} and the
 * integer class labels.
 *
 * <p>Subclasses turn the head output into logits ({@link #logits}) and add any extra term;
 * the default {@link #evaluate} is the mean softmax cross-entropy of those logits. Labels are
 * checked against C on every call, so a bad label gives a clear error rather than a silent
 * out-of-range gather.
 */
public abstract class EmbeddingLoss extends Loss {

    /**
     * Creates the loss.
     *
     * @param name the loss's short name, e.g. {@code arc}
     */
    protected EmbeddingLoss(String name) {
        super(name);
    }

    /** Returns the head this loss needs. */
    public abstract HeadKind headKind();

    /**
     * Turns the head output into the logits fed to softmax cross-entropy during training.
     *
     * @param headOutput {@code N×C}: {@code W·x} or {@code cos θ}
     * @param features {@code N×d} embedded features
     * @param labels {@code N} class indices
     * @return {@code N×C} logits
     */
    public abstract NDArray logits(NDArray headOutput, NDArray features, NDArray labels);

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray features = predictions.get(0);
        NDArray head = predictions.get(1);
        NDArray y = labels.singletonOrThrow();
        checkLabels(y, head.getShape().get(1));
        return crossEntropy(logits(head, features, y), y);
    }

    /**
     * Mean softmax cross-entropy.
     *
     * @param logits {@code N×C}
     * @param labels {@code N} class indices
     * @return a scalar
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logp = logits.logSoftmax(1);
        NDArray oneHot = labels.oneHot((int) logits.getShape().get(1), logp.getDataType());
        return logp.mul(oneHot).sum(new int[] {1}).neg().mean();
    }

    /**
     * Throws if a label is outside {@code [0, numClasses)}.
     *
     * @param labels {@code N} class indices
     * @param numClasses C
     */
    public static void checkLabels(NDArray labels, long numClasses) {
        if (labels.isEmpty()) {
            return;
        }
        long min = labels.min().toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
        long max = labels.max().toType(ai.djl.ndarray.types.DataType.INT64, false).getLong();
        if (min < 0 || max >= numClasses) {
            throw new IllegalArgumentException("label " + (min < 0 ? min : max) + " is outside [0, "
                    + numClasses + ")");
        }
    }
}
