package io.anglearn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * A loss computed from an embedding network's output {@code [features, head output]} and the
 * integer class labels.
 *
 * <p>Classification losses turn the head output into logits ({@link #logits}) and add any extra
 * term; the default {@link #evaluate} is the mean softmax cross-entropy of those logits. Labels are
 * checked against C on every call, so a bad label gives a clear error rather than a silent
 * out-of-range gather. The pair losses ({@link PairLoss}) have no head and no logits: they
 * override {@link #evaluate} and compare the batch's features with each other.
 *
 * <p>Some losses keep state that is not a trainable parameter (center loss's class centres,
 * AdaCos's scale, SphereFace's annealing step). Their lifecycle has three hooks, all no-ops by
 * default: {@link #initializeState} once before training, {@link #afterStep} after every
 * optimiser step, and {@link #saveState}/{@link #loadState} to keep the state with a model.
 * anglearn's trainer calls them; a user of DJL's own trainer calls {@code initializeState} after
 * initialising the model and {@code afterStep} from a training listener.
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

    /** Returns the weight rows per class the head needs: 1 unless the loss uses sub-centres. */
    public int subCenters() {
        return 1;
    }

    /**
     * Creates the classifier head this loss needs.
     *
     * @param numClasses C
     * @return a head of {@link #headKind()} with {@link #subCenters()} rows per class
     */
    public ClassifierHead newHead(int numClasses) {
        return new ClassifierHead(numClasses, headKind(), subCenters());
    }

    /**
     * Turns the head output into the logits fed to softmax cross-entropy during training.
     *
     * @param headOutput {@code N×C}: {@code W·x} or {@code cos θ}
     * @param features {@code N×d} embedded features
     * @param labels {@code N} class indices
     * @return {@code N×C} logits
     */
    public abstract NDArray logits(NDArray headOutput, NDArray features, NDArray labels);

    /** The scale s of {@code softmax(s·cos θ_j)} for a cosine-head loss that declares no logits of its own: NormFace's default. */
    public static final double FALLBACK_SCALE = 16;

    /**
     * Returns the logits this loss gives each class at inference, without the margin that belongs
     * to the true class: what a prediction's class probabilities are the softmax of. By default
     * the linear head's output, or for a cosine head {@code FALLBACK_SCALE·cos θ_j} (and the
     * description says it is a fallback); a loss with logits of its own overrides this.
     *
     * @param numClasses C
     * @return the logits
     * @throws IllegalArgumentException for a loss without class weights (a pair loss)
     */
    public InferenceLogits inferenceLogits(int numClasses) {
        return switch (headKind()) {
            case NONE -> throw new IllegalArgumentException("a run trained with a pair loss has no class weights to"
                    + " predict with");
            case LINEAR -> InferenceLogits.linear();
            case COSINE -> InferenceLogits.scaledCosine(FALLBACK_SCALE, "a fallback: the loss " + getName()
                    + " declares no logits of its own");
        };
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray features = predictions.get(0);
        NDArray head = predictions.get(1);
        NDArray y = labels.singletonOrThrow();
        checkLabels(y, head.getShape().get(1));
        return crossEntropy(logits(head, features, y), y);
    }

    /**
     * Returns the loss's terms by name, each a scalar, summing to {@link #evaluate}; a loss made of
     * one term returns it alone. The trainer uses this to say which term became NaN or infinite.
     *
     * @param labels the labels
     * @param predictions {@code [features, head output]}
     * @return the terms, in the order the loss adds them
     */
    public Map<String, NDArray> terms(NDList labels, NDList predictions) {
        return Map.of("cross-entropy", evaluate(labels, predictions));
    }

    /**
     * Creates the loss's non-trainable state, if it has any. Called once, before training.
     *
     * @param manager a manager that lives as long as the model; the state is attached to it
     * @param dataType the features' data type
     * @param numClasses C
     * @param featureDim d
     */
    public void initializeState(NDManager manager, DataType dataType, int numClasses, long featureDim) {}

    /**
     * Updates the loss's non-trainable state after an optimiser step.
     *
     * @param predictions the step's {@code [features, head output]}, without gradients
     * @param labels the step's labels
     */
    public void afterStep(NDList predictions, NDArray labels) {}

    /**
     * Writes the loss's non-trainable state.
     *
     * @param os the stream
     * @throws IOException if writing fails
     */
    public void saveState(DataOutputStream os) throws IOException {}

    /**
     * Reads state written by {@link #saveState} of a loss of the same kind and parameters.
     *
     * @param manager a manager that lives as long as the model
     * @param is the stream
     * @throws IOException if reading fails or the state does not fit this loss
     */
    public void loadState(NDManager manager, DataInputStream is) throws IOException {}

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
        long min = labels.min().toType(DataType.INT64, false).getLong();
        long max = labels.max().toType(DataType.INT64, false).getLong();
        if (min < 0 || max >= numClasses) {
            throw new IllegalArgumentException("label " + (min < 0 ? min : max) + " is outside [0, "
                    + numClasses + ")");
        }
    }

    /**
     * Returns the one-hot mask of the labels, {@code N×C}, in the data type of {@code like}.
     *
     * @param labels {@code N} class indices
     * @param like an {@code N×C} array
     * @return 1 at {@code (i, y_i)}, 0 elsewhere
     */
    static NDArray targetMask(NDArray labels, NDArray like) {
        return labels.oneHot((int) like.getShape().get(1), like.getDataType());
    }

    /**
     * Replaces the target column of {@code others} by {@code target}: {@code others + M·(target − others)}.
     * Both inputs must be finite, which every loss here guarantees by clamping.
     */
    static NDArray withTarget(NDArray others, NDArray target, NDArray labels) {
        return others.add(targetMask(labels, others).mul(target.sub(others)));
    }

    /**
     * Default clamp margin ε of the arccos in every loss that takes an angle: {@code arc}
     * ({@link AngularLoss}), {@code arcface} and {@code subcenter-arcface}
     * ({@link AdditiveAngularMarginLoss}), {@code adacos} ({@link AdaCosLoss}) and
     * {@code sphereface}/{@code lsoftmax} ({@link SphereFaceLoss}). cos θ is clamped to
     * {@code [−1+ε, 1−ε]} before arccos, whose derivative −1/√(1−c²) is infinite at ±1; with
     * ε = 1e-6 the largest derivative in float32 is about 707 and the smallest representable angle
     * about 1.4e-3 rad (1e-7 is too small: 1 − 1e-7 rounds to 1 in float32). Each of those losses
     * takes its own ε in (0, 0.1] ({@code optEpsilon}).
     */
    public static final double DEFAULT_EPSILON = 1e-6;

    /**
     * Returns θ = arccos(cos θ) with cos θ clamped to {@code [−1+ε, 1−ε]}, so that the derivative
     * −1/√(1−c²) stays finite; outside the clamp the gradient is 0 (see {@link #DEFAULT_EPSILON}).
     */
    static NDArray clampedAngle(NDArray cos, double epsilon) {
        return cos.clip(-1 + epsilon, 1 - epsilon).acos();
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static void checkEpsilon(String loss, double epsilon) {
        require(epsilon > 0 && epsilon <= 0.1, loss + ": epsilon must be in (0, 0.1], got " + epsilon);
    }

    static void checkScale(String loss, double s) {
        require(s > 0 && Double.isFinite(s), loss + ": scale s must be a positive finite number, got " + s);
    }
}
