package io.anglearn.bench;

import io.anglearn.index.EmbeddingIndex;
import io.anglearn.index.IndexProvenance;
import io.anglearn.index.SearchHit;
import io.anglearn.index.SearchableIndex;
import io.anglearn.solr.SolrCollection;
import io.anglearn.solr.SolrLocation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Compares a SolrCloud collection ({@link SolrCollection}) with the local Lucene index
 * ({@link EmbeddingIndex}) on the same embeddings: the stored vectors of an index built by
 * {@code anglearn index build}.
 *
 * <ul>
 *   <li>Push throughput, documents per second: each round adds every vector to a new local index in a
 *       temporary folder and commits it merged to one segment, as {@code index build} does; then sends
 *       them to a new collection (SHARDS × REPLICAS, created before the clock starts) in batches of
 *       {@value SolrCollection#DEFAULT_BATCH_SIZE} and commits, as {@code index push} does. Five
 *       rounds, the two interleaved; medians. Embedding the images is not timed: both receive the
 *       same vectors.
 *   <li>Query latency of one k=10 HNSW search (100 candidates; on each shard for Solr), p50 and p99:
 *       the first QUERIES stored vectors as queries, each timed alone on one thread after 200 warm-up
 *       queries of each; five rounds alternate the local index and the collection; medians of the
 *       rounds' percentiles. Also the recall@10 of both against the local exact scan.
 * </ul>
 *
 * <p>The collections are named {@code COLLECTION-1} to {@code -5} and deleted at the end, but the
 * last one, which the queries use.
 *
 * <p>Usage: {@code java -cp anglearn-cli/target/anglearn.jar io.anglearn.bench.SolrSearchBenchmark
 * INDEX http://HOST:PORT/solr/COLLECTION [QUERIES] [SHARDS] [REPLICAS]} (defaults 1000, 2, 2).
 */
public final class SolrSearchBenchmark {

    private static final int K = 10;
    private static final int ROUNDS = 5;
    private static final int WARMUP = 200;

    private SolrSearchBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args INDEX URL [QUERIES] [SHARDS] [REPLICAS]
     * @throws Exception if the index or the cluster cannot be used
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SolrSearchBenchmark INDEX http://HOST:PORT/solr/COLLECTION [QUERIES] [SHARDS]"
                    + " [REPLICAS]");
            System.exit(2);
        }
        Path indexDir = Path.of(args[0]);
        String url = args[1];
        int nq = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int shards = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int replicas = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        List<float[]> vectors = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Long> ordinals = new ArrayList<>();
        IndexProvenance provenance;
        try (EmbeddingIndex index = EmbeddingIndex.open(indexDir)) {
            provenance = index.provenance();
            index.forEachVector((ordinal, label, v) -> {
                vectors.add(v.clone());
                labels.add(label);
                ordinals.add(ordinal);
            });
        }
        int n = vectors.size();
        System.out.printf(Locale.ROOT, "index %s: %d vectors of dimension %d; collection %s, %d shards x %d replicas%n",
                indexDir, n, provenance.dimension(), url, shards, replicas);

        double[][] perSecond = new double[2][ROUNDS];
        Path tmp = Files.createTempDirectory("anglearn-solr-bench");
        String last = null;
        List<String> made = new ArrayList<>();
        try {
            for (int r = 0; r < ROUNDS; r++) {
                long t = System.nanoTime();
                try (EmbeddingIndex local = EmbeddingIndex.builder().setDirectory(tmp.resolve("round-" + r))
                        .setProvenance(provenance).build()) {
                    for (int i = 0; i < n; i++) {
                        local.add(vectors.get(i), labels.get(i), "item#" + ordinals.get(i));
                    }
                    local.commit(true);
                }
                perSecond[0][r] = n / ((System.nanoTime() - t) / 1e9);
                deleteTree(tmp.resolve("round-" + r));
                last = url + "-" + (r + 1);
                made.add(last);
                try (SolrCollection c = SolrCollection.builder().setUrl(last).setProvenance(provenance)
                        .optShards(shards).optReplicas(replicas).build()) {
                    t = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        c.add(vectors.get(i), labels.get(i), "item#" + ordinals.get(i));
                    }
                    c.commit();
                    perSecond[1][r] = n / ((System.nanoTime() - t) / 1e9);
                }
                System.out.printf(Locale.ROOT, "  round %d: local build %.0f docs/s; Solr push %.0f docs/s%n", r + 1,
                        perSecond[0][r], perSecond[1][r]);
            }
            System.out.printf(Locale.ROOT, "throughput, median of %d rounds of %d documents: local build %.0f docs/s,"
                    + " Solr push %.0f docs/s (ratio local/Solr %.2f)%n", ROUNDS, n, median(perSecond[0]),
                    median(perSecond[1]), median(perSecond[0]) / median(perSecond[1]));

            List<float[]> queries = vectors.subList(0, Math.min(nq, n));
            try (EmbeddingIndex local = EmbeddingIndex.open(indexDir);
                    SolrCollection solr = SolrCollection.open(last, EmbeddingIndex.DEFAULT_NUM_CANDIDATES)) {
                double recallLocal = 0;
                double recallSolr = 0;
                for (float[] q : queries) {
                    Set<String> exact = ordinals(local.searchExact(q, K));
                    recallLocal += overlap(ordinals(local.search(q, K)), exact);
                    recallSolr += overlap(sourcesAsOrdinals(solr.search(q, K)), exact);
                }
                System.out.printf(Locale.ROOT, "recall@%d against the local exact scan, %d queries: local HNSW %.4f,"
                        + " Solr HNSW %.4f%n", K, queries.size(), recallLocal / queries.size(),
                        recallSolr / queries.size());
                SearchableIndex[] both = {local, solr};
                for (int w = 0; w < WARMUP; w++) {
                    for (SearchableIndex i : both) {
                        i.search(queries.get(w % queries.size()), K);
                    }
                }
                double[][] p50 = new double[2][ROUNDS];
                double[][] p99 = new double[2][ROUNDS];
                for (int r = 0; r < ROUNDS; r++) {
                    for (int m = 0; m < 2; m++) {
                        double[] ms = new double[queries.size()];
                        for (int q = 0; q < ms.length; q++) {
                            long t = System.nanoTime();
                            both[m].search(queries.get(q), K);
                            ms[q] = (System.nanoTime() - t) / 1e6;
                        }
                        Arrays.sort(ms);
                        p50[m][r] = ms[(int) Math.floor(0.50 * (ms.length - 1))];
                        p99[m][r] = ms[(int) Math.floor(0.99 * (ms.length - 1))];
                    }
                    System.out.printf(Locale.ROOT, "  round %d: local p50 %.3f ms p99 %.3f ms; Solr p50 %.3f ms p99 %.3f"
                            + " ms%n", r + 1, p50[0][r], p99[0][r], p50[1][r], p99[1][r]);
                }
                System.out.printf(Locale.ROOT, "latency of one k=%d query, median of %d rounds of %d: local p50 %.3f ms,"
                        + " p99 %.3f ms; Solr p50 %.3f ms, p99 %.3f ms (ratio Solr/local p50 %.1f)%n", K, ROUNDS,
                        queries.size(), median(p50[0]), median(p99[0]), median(p50[1]), median(p99[1]),
                        median(p50[1]) / median(p50[0]));
            }
        } finally {
            deleteTree(tmp);
            for (String c : made) {
                if (!c.equals(last)) {
                    deleteCollection(c);
                }
            }
        }
    }

    /** The local hits' ordinals, as text; the collection's items carry them in their source, item#ORDINAL. */
    private static Set<String> ordinals(List<SearchHit> hits) {
        Set<String> out = new HashSet<>();
        hits.forEach(h -> out.add(String.valueOf(h.ordinal())));
        return out;
    }

    private static Set<String> sourcesAsOrdinals(List<SearchHit> hits) {
        Set<String> out = new HashSet<>();
        hits.forEach(h -> out.add(h.source().substring(h.source().indexOf('#') + 1)));
        return out;
    }

    private static double overlap(Set<String> found, Set<String> exact) {
        Set<String> s = new HashSet<>(found);
        s.retainAll(exact);
        return s.size() / (double) exact.size();
    }

    private static void deleteCollection(String url) throws IOException, InterruptedException {
        SolrLocation l = SolrLocation.parse(url);
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(l.base() + "/admin/collections?action=DELETE&name="
                + l.collection())).build(), HttpResponse.BodyHandlers.discarding());
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(l.base() + "/admin/configs?action=DELETE&name="
                + "anglearn-" + l.collection())).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> w = Files.walk(p)) {
            w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
