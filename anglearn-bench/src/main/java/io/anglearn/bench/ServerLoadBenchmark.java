package io.anglearn.bench;

import io.anglearn.data.ImageDataset;
import io.anglearn.engine.Engines;
import io.anglearn.index.EmbeddingIndex;
import io.anglearn.run.TrainedRun;
import io.anglearn.serve.EmbeddingService;
import io.anglearn.serve.SearchServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * Sustained {@code POST /search} throughput and latency of {@code anglearn serve}: the server runs
 * in this JVM on a loopback port, with a trained run and its index; CLIENTS threads each send
 * PNG-encoded test-split images one request after another for SECONDS; requests per second, the
 * p50 and p99 of the client-side latency and the mean images per forward pass are printed for each
 * of five rounds, then their medians. A warm-up of WARMUP seconds (default 3) comes first: the
 * first forward passes of a fresh JVM are slower (compilation, the native libraries' caches).
 * Every answer must be 200.
 *
 * <p>Usage: {@code java -cp anglearn-cli/target/anglearn.jar:anglearn-bench/target/classes
 * io.anglearn.bench.ServerLoadBenchmark RUN INDEX [CLIENTS] [SECONDS] [WARMUP]}.
 */
public final class ServerLoadBenchmark {

    private static final int ROUNDS = 5;

    private ServerLoadBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args the run directory, the index, the clients (default 32), seconds per round (default 10),
     *     seconds of warm-up (default 3)
     * @throws Exception if the run or index cannot be opened
     */
    public static void main(String[] args) throws Exception {
        Engines.configureDefaults();
        Path runDir = Path.of(args[0]);
        Path indexDir = Path.of(args[1]);
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        try (TrainedRun run = TrainedRun.open(runDir); EmbeddingIndex index = EmbeddingIndex.open(indexDir)) {
            ImageDataset test = run.split("test");
            List<byte[]> bodies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                bodies.add(png(test, i));
            }
            SearchServer server = SearchServer.builder()
                    .setService(EmbeddingService.builder().setRun(run).optIndex(index).build()).optPort(0).build();
            server.start();
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                URI uri = URI.create("http://127.0.0.1:" + server.port() + "/search?k=10");
                System.out.printf(Locale.ROOT, "%d clients, %d s per round after %d s of warm-up, run %s, index of %d%n",
                        clients, seconds, warmup, runDir, index.size());
                round(http, uri, bodies, clients, warmup);
                double[] rps = new double[ROUNDS];
                double[] p50 = new double[ROUNDS];
                double[] p99 = new double[ROUNDS];
                for (int r = 0; r < ROUNDS; r++) {
                    long images = server.service().metrics().forwardImages();
                    long passes = server.service().metrics().forwardPasses();
                    double[] res = round(http, uri, bodies, clients, seconds);
                    rps[r] = res[0];
                    p50[r] = res[1];
                    p99[r] = res[2];
                    System.out.printf(Locale.ROOT, "  round %d: %.1f requests/s, p50 %.1f ms, p99 %.1f ms, mean batch %.1f%n",
                            r + 1, rps[r], p50[r], p99[r], (double) (server.service().metrics().forwardImages() - images)
                                    / (server.service().metrics().forwardPasses() - passes));
                }
                System.out.printf(Locale.ROOT, "median of %d rounds: %.1f requests/s, p50 %.1f ms, p99 %.1f ms%n", ROUNDS,
                        median(rps), median(p50), median(p99));
            } finally {
                server.stop();
            }
        }
    }

    private static double[] round(HttpClient http, URI uri, List<byte[]> bodies, int clients, int seconds)
            throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Double> ms = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> fs = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            fs.add(pool.submit(() -> {
                int i = client;
                while (System.nanoTime() < deadline) {
                    long t = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i % bodies.size()))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        errors.incrementAndGet();
                    }
                    ms.add((System.nanoTime() - t) / 1e6);
                    i += clients;
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        if (errors.get() > 0) {
            throw new IllegalStateException(errors.get() + " requests failed");
        }
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {sorted.length / elapsed, sorted[(int) (0.5 * (sorted.length - 1))],
            sorted[(int) (0.99 * (sorted.length - 1))]};
    }

    private static byte[] png(ImageDataset d, int i) throws java.io.IOException {
        byte[] px = new byte[d.imageSize()];
        d.copyImage(i, px, 0);
        int plane = d.height() * d.width();
        BufferedImage img = new BufferedImage(d.width(), d.height(), BufferedImage.TYPE_INT_RGB);
        for (int q = 0; q < plane; q++) {
            int r = px[q] & 0xFF;
            int g = d.channels() == 3 ? px[plane + q] & 0xFF : r;
            int b = d.channels() == 3 ? px[2 * plane + q] & 0xFF : r;
            img.setRGB(q % d.width(), q / d.width(), r << 16 | g << 8 | b);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
