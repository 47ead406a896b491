package io.anglearn.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.anglearn.data.Batch;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.ImageDataset;
import io.anglearn.export.OnnxExporter;
import io.anglearn.run.TrainedRun;
import io.anglearn.util.CpuInfo;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures a trained run's network exported to ONNX and run by ONNX Runtime against anglearn's own
 * forward pass, on the same images and machine: embedding throughput over the first N test images
 * (batches of 256, as {@code anglearn embed}) and the latency of one image (each call alone, the
 * median of L calls after 20 warm-up calls). Each of R rounds runs the four measurements, anglearn
 * and ONNX Runtime alternating which goes first, so a load that comes and goes touches both; the
 * medians of the rounds are printed with their ratio.
 *
 * <p>ONNX Runtime runs with all graph optimisations and, when {@code -Dai.djl.pytorch.num_threads=T}
 * is given, the same T intra-op threads as anglearn's PyTorch (otherwise each uses as many as there
 * are cores).
 *
 * <p>Usage: {@code java -cp CP io.anglearn.bench.OnnxRuntimeBenchmark RUN_DIR [N] [ROUNDS] [L]}
 * (defaults 2000 images, 5 rounds, 200 single-image calls).
 */
public final class OnnxRuntimeBenchmark {

    private static final int BATCH = 256;
    private static final int WARMUP = 20;

    private OnnxRuntimeBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args the run directory, then optionally N, ROUNDS and L
     * @throws Exception if the run cannot be opened or a model cannot be run
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: OnnxRuntimeBenchmark RUN_DIR [IMAGES] [ROUNDS] [SINGLE_CALLS]");
            System.exit(2);
        }
        Path runDir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int singles = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        Path dir = Files.createTempDirectory("onnx-bench");
        Path model = dir.resolve("model.onnx");
        try (TrainedRun run = TrainedRun.open(runDir)) {
            OnnxExporter.export(run, model, OnnxExporter.Options.defaults());
            ImageDataset data = run.split("test").limit(n);
            int[] s = run.imageShape();
            int img = s[0] * s[1] * s[2];
            float[] x = new float[data.size() * img];
            int at = 0;
            for (Batch b : BatchLoader.builder().setData(data).setNormalization(run.normalization()).optBatchSize(BATCH)
                    .build()) {
                System.arraycopy(b.images(), 0, x, at, b.images().length);
                at += b.images().length;
            }
            float[] one = Arrays.copyOf(x, img);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            int threads = Integer.getInteger("ai.djl.pytorch.num_threads", 0);
            try (OrtSession.SessionOptions options = threadOptions(threads);
                    OrtSession session = env.createSession(model.toString(), options)) {
                Runnable anglearnAll = () -> run.embed(data);
                Runnable anglearnOne = () -> run.inference().forward(one, 1, s[0], s[1], s[2]);
                Runnable ortAll = () -> {
                    for (int i = 0; i < data.size(); i += BATCH) {
                        int m = Math.min(BATCH, data.size() - i);
                        ortRun(env, session, Arrays.copyOfRange(x, i * img, (i + m) * img), m, s);
                    }
                };
                Runnable ortOne = () -> ortRun(env, session, one, 1, s);
                anglearnAll.run();
                ortAll.run();
                List<double[]> results = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    double[] t = new double[4];
                    boolean anglearnFirst = r % 2 == 0;
                    for (int k = 0; k < 2; k++) {
                        if (anglearnFirst == (k == 0)) {
                            t[0] = data.size() / seconds(anglearnAll);
                            t[2] = median(anglearnOne, singles);
                        } else {
                            t[1] = data.size() / seconds(ortAll);
                            t[3] = median(ortOne, singles);
                        }
                    }
                    System.out.printf(Locale.ROOT, "round %d: anglearn %.0f img/s, %.2f ms; ONNX Runtime %.0f img/s,"
                            + " %.2f ms%n", r + 1, t[0], t[2], t[1], t[3]);
                    results.add(t);
                }
                double[] med = new double[4];
                for (int i = 0; i < 4; i++) {
                    final int c = i;
                    double[] col = results.stream().mapToDouble(t -> t[c]).sorted().toArray();
                    med[i] = col[col.length / 2];
                }
                System.out.printf(Locale.ROOT, "%s, %s, %d test images, %d rounds, %s intra-op threads%n",
                        run.config().arch, CpuInfo.describe(), data.size(), rounds,
                        threads > 0 ? String.valueOf(threads) : "default");
                System.out.printf(Locale.ROOT, "throughput (img/s, median): anglearn %.0f, ONNX Runtime %.0f, ratio %.2f%n",
                        med[0], med[1], med[1] / med[0]);
                System.out.printf(Locale.ROOT, "one image (ms, median of medians): anglearn %.2f, ONNX Runtime %.2f,"
                        + " ratio %.2f%n", med[2], med[3], med[2] / med[3]);
            }
        } finally {
            Files.deleteIfExists(model);
            Files.deleteIfExists(OnnxExporter.cardFile(model));
            Files.deleteIfExists(dir);
        }
    }

    private static OrtSession.SessionOptions threadOptions(int threads) throws ai.onnxruntime.OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        if (threads > 0) {
            options.setIntraOpNumThreads(threads);
        }
        return options;
    }

    private static void ortRun(OrtEnvironment env, OrtSession session, float[] x, int n, int[] s) {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {n, s[0], s[1], s[2]});
                OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, t))) {
            r.get(0);
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double seconds(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The median time of one call in milliseconds, after warm-up calls. */
    private static double median(Runnable r, int calls) {
        for (int i = 0; i < WARMUP; i++) {
            r.run();
        }
        double[] ms = new double[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[calls / 2];
    }
}
