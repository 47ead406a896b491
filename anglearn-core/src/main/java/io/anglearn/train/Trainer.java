package io.anglearn.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
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
import io.anglearn.engine.Devices;
import io.anglearn.engine.Engines;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.metrics.EmbeddingAccumulator;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.model.KernelCheck;
import io.anglearn.model.ResNetCifar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains an {@link EmbeddingNetwork} with an {@link EmbeddingLoss}, one step at a time, and
 * evaluates it.
 *
 * <p>Each training and evaluation step creates its NDArrays in a sub-manager closed when the
 * step ends, so nothing a step makes outlives it. Parameters and optimiser state live on the
 * trainer's own manager. All randomness is a function of the seed: initialisation draws from the
 * engine seeded once here, and the data order from the loader's seed and the epoch number. So a
 * checkpoint needs only the arrays and the position (epoch, batch, step) to resume exactly.
 *
 * <p>With several devices ({@link Builder#optDevices}) each batch is split into nearly equal
 * shares, one per device; each share's loss is weighted by its size so the summed gradient is the
 * whole batch's, and a {@link MultiDeviceParameterServer} applies it. This path follows DJL's own
 * multi-device training; it has been exercised with copies on one CPU, not on several GPUs. Which
 * of the two steps runs is chosen once, when the trainer is built; the rest of a step (the check
 * for non-finite values, the totals, the listeners) is common to both.
 *
 * <p>The backbone can be frozen for the first epochs ({@link Builder#optFreezeBackboneEpochs}):
 * during them the network runs its backbone as in evaluation and cuts the gradient after it
 * ({@link EmbeddingNetwork#freezeBackbone}), and the optimiser leaves the backbone's parameters
 * out of every step, so their values, BatchNorm statistics and optimiser state stay as they were.
 * Whether an epoch is frozen depends on its number only, so a resumed run freezes exactly the
 * epochs the uninterrupted one did.
 *
 * <p>The trainer measures its own overhead: the time spent in forward, backward and the update
 * ({@link EpochProgress#modelSeconds()}) against the epoch's wall time; the rest is data loading,
 * copying batches in, metrics and listeners.
 */
public final class Trainer implements AutoCloseable {

    private final EmbeddingNetwork network;
    private final EmbeddingLoss loss;
    private final Device[] devices;
    private final NDManager manager;
    private final ParameterStore store;
    private final Optimizer optimizer;
    private final Schedule schedule;
    private final List<Parameter> trainable = new ArrayList<>();
    private final List<String> parameterNames = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private final Inference inference;
    private final NonFinitePolicy nonFinitePolicy;
    private final int freezeBackboneEpochs;
    /** Whether each trainable parameter, in optimiser order, belongs to the backbone. */
    private final boolean[] inBackbone;
    /** Forward, backward and update of one batch: on one device or split across several, chosen once. */
    private final DeviceStep deviceStep;
    private boolean frozen;
    private volatile boolean stopRequested;
    private int consecutiveSkips;

    /** With {@link NonFinitePolicy#SKIP}, this many skipped batches in a row stop the run anyway. */
    public static final int MAX_CONSECUTIVE_SKIPS = 20;

    private Trainer(Builder b) {
        this.network = b.network;
        this.loss = b.loss;
        this.devices = b.devices.clone();
        this.schedule = b.schedule;
        this.optimizer = b.optimizer;
        this.nonFinitePolicy = b.nonFinitePolicy;
        this.freezeBackboneEpochs = b.freezeBackboneEpochs;
        Engine engine = Engines.pytorch();
        // Seeds PyTorch's generator, which the parameter initialisers draw from: the only randomness
        // on the native side.
        engine.setRandomSeed((int) b.seed);
        manager = engine.newBaseManager(devices[0]);
        Shape batchShape = new Shape(1).addAll(b.inputShape);
        network.initialize(manager, DataType.FLOAT32, batchShape);
        if (network.backbone() instanceof ResNetCifar resNet && !devices[0].isGpu()) {
            KernelCheck.verify(resNet, b.inputShape);
        }
        loss.initializeState(manager, DataType.FLOAT32, network.head().numClasses(),
                network.getOutputShapes(new Shape[] {batchShape})[0].get(1));
        Map<String, Integer> indexById = new HashMap<>();
        for (Pair<String, Parameter> p : network.getParameters()) {
            parameterNames.add(p.getKey());
            parameters.add(p.getValue());
            if (p.getValue().requiresGradient()) {
                indexById.put(p.getValue().getId(), trainable.size());
                trainable.add(p.getValue());
            }
        }
        java.util.Set<String> backboneIds = new java.util.HashSet<>();
        network.backbone().getParameters().forEach(p -> backboneIds.add(p.getValue().getId()));
        inBackbone = new boolean[trainable.size()];
        for (int i = 0; i < trainable.size(); i++) {
            inBackbone[i] = backboneIds.contains(trainable.get(i).getId());
        }
        optimizer.initialize(Collections.unmodifiableList(trainable));
        store = new ParameterStore(manager, false);
        if (devices.length > 1) {
            store.setParameterServer(new MultiDeviceParameterServer(optimizer, indexById), devices);
        }
        deviceStep = devices.length > 1 ? new SplitStep() : new SingleDeviceStep();
        inference = new Inference(network, store, manager, devices[0]);
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the network. */
    public EmbeddingNetwork network() {
        return network;
    }

    /** Returns the loss. */
    public EmbeddingLoss loss() {
        return loss;
    }

    /** Returns the optimiser. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Returns the schedule. */
    public Schedule schedule() {
        return schedule;
    }

    /** Returns the devices, the first holding the parameters. */
    public Device[] devices() {
        return devices.clone();
    }

    /** Returns the evaluation runner over this trainer's network (on the first device). */
    public Inference inference() {
        return inference;
    }

    /**
     * Returns whether the backbone is frozen in the epoch being (or last) trained.
     *
     * @return true during the first {@link Builder#optFreezeBackboneEpochs} epochs
     */
    public boolean backboneFrozen() {
        return frozen;
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

    /** Returns the names of all the network's parameters (BatchNorm statistics included), in order. */
    public List<String> parameterNames() {
        return List.copyOf(parameterNames);
    }

    /** Returns all the network's parameter arrays (not copies), in {@link #parameterNames()} order. */
    public NDList parameterArrays() {
        NDList out = new NDList();
        for (Parameter p : parameters) {
            out.add(p.getArray());
        }
        return out;
    }

    /**
     * Copies saved parameter values into the network, in place.
     *
     * @param names the saved names, which must equal {@link #parameterNames()}
     * @param arrays the saved values, in the same order
     */
    public void restoreParameters(List<String> names, NDList arrays) {
        if (!names.equals(parameterNames) || arrays.size() != parameters.size()) {
            throw new IllegalArgumentException("saved parameters do not match this network: saved "
                    + names.size() + " (" + firstDifference(names, parameterNames) + "), the network has "
                    + parameterNames.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            Optimizer.copyInto(arrays.get(i), parameters.get(i).getArray(), "parameter " + parameterNames.get(i));
        }
        // The copies arrive in the default layout; convolutions are fastest with the activations' own.
        if (network.backbone() instanceof ResNetCifar resNet) {
            resNet.relayoutWeights();
        }
    }

    /**
     * Returns the loss's own state (e.g. center loss's centres) as the loss serialises it.
     *
     * @return the bytes; empty for a loss without state
     */
    public byte[] lossState() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream os = new java.io.DataOutputStream(bytes)) {
            loss.saveState(os);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Restores the loss's own state from {@link #lossState()}'s bytes.
     *
     * @param state the bytes
     * @throws java.io.IOException if the loss cannot read them
     */
    public void restoreLossState(byte[] state) throws java.io.IOException {
        if (state.length == 0) {
            return;
        }
        try (java.io.DataInputStream is = new java.io.DataInputStream(new java.io.ByteArrayInputStream(state))) {
            loss.loadState(manager, is);
        }
    }

    private static String firstDifference(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return "first difference at " + i + ": '" + a.get(i) + "' vs '" + b.get(i) + "'";
            }
        }
        return "the lists differ in length";
    }

    /**
     * Asks {@link #trainEpoch} to return after the step in progress (e.g. from a listener); the
     * request is cleared when {@link #trainEpoch} returns.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Trains one epoch, or the rest of one, or until {@link #requestStop()}.
     *
     * @param loader the training batches
     * @param progress where the epoch stands; updated after every step
     * @param listener progress callbacks
     * @return {@code progress}, at the end of the epoch
     */
    public EpochProgress trainEpoch(BatchLoader loader, EpochProgress progress, TrainingListener listener) {
        int epoch = progress.epoch();
        int total = loader.batchesPerEpoch();
        frozen = epoch <= freezeBackboneEpochs;
        network.freezeBackbone(frozen);
        listener.onEpochStart(epoch, total);
        long mark = System.nanoTime();
        // Closing the iterator cancels batches already scheduled when a step fails or a stop is requested.
        try (BatchLoader.BatchIterator it = loader.epoch(epoch - 1, progress.nextBatch())) {
            while (!stopRequested && it.hasNext()) {
                Batch b = it.next();
                long step = optimizer.steps();
                StepPlan plan = new StepPlan(epoch, total, schedule.learningRate(step), schedule.momentum(step));
                try (NDManager scope = manager.newSubManager(devices[0])) {
                    double modelSeconds = trainStep(scope, b, plan, progress, listener);
                    long now = System.nanoTime();
                    progress.addTime((now - mark) / 1e9, modelSeconds);
                    mark = now;
                }
            }
        }
        stopRequested = false;
        return progress;
    }

    /**
     * Where a step trains and at what rates.
     *
     * @param epoch the epoch, from 1
     * @param batchesPerEpoch the batches of a full epoch
     * @param learningRate the schedule's learning rate at the step
     * @param momentum the schedule's momentum at the step
     */
    private record StepPlan(int epoch, int batchesPerEpoch, double learningRate, double momentum) {}

    /**
     * Trains one batch in the step's scope: forward and backward, the non-finite check, the update,
     * the totals and the listeners. A batch found non-finite is skipped or stops the run (see
     * {@link #nonFiniteStep}).
     *
     * @return the seconds spent in forward, backward and update
     */
    private double trainStep(NDManager scope, Batch b, StepPlan plan, EpochProgress progress, TrainingListener listener) {
        NDArray y = scope.create(b.labels());
        NDArray x = deviceStep.input(scope, b);
        long modelStart = System.nanoTime();
        NDList pred = deviceStep.forwardBackward(scope, b, x, y);
        float stepLoss = pred.get(2).getFloat();
        // Caught before the update, so a stopped or skipped step leaves the weights as they were.
        if ((!Float.isFinite(stepLoss) || !deviceStep.gradientsFinite(scope))
                && nonFiniteStep(new FailedStep(scope, b, x, y, pred, plan), progress, listener)) {
            return (System.nanoTime() - modelStart) / 1e9;
        }
        consecutiveSkips = 0;
        optimizer.beginStep(plan.learningRate(), plan.momentum());
        deviceStep.update();
        // Non-trainable loss state (center loss's centres, ...) follows the step.
        loss.afterStep(new NDList(pred.get(0).stopGradient(), pred.get(1).stopGradient()), y);
        double modelSeconds = (System.nanoTime() - modelStart) / 1e9;
        // A network without a head (a pair loss) classifies nothing: its accuracy is not counted.
        long correct = headless() ? 0 : pred.get(1).argMax(1).toType(DataType.INT32, false).eq(y).sum().getLong();
        progress.addStep(stepLoss, correct, b.size());
        listener.onBatch(plan.epoch(), progress.nextBatch(), stepLoss);
        listener.onStep(new StepContext(this,
                new StepContext.Position(plan.epoch(), progress.nextBatch(), plan.batchesPerEpoch(), optimizer.steps()),
                stepLoss, plan.learningRate(), plan.momentum(), new StepContext.Outputs(pred.get(0), pred.get(1), y),
                progress));
        return modelSeconds;
    }

    /**
     * A step whose loss or gradients were found non-finite, as {@link #nonFiniteStep} examines it.
     *
     * @param scope the step's scope
     * @param batch the batch
     * @param images the batch's images on the first device, or null where the step copied them in share by share
     * @param labels the batch's labels
     * @param outputs [features, head output, loss]
     * @param plan the step's epoch and rates
     */
    private record FailedStep(NDManager scope, Batch batch, NDArray images, NDArray labels, NDList outputs,
            StepPlan plan) {}

    /**
     * Handles a step whose loss or gradients were found non-finite: stops with a diagnosis, or
     * skips the batch. Returns false if a closer look finds everything finite after all (a sum of
     * large finite gradients can overflow), so the step proceeds.
     */
    private boolean nonFiniteStep(FailedStep s, EpochProgress progress, TrainingListener listener) {
        NDArray input = s.images() != null ? s.images() : images(s.scope(), s.batch());
        List<NDArray> params = new ArrayList<>();
        List<NDArray> grads = new ArrayList<>();
        for (Parameter p : parameters) {
            NDArray w = p.getArray();
            params.add(w);
            if (p.requiresGradient() && deviceStep.gradientsReadable()) {
                NDArray g = w.getGradient();
                g.attach(s.scope());
                grads.add(g);
            } else {
                grads.add(null);
            }
        }
        NDList pred = s.outputs();
        NonFiniteDiagnosis d = NonFiniteDiagnosis.examine(input, s.labels(), pred, loss, parameterNames, params, grads);
        if (Float.isFinite(pred.get(2).getFloat()) && !d.anyNonFinite()) {
            return false;
        }
        int epoch = s.plan().epoch();
        int batch = progress.nextBatch() + 1;
        long step = optimizer.steps() + 1;
        String where = String.format(java.util.Locale.ROOT, "epoch %d, batch %d (step %d, loss '%s', learning rate %.4g)",
                epoch, batch, step, loss.getName(), s.plan().learningRate());
        boolean skip = nonFinitePolicy == NonFinitePolicy.SKIP && d.parametersFinite()
                && consecutiveSkips + 1 < MAX_CONSECUTIVE_SKIPS;
        if (!skip) {
            String why = nonFinitePolicy == NonFinitePolicy.STOP
                    ? " Nothing of this step was applied. Lower --lr or check the data; --on-non-finite skip skips such batches."
                    : !d.parametersFinite()
                            ? " Skipping cannot help: the model itself is no longer finite."
                            : " " + MAX_CONSECUTIVE_SKIPS + " batches in a row were non-finite: skipping cannot help.";
            throw new NonFiniteValueException(epoch, batch, step,
                    "non-finite value at " + where + ": " + d.summary() + "." + why);
        }
        // The gradients already hold the bad values and PyTorch accumulates into them: clear them.
        for (int i = 0; i < trainable.size(); i++) {
            try (NDArray g = trainable.get(i).getArray().getGradient(); NDArray zero = g.zerosLike()) {
                g.set(zero.toByteBuffer(false));
            }
        }
        consecutiveSkips++;
        progress.addSkipped();
        listener.onBatchSkipped(epoch, batch, "skipped " + where + ": " + d.summary());
        return true;
    }

    /** Copies a batch's images into {@code scope}, as one {@code N×C×H×W} array. */
    private static NDArray images(NDManager scope, Batch b) {
        return scope.create(b.images(), new Shape(b.size(), b.channels(), b.height(), b.width()));
    }

    /**
     * How a step computes the loss and gradients and applies the update: {@link SingleDeviceStep}
     * or {@link SplitStep}, chosen once when the trainer is built. The rest of a step (the
     * non-finite check, the totals, the listeners) is the same for both.
     */
    private interface DeviceStep {

        /** Returns the batch's images on the first device, or null where the step copies them in itself. */
        NDArray input(NDManager scope, Batch b);

        /**
         * Runs forward and backward, leaving the gradients on the parameters.
         *
         * @param x the batch's images from {@link #input}, or null
         * @param y the batch's labels, on the first device
         * @return [features, head output, loss], on the first device
         */
        NDList forwardBackward(NDManager scope, Batch b, NDArray x, NDArray y);

        /** Returns false if a gradient is found non-finite; a step that cannot read them checks nothing. */
        boolean gradientsFinite(NDManager scope);

        /** Returns whether each parameter's gradient can be read for a diagnosis. */
        boolean gradientsReadable();

        /** Applies the update, after {@link Optimizer#beginStep}. */
        void update();
    }

    /** The whole batch on one device; the optimiser updates each trainable parameter not frozen. */
    private final class SingleDeviceStep implements DeviceStep {

        @Override
        public NDArray input(NDManager scope, Batch b) {
            return images(scope, b);
        }

        @Override
        public NDList forwardBackward(NDManager scope, Batch b, NDArray x, NDArray y) {
            try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                NDList pred = network.forward(store, new NDList(x), true);
                NDArray l = loss.evaluate(new NDList(y), pred);
                gc.backward(l);
                return new NDList(pred.get(0), pred.get(1), l);
            }
        }

        /** Cheap check of every gradient at once: the sum of their sums is finite unless one of them is not. */
        @Override
        public boolean gradientsFinite(NDManager scope) {
            NDList sums = new NDList(trainable.size());
            for (int i = 0; i < trainable.size(); i++) {
                if (frozen && inBackbone[i]) {
                    continue;
                }
                try (NDArray g = trainable.get(i).getArray().getGradient()) {
                    NDArray s = g.sum();
                    s.attach(scope);
                    sums.add(s);
                }
            }
            NDArray total = NDArrays.stack(sums).sum();
            return Float.isFinite(total.getFloat());
        }

        @Override
        public boolean gradientsReadable() {
            return true;
        }

        @Override
        public void update() {
            for (int i = 0; i < trainable.size(); i++) {
                if (frozen && inBackbone[i]) {
                    continue;
                }
                NDArray w = trainable.get(i).getArray();
                try (NDArray g = w.getGradient()) {
                    optimizer.update(i, w, g);
                }
            }
        }
    }

    /**
     * The multi-device step: one share of the batch per device, each share's loss weighted by its
     * size, gradients summed and applied by the {@link MultiDeviceParameterServer}. Before the update
     * only the loss is checked, not the gradients.
     */
    private final class SplitStep implements DeviceStep {

        @Override
        public NDArray input(NDManager scope, Batch b) {
            return null;
        }

        @Override
        public NDList forwardBackward(NDManager scope, Batch b, NDArray x, NDArray y) {
            int[][] shares = shares(b.size(), devices.length);
            int img = b.channels() * b.height() * b.width();
            NDList features = new NDList();
            NDList heads = new NDList();
            float lossSum = 0;
            try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                for (int k = 0; k < shares.length; k++) {
                    int from = shares[k][0];
                    int to = shares[k][1];
                    NDManager dm = scope.newSubManager(devices[k]);
                    NDArray xk = dm.create(Arrays.copyOfRange(b.images(), from * img, to * img),
                            new Shape(to - from, b.channels(), b.height(), b.width()));
                    NDArray yk = dm.create(Arrays.copyOfRange(b.labels(), from, to));
                    NDList pred = network.forward(store, new NDList(xk), true);
                    NDArray l = loss.evaluate(new NDList(yk), pred).mul((float) (to - from) / b.size());
                    gc.backward(l);
                    lossSum += l.getFloat();
                    features.add(pred.get(0).toDevice(devices[0], false));
                    heads.add(pred.get(1).toDevice(devices[0], false));
                }
            }
            return new NDList(NDArrays.concat(features), NDArrays.concat(heads), scope.create(lossSum));
        }

        @Override
        public boolean gradientsFinite(NDManager scope) {
            return true;
        }

        @Override
        public boolean gradientsReadable() {
            return false;
        }

        @Override
        public void update() {
            store.updateAllParameters();
        }
    }

    /**
     * Splits {@code n} samples into at most {@code parts} contiguous shares whose sizes differ by at
     * most one; never an empty share.
     *
     * @param n the batch size
     * @param parts the number of devices
     * @return {from, to} per share
     */
    static int[][] shares(int n, int parts) {
        int k = Math.min(n, parts);
        int[][] out = new int[k][2];
        int from = 0;
        for (int i = 0; i < k; i++) {
            int size = n / k + (i < n % k ? 1 : 0);
            out[i][0] = from;
            out[i][1] = from + size;
            from += size;
        }
        return out;
    }

    /**
     * Evaluates on a dataset: accuracy and the data for the angle statistics.
     *
     * @param data the split to evaluate
     * @param norm the training split's normalisation
     * @param batchSize evaluation batch size
     * @return the accumulated measurements
     */
    public EmbeddingAccumulator evaluate(ImageDataset data, Normalization norm, int batchSize) {
        return inference.evaluate(data, norm, batchSize);
    }

    /**
     * Returns the class weights W as a C×d array of doubles.
     *
     * @return the weights
     * @throws IllegalStateException if the network has no head ({@link #headless()})
     */
    public double[][] classWeights() {
        return inference.classWeights();
    }

    /**
     * Returns whether the network has no classifier head ({@link io.anglearn.loss.HeadKind#NONE},
     * the pair losses): it embeds, but has no class weights and predicts no class.
     *
     * @return true without a head
     */
    public boolean headless() {
        return network.head().kind() == io.anglearn.loss.HeadKind.NONE;
    }

    /**
     * Returns how many native arrays the trainer's manager holds, its sub-managers included: the
     * parameters, their gradients, the optimiser's and the loss's state. Between steps the count
     * must not grow, since every step's arrays live in a scope closed when the step ends.
     */
    int managedArrayCount() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Builds a {@link Trainer}; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private EmbeddingNetwork network;
        private EmbeddingLoss loss;
        private Shape inputShape;
        private Schedule schedule;
        private Optimizer optimizer;
        private Device[] devices = {Device.cpu()};
        private long seed = 42;
        private NonFinitePolicy nonFinitePolicy = NonFinitePolicy.STOP;
        private int freezeBackboneEpochs;

        private Builder() {}

        /** Sets the network (required); its head kind must match the loss's. */
        public Builder setNetwork(EmbeddingNetwork network) {
            this.network = network;
            return this;
        }

        /** Sets the loss (required). */
        public Builder setLoss(EmbeddingLoss loss) {
            this.loss = loss;
            return this;
        }

        /** Sets one image's shape, {@code C×H×W} (required). */
        public Builder setInputShape(Shape inputShape) {
            this.inputShape = inputShape;
            return this;
        }

        /** Sets the learning-rate and momentum schedule (required). */
        public Builder setSchedule(Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Sets the optimiser (default: Adam with the paper's weight decay 5e-4). */
        public Builder optOptimizer(Optimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /** Sets the devices (default: the CPU); with several, batches are split across them. */
        public Builder optDevices(Device... devices) {
            this.devices = devices.clone();
            return this;
        }

        /** Sets the seed of parameter initialisation (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Sets what a NaN or infinite loss or gradient does (default {@link NonFinitePolicy#STOP}). */
        public Builder optNonFinitePolicy(NonFinitePolicy policy) {
            this.nonFinitePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets how many epochs, from the first, train with the backbone frozen: only the projection
         * and the head learn (default 0: the whole network trains from the start).
         */
        public Builder optFreezeBackboneEpochs(int epochs) {
            this.freezeBackboneEpochs = epochs;
            return this;
        }

        /** Validates and builds; initialises the network's parameters. */
        public Trainer build() {
            Objects.requireNonNull(network, "Trainer needs setNetwork");
            Objects.requireNonNull(loss, "Trainer needs setLoss");
            Objects.requireNonNull(inputShape, "Trainer needs setInputShape");
            Objects.requireNonNull(schedule, "Trainer needs setSchedule");
            if (inputShape.dimension() != 3) {
                throw new IllegalArgumentException("input shape must be C×H×W, got " + inputShape);
            }
            if (network.head().kind() != loss.headKind() || network.head().subCenters() != loss.subCenters()) {
                throw new IllegalArgumentException("loss '" + loss.getName() + "' needs a " + loss.headKind()
                        + " head with " + loss.subCenters() + " row(s) per class, the network has a "
                        + network.head().kind() + " head with " + network.head().subCenters());
            }
            if (devices.length == 0) {
                throw new IllegalArgumentException("Trainer needs at least one device");
            }
            if (freezeBackboneEpochs < 0) {
                throw new IllegalArgumentException("--freeze-backbone-epochs must be >= 0, got " + freezeBackboneEpochs);
            }
            if (devices.length > 1 && network.backbone() instanceof io.anglearn.model.TorchScriptBackbone) {
                throw new IllegalArgumentException("a TorchScript backbone runs its module on one device, with its own"
                        + " parameters; train it on one device");
            }
            if (devices.length > 1 && freezeBackboneEpochs > 0) {
                throw new IllegalArgumentException("--freeze-backbone-epochs trains on one device only (the"
                        + " multi-device update does not leave parameters out of a step)");
            }
            if (devices.length > 1 && loss instanceof io.anglearn.loss.PairLoss) {
                throw new IllegalArgumentException("loss '" + loss.getName() + "' compares every sample of a batch"
                        + " with every other; splitting the batch across " + devices.length + " devices would drop"
                        + " the pairs between the shares: train it on one device");
            }
            for (int i = 0; i < devices.length; i++) {
                for (int j = 0; j < i; j++) {
                    if (devices[i].equals(devices[j])) {
                        throw new IllegalArgumentException("device " + Devices.name(devices[i]) + " is listed twice");
                    }
                }
            }
            if (optimizer == null) {
                optimizer = new AdamOptimizer(AdamOptimizer.DEFAULT_WEIGHT_DECAY);
            }
            return new Trainer(this);
        }
    }
}
