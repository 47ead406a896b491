package io.anglearn.bench;

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
import io.anglearn.engine.Engines;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.loss.Losses;
import io.anglearn.model.Architectures;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.model.KernelCheck;
import io.anglearn.model.ResNetCifar;
import io.anglearn.train.AdamOptimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Times anglearn's training step (forward → loss → backward → Adam update) and its evaluation
 * forward pass on synthetic input, and prints one JSON line: medians over the measured iterations
 * of each phase and the resulting images per second.
 *
 * <p>The same network, batch, loss and thread count are timed in Python by
 * {@code bench/python/train_step.py}; {@code bench/compare_train_step.py} runs both interleaved.
 */
public final class TrainStepBenchmark {

    private TrainStepBenchmark() {}

    /** What one benchmark run measured (medians, milliseconds per batch). */
    public record Result(String arch, String input, int batch, String loss, double forwardMs, double backwardMs,
            double stepMs, double trainMs, double evalMs, double faultsPerIteration) {

        /** Training images per second. */
        public double trainImagesPerSecond() {
            return batch * 1000.0 / trainMs;
        }

        /** Evaluation images per second. */
        public double evalImagesPerSecond() {
            return batch * 1000.0 / evalMs;
        }

        /** One JSON line. */
        public String toJson() {
            return String.format(Locale.ROOT, "{\"impl\":\"anglearn\",\"arch\":\"%s\",\"input\":\"%s\",\"batch\":%d,"
                    + "\"loss\":\"%s\",\"forward_ms\":%.2f,\"backward_ms\":%.2f,\"step_ms\":%.2f,\"train_ms\":%.2f,"
                    + "\"eval_ms\":%.2f,\"train_images_per_s\":%.1f,\"eval_images_per_s\":%.1f,"
                    + "\"minor_faults_per_iteration\":%.0f}",
                    arch, input, batch, loss, forwardMs, backwardMs, stepMs, trainMs, evalMs,
                    trainImagesPerSecond(), evalImagesPerSecond(), faultsPerIteration);
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param arch the backbone, e.g. resnet20
     * @param inputShape one image, C×H×W
     * @param batch the batch size
     * @param lossName the loss, e.g. arc
     * @param warmup untimed iterations first
     * @param iterations timed iterations
     * @return the medians
     */
    public static Result run(String arch, Shape inputShape, int batch, String lossName, int warmup, int iterations) {
        return run(arch, inputShape, batch, lossName, warmup, iterations, true);
    }

    /**
     * Runs the benchmark with a chosen memory layout.
     *
     * @param arch the backbone, e.g. resnet20
     * @param inputShape one image, C×H×W
     * @param batch the batch size
     * @param lossName the loss, e.g. arc
     * @param warmup untimed iterations first
     * @param iterations timed iterations
     * @param channelsLast whether the network runs channels-last (anglearn's default) or NCHW
     * @return the medians
     */
    public static Result run(String arch, Shape inputShape, int batch, String lossName, int warmup, int iterations,
            boolean channelsLast) {
        Engine engine = Engines.pytorch();
        engine.setRandomSeed(1);
        EmbeddingLoss loss = Losses.create(lossName, Map.of());
        EmbeddingNetwork net = new EmbeddingNetwork(Architectures.backbone(arch, channelsLast), 0, loss.newHead(10));
        try (NDManager manager = engine.newBaseManager()) {
            net.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(inputShape));
            // As training does: a layout this machine's kernels compute wrongly is not measured.
            if (net.backbone() instanceof ResNetCifar resNet) {
                KernelCheck.verify(resNet, inputShape);
            }
            loss.initializeState(manager, DataType.FLOAT32, 10,
                    net.getOutputShapes(new Shape[] {new Shape(1).addAll(inputShape)})[0].get(1));
            ParameterStore store = new ParameterStore(manager, false);
            List<Parameter> params = new ArrayList<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    params.add(p.getValue());
                }
            }
            AdamOptimizer adam = new AdamOptimizer(5e-4);
            adam.initialize(params);
            Random r = new Random(7);
            float[] images = new float[batch * (int) inputShape.size()];
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) r.nextGaussian();
            }
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = r.nextInt(10);
            }
            Shape batchShape = new Shape(batch).addAll(inputShape);
            double[] fwd = new double[iterations];
            double[] bwd = new double[iterations];
            double[] upd = new double[iterations];
            double[] total = new double[iterations];
            double[] eval = new double[iterations];
            long faultsAtStart = 0;
            for (int it = -warmup; it < iterations; it++) {
                if (it == 0) {
                    faultsAtStart = minorFaults();
                }
                long t0 = System.nanoTime();
                long t1;
                long t2;
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = step.create(images, batchShape);
                    NDArray y = step.create(labels);
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDList out = net.forward(store, new NDList(x), true);
                        NDArray l = loss.evaluate(new NDList(y), out);
                        l.getFloat(); // waits for the forward pass
                        t1 = System.nanoTime();
                        gc.backward(l);
                        t2 = System.nanoTime();
                    }
                    adam.beginStep(1e-3, 0.9);
                    for (int i = 0; i < params.size(); i++) {
                        NDArray w = params.get(i).getArray();
                        try (NDArray g = w.getGradient()) {
                            adam.update(i, w, g);
                        }
                    }
                }
                long t3 = System.nanoTime();
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = step.create(images, batchShape);
                    NDList out = net.forward(store, new NDList(x), false);
                    out.get(1).toFloatArray();
                }
                long t4 = System.nanoTime();
                if (it >= 0) {
                    fwd[it] = (t1 - t0) / 1e6;
                    bwd[it] = (t2 - t1) / 1e6;
                    upd[it] = (t3 - t2) / 1e6;
                    total[it] = (t3 - t0) / 1e6;
                    eval[it] = (t4 - t3) / 1e6;
                }
            }
            double faults = faultsAtStart < 0 ? -1 : (minorFaults() - faultsAtStart) / (double) iterations;
            return new Result(arch, inputShape.get(0) + "x" + inputShape.get(1) + "x" + inputShape.get(2), batch,
                    lossName, median(fwd), median(bwd), median(upd), median(total), median(eval), faults);
        }
    }

    /**
     * Minor page faults of this process so far (Linux), or -1 where unknown. A step that reuses the
     * memory the previous step freed causes almost none; one that writes into fresh pages causes one
     * per 4 KiB page.
     */
    static long minorFaults() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /**
     * Command-line entry: {@code ARCH CxHxW BATCH LOSS WARMUP ITERATIONS}, e.g.
     * {@code resnet20 1x28x28 128 arc 5 20}.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        Engines.configureDefaults();
        String[] dims = args[1].split("x");
        Shape input = new Shape(Long.parseLong(dims[0]), Long.parseLong(dims[1]), Long.parseLong(dims[2]));
        System.out.println(run(args[0], input, Integer.parseInt(args[2]), args[3], Integer.parseInt(args[4]),
                Integer.parseInt(args[5])).toJson());
    }
}
