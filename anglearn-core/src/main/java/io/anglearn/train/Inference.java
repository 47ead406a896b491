package io.anglearn.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.anglearn.data.Batch;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.Normalization;
import io.anglearn.loss.ClassifierHead;
import io.anglearn.loss.HeadKind;
import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.ConfusionMatrix;
import io.anglearn.metrics.EmbeddingAccumulator;
import io.anglearn.metrics.EmbeddingQuality;
import io.anglearn.model.EmbeddingNetwork;
import java.util.Arrays;

/**
 * Runs an {@link EmbeddingNetwork} forward in evaluation mode (BatchNorm uses its running
 * statistics) over datasets or single batches: the shared core of per-epoch evaluation, of
 * {@code anglearn evaluate}, {@code embed} and {@code predict}.
 *
 * <p>Each batch's NDArrays live in a sub-manager closed when the batch is done; only host arrays
 * leave it.
 */
public final class Inference {

    /** Receives one evaluated batch, as host arrays. */
    @FunctionalInterface
    public interface BatchSink {
        /**
         * Accepts one batch.
         *
         * @param features {@code n×d} features, row-major
         * @param scores {@code n×C} head outputs, row-major; empty for a network without a head
         * @param labels {@code n} labels
         * @param dim d
         */
        void accept(float[] features, float[] scores, int[] labels, int dim);
    }

    private final EmbeddingNetwork network;
    private final ParameterStore store;
    private final NDManager manager;
    private final Device device;

    /**
     * Creates the runner.
     *
     * @param network an initialised network
     * @param store the parameter store its forward pass reads
     * @param manager a long-lived manager; each batch opens a sub-manager of it
     * @param device where to compute
     */
    public Inference(EmbeddingNetwork network, ParameterStore store, NDManager manager, Device device) {
        this.network = network;
        this.store = store;
        this.manager = manager;
        this.device = device;
    }

    /** Returns the network. */
    public EmbeddingNetwork network() {
        return network;
    }

    /** Returns C, the number of classes the network was trained on. */
    public int numClasses() {
        return network.head().numClasses();
    }

    /**
     * Returns whether the network has a classifier head: false for the pair losses' networks, which
     * embed but have no class weights and predict no class.
     *
     * @return true with a head
     */
    public boolean classifies() {
        return network.head().kind() != HeadKind.NONE;
    }

    /**
     * Runs every image of a dataset through the network, in order.
     *
     * @param data the images
     * @param norm the training split's normalisation
     * @param batchSize images per forward pass
     * @param sink receives each batch's outputs
     */
    public void forEachBatch(ImageDataset data, Normalization norm, int batchSize, BatchSink sink) {
        BatchLoader loader = BatchLoader.builder().setData(data).setNormalization(norm).optBatchSize(batchSize).build();
        for (Batch b : loader) {
            float[][] out = forward(b.images(), b.size(), b.channels(), b.height(), b.width());
            sink.accept(out[0], out[1], b.labels(), out[0].length / b.size());
        }
    }

    /**
     * Runs one batch of normalised images through the network.
     *
     * @param images {@code n×C×H×W} normalised pixels
     * @param n the number of images
     * @param channels C
     * @param height H
     * @param width W
     * @return {features n×d, head outputs n×C (empty without a head)}, row-major
     */
    public float[][] forward(float[] images, int n, int channels, int height, int width) {
        if (n == 1) {
            // libtorch sends a lone small image's 3x3 convolutions past oneDNN to its NNPACK check,
            // which on processors NNPACK does not know prints a warning per convolution, on every
            // call (21 lines per image for ResNet20, flooding a server's log). A batch of two takes
            // the oneDNN path that batches of any other size take; the copy's outputs are dropped.
            float[] twice = Arrays.copyOf(images, images.length * 2);
            System.arraycopy(images, 0, twice, images.length, images.length);
            float[][] both = forward(twice, 2, channels, height, width);
            return new float[][] {Arrays.copyOf(both[0], both[0].length / 2), Arrays.copyOf(both[1], both[1].length / 2)};
        }
        try (NDManager step = manager.newSubManager(device)) {
            NDArray x = step.create(images, new Shape(n, channels, height, width));
            NDList pred = network.forward(store, new NDList(x), false);
            return new float[][] {pred.get(0).toFloatArray(), pred.get(1).toFloatArray()};
        }
    }

