package io.anglearn.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anglearn.engine.ArrayEncoding;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Center loss ({@code center}) of Y. Wen, K. Zhang, Z. Li and Y. Qiao, "A Discriminative Feature
 * Learning Approach for Deep Face Recognition" (ECCV 2016): softmax cross-entropy over the
 * linear logits {@code z_j = w_j·x}, plus {@code (λ/2)·‖x − c_y‖²} averaged over the batch, which
 * pulls each feature towards its class centre {@code c_y}.
 *
 * <p>The centres are not learned by the optimiser. They start at zero and, after each step, move
 * by Wen et al.'s equation 4: {@code c_j ← c_j − α·Δc_j} with
 * {@code Δc_j = Σ_{i: y_i = j}(c_j − x_i) / (1 + n_j)}, n_j being the batch's samples of class j.
 * They are this loss's state: {@link #initializeState} creates them, {@link #afterStep} updates them,
 * {@link #saveState}/{@link #loadState} keep them with the model.
 *
 * <p>Parameters: λ, default {@value #DEFAULT_LAMBDA}, and the centre update rate α in (0, 1],
 * default {@value #DEFAULT_ALPHA} (both Wen et al.'s values).
 */
public final class CenterLoss extends SoftmaxLoss {

    /** Default weight λ of the centre term. */
    public static final double DEFAULT_LAMBDA = 0.003;
    /** Default centre update rate α. */
    public static final double DEFAULT_ALPHA = 0.5;

    private static final int STATE_VERSION = 1;

    /** The name of the softmax cross-entropy term in {@link #terms}. */
    public static final String SOFTMAX_TERM = "softmax cross-entropy";
    /** The name of the centre-pull term in {@link #terms}. */
    public static final String PULL_TERM = "centre pull (lambda/2)*|x - c_y|^2";

    private final double lambda;
    private final double alpha;
    private NDArray centers;

    private CenterLoss(Builder b) {
        super("center");
        this.lambda = b.lambda;
        this.alpha = b.alpha;
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns λ. */
    public double lambda() {
        return lambda;
    }

    /** Returns α. */
    public double alpha() {
        return alpha;
    }

    /** Returns the class centres, {@code C×d}, or null before {@link #initializeState}. */
    public NDArray centers() {
        return centers;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        Map<String, NDArray> t = terms(labels, predictions);
        return t.get(SOFTMAX_TERM).add(t.get(PULL_TERM));
    }

    /** Returns the softmax cross-entropy and the centre pull, the two terms the loss adds. */
    @Override
    public Map<String, NDArray> terms(NDList labels, NDList predictions) {
        NDArray features = predictions.get(0);
        NDArray head = predictions.get(1);
        NDArray y = labels.singletonOrThrow();
        checkLabels(y, head.getShape().get(1));
        checkCenters(head.getShape().get(1), features.getShape().get(1));
        // Every result must belong to the step's arrays, never to the centres' long-lived manager: an
        // operation's result is attached to the manager of the array it is called on.
        NDArray ownCenters = y.oneHot((int) centers.getShape().get(0), centers.getDataType()).matMul(centers)
                .toType(features.getDataType(), false);
        // Scale before reducing: a double times a 0-d float32 array would promote the loss to float64.
        NDArray pull = features.sub(ownCenters).square().sum(new int[] {1}).mul(lambda / 2).mean();
        Map<String, NDArray> terms = new LinkedHashMap<>();
        terms.put(SOFTMAX_TERM, crossEntropy(head, y));
        terms.put(PULL_TERM, pull);
        return terms;
    }

    @Override
    public void initializeState(NDManager manager, DataType dataType, int numClasses, long featureDim) {
        centers = manager.zeros(new Shape(numClasses, featureDim), dataType);
    }

    @Override
    public void afterStep(NDList predictions, NDArray labels) {
        NDArray features = predictions.get(0);
        checkCenters(predictions.get(1).getShape().get(1), features.getShape().get(1));
        NDArray mask = labels.oneHot((int) centers.getShape().get(0), centers.getDataType());
        NDArray counts = mask.sum(new int[] {0}).expandDims(1);
        NDArray sums = mask.transpose().matMul(features.stopGradient().toType(centers.getDataType(), false));
        NDArray delta = counts.mul(centers).sub(sums).div(counts.add(1));
        centers.subi(delta.mul(alpha));
    }

    @Override
    public void saveState(DataOutputStream os) throws IOException {
        if (centers == null) {
            throw new IllegalStateException("center: no centres to save; call initializeState first");
        }
        byte[] bytes = centers.encode();
        os.writeInt(STATE_VERSION);
        os.writeInt(bytes.length);
        os.write(bytes);
    }

    @Override
    public void loadState(NDManager manager, DataInputStream is) throws IOException {
        int version = is.readInt();
        if (version != STATE_VERSION) {
            throw new IOException("center: unsupported state version " + version);
        }
        int length = is.readInt();
        if (length <= 0 || length > (1 << 30)) {
            throw new IOException("center: corrupt state, centre block of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        is.readFully(bytes);
        ArrayEncoding.checkArray("center: saved centres", bytes);
        NDArray loaded;
        try {
            loaded = manager.decode(bytes);
        } catch (RuntimeException e) {
            throw new IOException("center: corrupt state, centres cannot be decoded (" + e.getMessage() + ")", e);
        }
        if (loaded.getShape().dimension() != 2) {
            loaded.close();
            throw new IOException("center: corrupt state, centres of shape " + loaded.getShape());
        }
        if (centers != null && !centers.getShape().equals(loaded.getShape())) {
            String message = "center: saved centres have shape " + loaded.getShape() + ", this model needs "
                    + centers.getShape();
            loaded.close();
            throw new IOException(message);
        }
        if (centers != null) {
            centers.close();
        }
        centers = loaded;
    }

    private void checkCenters(long numClasses, long featureDim) {
        if (centers == null) {
            throw new IllegalStateException("center: the class centres are not initialised; call "
                    + "initializeState(manager, dataType, numClasses, featureDim) before training");
        }
        Shape s = centers.getShape();
        if (s.get(0) != numClasses || s.get(1) != featureDim) {
            throw new IllegalArgumentException("center: centres are " + s + " but the batch has " + numClasses
                    + " classes and " + featureDim + "-dimensional features");
        }
    }

    /** Builds a {@link CenterLoss}. */
    public static final class Builder {
        private double lambda = DEFAULT_LAMBDA;
        private double alpha = DEFAULT_ALPHA;

        private Builder() {}

        /**
         * Sets the weight of the centre term.
         *
         * @param lambda λ ≥ 0 (default {@value #DEFAULT_LAMBDA})
         * @return this builder
         */
        public Builder optLambda(double lambda) {
            this.lambda = lambda;
            return this;
        }

        /**
         * Sets the centre update rate.
         *
         * @param alpha α in (0, 1] (default {@value #DEFAULT_ALPHA})
         * @return this builder
         */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if a parameter is out of range
         */
        public CenterLoss build() {
            require(lambda >= 0 && Double.isFinite(lambda), "center: lambda must be a finite number >= 0, got " + lambda);
            require(alpha > 0 && alpha <= 1, "center: alpha must be in (0, 1], got " + alpha);
            return new CenterLoss(this);
        }
    }
}
