package io.anglearn.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.anglearn.data.Batch;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.Normalization;
import io.anglearn.engine.Engines;
import io.anglearn.loss.ClassifierHead;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.metrics.EmbeddingAccumulator;
import io.anglearn.model.EmbeddingNetwork;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Trains an {@link EmbeddingNetwork} with an {@link EmbeddingLoss} and evaluates it after every
 * epoch.
 *
 * <p>Each training and evaluation step creates its NDArrays in a sub-manager closed when the
 * step ends, so nothing a step makes outlives it. Parameters and optimiser state live on the
 * manager given to the constructor.
 */
public final class Trainer implements AutoCloseable {

    private final EmbeddingNetwork network;
    private final EmbeddingLoss loss;
    private final NDManager manager;
    private final Device device;
    private final ParameterStore store;
    private final AdamOptimizer optimizer;
    private final Schedule schedule;
    private final List<Parameter> trainable = new ArrayList<>();

    /**
     * Creates a trainer and initialises the network's parameters.
     *
     * @param network the network; its head kind must match the loss
     * @param loss the loss
     * @param inputShape one image's shape, {@code C×H×W}
     * @param device where to train
     * @param weightDecay Adam's L2 weight decay
     * @param schedule the learning-rate schedule
     * @param seed the seed for parameter initialisation
     */
    public Trainer(EmbeddingNetwork network, EmbeddingLoss loss, Shape inputShape, Device device,
            double weightDecay, Schedule schedule, long seed) {
        if (network.head().kind() != loss.headKind() || network.head().subCenters() != loss.subCenters()) {
            throw new IllegalArgumentException("loss '" + loss.getName() + "' needs a " + loss.headKind()
                    + " head with " + loss.subCenters() + " row(s) per class, the network has a "
                    + network.head().kind() + " head with " + network.head().subCenters());
        }
        Engine engine = Engines.pytorch();
        engine.setRandomSeed((int) seed);
        this.network = network;
        this.loss = loss;
        this.device = device;
        this.schedule = schedule;
        manager = engine.newBaseManager(device);
        Shape batchShape = new Shape(1).addAll(inputShape);
        network.initialize(manager, DataType.FLOAT32, batchShape);
        loss.initializeState(manager, DataType.FLOAT32, network.head().numClasses(),
                network.getOutputShapes(new Shape[] {batchShape})[0].get(1));
        store = new ParameterStore(manager, false);
        for (Pair<String, Parameter> p : network.getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable.add(p.getValue());
            }
        }
        optimizer = new AdamOptimizer(trainable, weightDecay);
    }

    /** Returns the network. */
    public EmbeddingNetwork network() {
        return network;
    }

    /** Returns the number of trainable parameter values. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : trainable) {
            n += p.getArray().size();
        }
        return n;
    }

    /** Returns the optimiser steps taken so far. */
    public long steps() {
        return optimizer.steps();
    }

    /**
     * Trains one epoch.
     *
     * @param loader the training batches
     * @param epoch the epoch, from 1
     * @param listener progress callbacks
     * @return {mean loss, accuracy %, images, seconds}
     */
    public double[] trainEpoch(BatchLoader loader, int epoch, TrainingListener listener) {
        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        long images = 0;
        int batches = 0;
        listener.onEpochStart(epoch, loader.batchesPerEpoch());
        Iterator<Batch> it = loader.epoch(epoch - 1, 0);
        while (it.hasNext()) {
            Batch b = it.next();
            double lr = schedule.learningRate(optimizer.steps());
            double beta1 = schedule.momentum(optimizer.steps());
            float stepLoss;
            try (NDManager step = manager.newSubManager(device)) {
                NDArray x = step.create(b.images(), new Shape(b.size(), b.channels(), b.height(), b.width()));
                NDArray y = step.create(b.labels());
                NDArray out;
                NDList pred;
                try (GradientCollector gc = Engine.getEngine(Engines.PYTORCH).newGradientCollector()) {
                    pred = network.forward(store, new NDList(x), true);
                    NDArray l = loss.evaluate(new NDList(y), pred);
                    gc.backward(l);
                    stepLoss = l.getFloat();
                    out = pred.get(1);
                }
                if (!Float.isFinite(stepLoss)) {
                    throw new IllegalStateException("loss became " + stepLoss + " at epoch " + epoch + ", batch "
                            + (batches + 1) + " (loss '" + loss.getName() + "', learning rate " + lr
                            + "); lower --lr or check the data");
                }
                optimizer.step(lr, beta1);
                // Non-trainable loss state (center loss's centres, ...) follows the step.
                loss.afterStep(new NDList(pred.get(0).stopGradient(), out.stopGradient()), y);
                correct += out.argMax(1).toType(DataType.INT32, false).eq(y).sum().getLong();
            }
            lossSum += stepLoss;
            images += b.size();
            batches++;
            listener.onBatch(epoch, batches, stepLoss);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new double[] {lossSum / Math.max(1, batches), 100.0 * correct / Math.max(1, images), images, seconds};
    }

    /**
     * Evaluates on a dataset: accuracy and angle statistics.
     *
     * @param data the split to evaluate
     * @param norm the training split's normalisation
     * @param batchSize evaluation batch size
     * @return the accumulated measurements
     */
    public EmbeddingAccumulator evaluate(ImageDataset data, Normalization norm, int batchSize) {
        BatchLoader loader = BatchLoader.builder().setData(data).setNormalization(norm).optBatchSize(batchSize).build();
        EmbeddingAccumulator acc = null;
        for (Batch b : loader) {
            try (NDManager step = manager.newSubManager(device)) {
                NDArray x = step.create(b.images(), new Shape(b.size(), b.channels(), b.height(), b.width()));
                NDList pred = network.forward(store, new NDList(x), false);
                float[] features = pred.get(0).toFloatArray();
                float[] scores = pred.get(1).toFloatArray();
                if (acc == null) {
                    acc = new EmbeddingAccumulator(data.numClasses(), (int) pred.get(0).getShape().get(1));
                }
                acc.add(features, scores, b.labels());
            }
        }
        if (acc == null) {
            throw new IllegalArgumentException("cannot evaluate on " + data.name() + ": it has no images");
        }
        return acc;
    }

    /** Returns one weight vector per class, C×d (see {@link ClassifierHead#classWeights()}). */
    public double[][] classWeights() {
        return network.head().classWeights();
    }

    @Override
    public void close() {
        manager.close();
    }
}