    /**
     * Evaluates on a dataset: accuracy and the data for the angle statistics.
     *
     * @param data the split
     * @param norm the training split's normalisation
     * @param batchSize images per forward pass
     * @return the accumulated measurements
     */
    public EmbeddingAccumulator evaluate(ImageDataset data, Normalization norm, int batchSize) {
        requireImages(data);
        EmbeddingAccumulator[] acc = new EmbeddingAccumulator[1];
        forEachBatch(data, norm, batchSize, (features, scores, labels, dim) -> {
            if (acc[0] == null) {
                acc[0] = new EmbeddingAccumulator(numClasses(), dim);
            }
            acc[0].add(features, scores, labels);
        });
        return acc[0];
    }

    /**
     * Evaluates on a dataset, also counting the confusion matrix.
     *
     * @param data the split
     * @param norm the training split's normalisation
     * @param batchSize images per forward pass
     * @return accuracy, angle statistics and confusion matrix
     * @throws IllegalStateException if the network has no head ({@link #evaluateByRetrieval} applies)
     */
    public Evaluation evaluateFully(ImageDataset data, Normalization norm, int batchSize) {
        requireImages(data);
        if (!classifies()) {
            throw new IllegalStateException("the network has no classifier head (it was trained with a pair loss):"
                    + " it has no errors or confusion matrix to measure; evaluate it by retrieval");
        }
        EmbeddingAccumulator[] acc = new EmbeddingAccumulator[1];
        int c = numClasses();
        int[] predicted = new int[data.size()];
        int[] actual = new int[data.size()];
        int[] at = {0};
        forEachBatch(data, norm, batchSize, (features, scores, labels, dim) -> {
            if (acc[0] == null) {
                acc[0] = new EmbeddingAccumulator(c, dim);
            }
            acc[0].add(features, scores, labels);
            for (int i = 0; i < labels.length; i++) {
                // The highest score wins; the lowest index breaks ties.
                int best = 0;
                for (int j = 1; j < c; j++) {
                    if (scores[i * c + j] > scores[i * c + best]) {
                        best = j;
                    }
                }
                predicted[at[0]] = best;
                actual[at[0]++] = labels[i];
            }
        });
        return new Evaluation(data.name(), acc[0].count(), acc[0].top1Error(), acc[0].top5Error(),
                acc[0].angles(classWeights()), ConfusionMatrix.of(actual, predicted, c));
    }

    /**
     * Evaluates on a dataset whose classes the network does not classify (a network without a head,
     * or classes it was not trained on): C-Inter, and the retrieval and clustering metrics of
     * {@link EmbeddingQuality}; the errors, W-Inter and WC-Intra are NaN.
     *
     * @param data the split; its labels need only say which images share a class
     * @param norm the training split's normalisation
     * @param batchSize images per forward pass
     * @param seed the k-means++ seed
     * @return the evaluation, with {@link Evaluation#quality()} set
     */
    public Evaluation evaluateByRetrieval(ImageDataset data, Normalization norm, int batchSize, long seed) {
        Embeddings e = embed(data, norm, batchSize);
        return new Evaluation(data.name(), e.count(), Double.NaN, Double.NaN,
                AngleStatistics.withoutWeights(e.features(), e.dim(), e.labels()), null,
                EmbeddingQuality.evaluate(e.features(), e.dim(), e.labels(), seed));
    }

    /**
     * Computes every image's embedded feature and scores.
     *
     * @param data the split
     * @param norm the training split's normalisation
     * @param batchSize images per forward pass
     * @return the features, scores (none without a head) and labels, in dataset order
     */
    public Embeddings embed(ImageDataset data, Normalization norm, int batchSize) {
        requireImages(data);
        int n = data.size();
        int c = classifies() ? numClasses() : 0;
        float[][] features = new float[1][];
        float[] scores = new float[n * c];
        int[] labels = new int[n];
        int[] at = new int[2];
        forEachBatch(data, norm, batchSize, (f, s, l, dim) -> {
            if (features[0] == null) {
                at[1] = dim;
                features[0] = new float[Math.multiplyExact(n, dim)];
            }
            int row = at[0];
            System.arraycopy(f, 0, features[0], row * dim, f.length);
            System.arraycopy(s, 0, scores, row * c, s.length);
            System.arraycopy(l, 0, labels, row, l.length);
            at[0] += l.length;
        });
        return new Embeddings(features[0], scores, labels, n, at[1], c);
    }

    /**
     * Returns one weight vector per class, C×d (see {@link ClassifierHead#classWeights()}).
     *
     * @return the weights
     * @throws IllegalStateException if the network has no head
     */
    public double[][] classWeights() {
        return network.head().classWeights();
    }

    private static void requireImages(ImageDataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("cannot evaluate on " + data.name() + ": it has no images");
        }
    }
}
