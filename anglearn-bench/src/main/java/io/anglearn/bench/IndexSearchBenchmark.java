package io.anglearn.bench;

import io.anglearn.index.EmbeddingIndex;
import io.anglearn.index.IndexProvenance;
import io.anglearn.index.SearchHit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Measures {@link EmbeddingIndex}: recall@10 of the HNSW search against the exact scan, and the
 * latency of one query (p50, p99) for both.
 *
 * <p>Two modes:
 * <ul>
 *   <li>{@code index INDEX [QUERIES]} — an index built by {@code anglearn index build}; each query
 *       is a stored embedding (the first QUERIES, default all), asked for its 11 nearest, with the
 *       query item itself removed from both answers before the top 10 are compared;
 *   <li>{@code synthetic N DIM [QUERIES] [SEED]} — N random unit vectors of dimension DIM (normal
 *       coordinates, normalised; seeded) indexed into a temporary folder, queried with QUERIES
 *       (default 1000) other random unit vectors (the next ones of the same seeded sequence);
 *   <li>{@code synthetic-build DIR N DIM [SEED] [THREADS]} — only builds that index, in DIR, adding
 *       from THREADS threads (default 1) with as many HNSW merge threads
 *       ({@link EmbeddingIndex.Builder#optBuildThreads}), and merges it to one segment as
 *       {@code anglearn index build} does;
 *   <li>{@code synthetic-search DIR N DIM [QUERIES] [SEED]} — only measures the index DIR that
 *       {@code synthetic-build} made with the same N, DIM and SEED, with the same queries as
 *       {@code synthetic}, so that a long build and the timed search can run at different times.
 * </ul>
 * Latency: each query is timed alone on one thread after 200 warm-up queries; five rounds
 * alternate HNSW and exact (interleaved), and the medians of the rounds' p50 and p99 are printed.
 *
 * <p>Usage: {@code java -cp anglearn-cli/target/anglearn.jar:anglearn-bench/target/classes
 * io.anglearn.bench.IndexSearchBenchmark MODE ARGS...}.
 */
public final class IndexSearchBenchmark {

    private static final int K = 10;
    private static final int ROUNDS = 5;
    private static final int WARMUP = 200;

    private IndexSearchBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args the mode and its arguments (see the class comment)
     * @throws Exception if the index cannot be built or read
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: IndexSearchBenchmark index INDEX [QUERIES] | synthetic N DIM [QUERIES] [SEED]"
                    + " | synthetic-build DIR N DIM [SEED] [THREADS] | synthetic-search DIR N DIM [QUERIES] [SEED]");
            System.exit(2);
        }
        if (args[0].equals("index")) {
            try (EmbeddingIndex index = EmbeddingIndex.open(Path.of(args[1]))) {
                int limit = args.length > 2 ? Integer.parseInt(args[2]) : index.size();
                List<float[]> queries = new ArrayList<>();
                List<Long> self = new ArrayList<>();
                index.forEachVector((ordinal, label, v) -> {
                    if (queries.size() < limit) {
                        queries.add(v.clone());
                        self.add(ordinal);
                    }
                });
                System.out.printf(Locale.ROOT, "index %s: %d vectors of dimension %d; %d queries (stored vectors,"
                        + " self removed)%n", args[1], index.size(), index.dimension(), queries.size());
                measure(index, queries, self);
            }
        } else if (args[0].equals("synthetic-build")) {
            Path dir = Path.of(args[1]);
            int n = Integer.parseInt(args[2]);
            int dim = Integer.parseInt(args[3]);
            long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
            int threads = args.length > 5 ? Integer.parseInt(args[5]) : 1;
            buildSynthetic(dir, n, dim, new Random(seed), seed, threads);
        } else if (args[0].equals("synthetic-search")) {
            Path dir = Path.of(args[1]);
            int n = Integer.parseInt(args[2]);
            int dim = Integer.parseInt(args[3]);
            int nq = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
            long seed = args.length > 5 ? Long.parseLong(args[5]) : 1;
            Random rnd = new Random(seed);
            for (int i = 0; i < n; i++) {
                gaussian(rnd, dim); // the indexed vectors: the queries come after them in the sequence
            }
            try (EmbeddingIndex index = EmbeddingIndex.open(dir)) {
                if (index.size() != n || index.dimension() != dim
                        || !index.provenance().checkpointDigest().equals("synthetic-" + seed)) {
                    throw new IllegalArgumentException(dir + " holds " + index.size() + " vectors of dimension "
                            + index.dimension() + " (" + index.provenance().checkpointDigest() + "), not the " + n
                            + " of dimension " + dim + " of seed " + seed);
                }
                List<float[]> queries = new ArrayList<>();
                List<Long> none = new ArrayList<>();
                for (int i = 0; i < nq; i++) {
                    queries.add(gaussian(rnd, dim));
                    none.add(-1L);
                }
                System.out.printf(Locale.ROOT, "index %s: %d random unit vectors of dimension %d; %d queries%n", dir,
                        n, dim, nq);
                measure(index, queries, none);
            }
        } else if (args[0].equals("synthetic")) {
            int n = Integer.parseInt(args[1]);
            int dim = Integer.parseInt(args[2]);
            int nq = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
            long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
            Path tmp = Files.createTempDirectory("anglearn-index-bench");
            try {
                Random rnd = new Random(seed);
                buildSynthetic(tmp.resolve("index"), n, dim, rnd, seed, 1);
                try (EmbeddingIndex index = EmbeddingIndex.open(tmp.resolve("index"))) {
                    List<float[]> queries = new ArrayList<>();
                    List<Long> none = new ArrayList<>();
                    for (int i = 0; i < nq; i++) {
                        queries.add(gaussian(rnd, dim));
                        none.add(-1L);
                    }
                    measure(index, queries, none);
                }
            } finally {
                try (Stream<Path> w = Files.walk(tmp)) {
                    w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        } else {
            System.err.println("unknown mode " + args[0] + "; expected index or synthetic");
            System.exit(2);
        }
    }

    /** Indexes n random unit vectors drawn from rnd, adding from the given number of threads. */
    private static void buildSynthetic(Path dir, int n, int dim, Random rnd, long seed, int threads) throws Exception {
        IndexProvenance p = new IndexProvenance("synthetic", 0, "synthetic-" + seed, dim, List.of("none"));
        float[][] vectors = new float[n][];
        for (int i = 0; i < n; i++) {
            vectors[i] = gaussian(rnd, dim);
        }
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicInteger added = new java.util.concurrent.atomic.AtomicInteger();
        try (EmbeddingIndex index = EmbeddingIndex.builder().setDirectory(dir).setProvenance(p).optRamBufferMb(1900)
                .optBuildThreads(threads).build()) {
            List<Thread> adders = new ArrayList<>();
            List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int first = t;
                Thread a = new Thread(() -> {
                    try {
                        for (int i = first; i < n; i += threads) {
                            index.add(vectors[i], 0, null);
                            if (added.incrementAndGet() % 100_000 == 0) {
                                System.out.printf(Locale.ROOT, "  added %d in %.0f s%n", added.get(),
                                        (System.nanoTime() - start) / 1e9);
                            }
                        }
                    } catch (Exception e) {
                        failures.add(e);
                    }
                });
                adders.add(a);
                a.start();
            }
            for (Thread a : adders) {
                a.join();
            }
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
            long merge = System.nanoTime();
            index.commit(true);
            System.out.printf(Locale.ROOT, "built %d random unit vectors of dimension %d in %.1f s on %d thread(s)"
                    + " (adding %.1f s, merging to one segment %.1f s)%n", n, dim, (System.nanoTime() - start) / 1e9,
                    threads, (merge - start) / 1e9, (System.nanoTime() - merge) / 1e9);
        }
    }

    private static float[] gaussian(Random rnd, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    private static void measure(EmbeddingIndex index, List<float[]> queries, List<Long> self) throws IOException {
        int extra = self.get(0) >= 0 ? 1 : 0;
        double recall = 0;
        for (int q = 0; q < queries.size(); q++) {
            Set<Long> exact = top(index.searchExact(queries.get(q), K + extra), self.get(q));
            Set<Long> approx = top(index.search(queries.get(q), K + extra), self.get(q));
            approx.retainAll(exact);
            recall += approx.size() / (double) exact.size();
        }
        System.out.printf(Locale.ROOT, "recall@%d of HNSW against exact: %.4f over %d queries%n", K,
                recall / queries.size(), queries.size());
        int timed = Math.min(queries.size(), 1000);
        for (int w = 0; w < WARMUP; w++) {
            index.search(queries.get(w % queries.size()), K);
            index.searchExact(queries.get(w % queries.size()), K);
        }
        double[][] p = new double[2][ROUNDS];
        double[][] p99 = new double[2][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            for (int mode = 0; mode < 2; mode++) {
                double[] ms = new double[timed];
                for (int q = 0; q < timed; q++) {
                    long t = System.nanoTime();
                    if (mode == 0) {
                        index.search(queries.get(q), K);
                    } else {
                        index.searchExact(queries.get(q), K);
                    }
                    ms[q] = (System.nanoTime() - t) / 1e6;
                }
                Arrays.sort(ms);
                p[mode][r] = ms[(int) Math.floor(0.50 * (timed - 1))];
                p99[mode][r] = ms[(int) Math.floor(0.99 * (timed - 1))];
            }
            System.out.printf(Locale.ROOT, "  round %d: HNSW p50 %.3f ms p99 %.3f ms; exact p50 %.3f ms p99 %.3f ms%n",
                    r + 1, p[0][r], p99[0][r], p[1][r], p99[1][r]);
        }
        System.out.printf(Locale.ROOT, "latency of one k=%d query, median of %d rounds of %d: HNSW p50 %.3f ms, p99 %.3f ms;"
                + " exact p50 %.3f ms, p99 %.3f ms%n", K, ROUNDS, timed, median(p[0]), median(p99[0]), median(p[1]),
                median(p99[1]));
    }

    private static Set<Long> top(List<SearchHit> hits, long self) {
        Set<Long> out = new HashSet<>();
        for (SearchHit h : hits) {
            if (h.ordinal() != self && out.size() < K) {
                out.add(h.ordinal());
            }
        }
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
