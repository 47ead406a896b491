package io.anglearn.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anglearn.index.EmbeddingIndex;
import io.anglearn.index.ImageSet;
import io.anglearn.index.IndexProvenance;
import io.anglearn.index.RunIndexer;
import io.anglearn.index.SearchHit;
import io.anglearn.run.TrainedRun;
import io.anglearn.serve.EmbeddingService;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SolrCollection} against a real SolrCloud cluster on loopback: two Solr 9 nodes and an
 * embedded ZooKeeper ({@link MiniSolrCloudCluster}), collections of 2 shards × 2 replicas, shared
 * by the tests of this class. Pushes go through {@link RunIndexer}, as {@code anglearn index push}'s do.
 * The recall test trains ResNet20 on 500 CIFAR-10 images and indexes the first 2 000 test images
 * ({@code -Danglearn.test.cifarTestImages=10000} for all of them; skipped without the data).
 */
class SolrCollectionIT {

    private static final int PER_CLASS = 80;
    private static final int GALLERY = PER_CLASS * TestRuns.CLASSES.length;

    private static Path work;
    private static MiniSolrCloudCluster cluster;
    private static Path runDir;
    private static Path gallery;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startClusterAndTrain() throws Exception {
        work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "solr-it-").toAbsolutePath();
        cluster = new MiniSolrCloudCluster.Builder(2, work.resolve("cluster")).configure();
        runDir = TestRuns.tiny(work, "tiny");
        gallery = TestRuns.colourImages(work.resolve("gallery"), PER_CLASS, 21);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    private static String url(int node, String collection) {
        return cluster.getJettySolrRunner(node).getBaseUrl() + "/" + collection;
    }

    private static SolrCollection.Builder push(TrainedRun run, String url) {
        return SolrCollection.builder().setUrl(url).setProvenance(RunIndexer.provenance(run)).optShards(2)
                .optReplicas(2);
    }

    @Test
    void aPushKilledMidwayAndRunAgainHoldsEveryImageOnce() throws Exception {
        String url = url(0, "killed");
        try (TrainedRun run = TrainedRun.open(runDir)) {
            RunIndexer indexer = RunIndexer.of(run, 16);
            try (SolrCollection c = push(run, url).optBatchSize(20).build()) {
                assertTrue(c.created());
                // Killed after six forward passes (96 images): four batches of 20 were sent, 16 images were queued.
                IllegalStateException killed = assertThrows(IllegalStateException.class,
                        () -> indexer.index(ImageSet.parse(gallery.toString()), c, n -> {
                            if (n >= 96) {
                                throw new IllegalStateException("killed");
                            }
                        }));
                assertEquals("killed", killed.getMessage());
            }
            try (SolrCollection c = push(run, url).optBatchSize(20).build()) {
                assertEquals(80, c.sources().size(), "the batches sent before the kill are kept");
                RunIndexer.Outcome o = indexer.index(ImageSet.parse(gallery.toString()), c, n -> { });
                c.commit();
                assertEquals(80, o.alreadyIndexed());
                assertEquals(GALLERY - 80, o.added());
                assertEquals(GALLERY, c.size());
                assertEquals(GALLERY, c.sources().size());
                assertEquals(List.of("folder " + gallery.toAbsolutePath().normalize()), c.imageSets());
                int[] perClass = new int[TestRuns.CLASSES.length];
                java.util.Arrays.fill(perClass, PER_CLASS);
                assertEquals(java.util.Arrays.toString(perClass), java.util.Arrays.toString(c.countsPerClass()));
            }
        }
        assertEveryReplicaHolds("killed", GALLERY);
        // Ordinals 0..n-1, each once: the rerun continued after the largest one the kill left.
        JsonObject r = select("killed", Map.of("q", "kind:item", "fl", "ordinal", "rows", "1000", "sort", "ordinal asc"));
        List<Long> ordinals = new ArrayList<>();
        r.getAsJsonObject("response").getAsJsonArray("docs").forEach(d -> ordinals.add(d.getAsJsonObject()
                .get("ordinal").getAsLong()));
        assertEquals(GALLERY, ordinals.size());
        for (int i = 0; i < GALLERY; i++) {
            assertEquals(i, ordinals.get(i));
        }
    }

    @Test
    void queriesAndAPushCarryOnWhileANodeIsStoppedAndThePushEndsOnEveryReplica() throws Exception {
        try (TrainedRun run = TrainedRun.open(runDir)) {
            try (SolrCollection c = push(run, url(1, "steady")).build()) {
                RunIndexer.of(run, 32).index(ImageSet.parse(gallery.toString()), c, n -> { });
                c.commit();
            }
            // Queries: the stored embeddings of some gallery images, with their expected nearest item (themselves).
            List<float[]> queries = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            try (SolrCollection c = SolrCollection.open(url(1, "steady"), 100)) {
                JsonObject r = select("steady", Map.of("q", "kind:item", "fl", "vector,source", "rows", "30",
                        "sort", "ordinal asc"));
                for (JsonElement e : r.getAsJsonObject("response").getAsJsonArray("docs")) {
                    JsonArray v = e.getAsJsonObject().getAsJsonArray("vector");
                    float[] q = new float[v.size()];
                    for (int i = 0; i < q.length; i++) {
                        q[i] = v.get(i).getAsFloat();
                    }
                    queries.add(q);
                    expected.add(e.getAsJsonObject().get("source").getAsString());
                    assertEquals(expected.get(expected.size() - 1), c.search(q, 1).get(0).source());
                }
            }
            // The client is given node 0, the node that will be stopped.
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger wrong = new AtomicInteger();
            Thread queryStream = new Thread(() -> {
                try (SolrCollection c = SolrCollection.open(url(0, "steady"), 100)) {
                    for (int i = 0; !stop.get(); i++) {
                        List<SearchHit> hits = c.search(queries.get(i % queries.size()), 5);
                        if (hits.size() != 5 || !hits.get(0).source().equals(expected.get(i % queries.size()))) {
                            wrong.incrementAndGet();
                        }
                        answered.incrementAndGet();
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }, "query-stream");
            // The push is held at points of its progress: a third sent before node 0 stops, a third while
            // it is away, the rest after it has returned.
            AtomicInteger pushed = new AtomicInteger();
            CountDownLatch stopped = new CountDownLatch(1);
            CountDownLatch returned = new CountDownLatch(1);
            Thread pushing = new Thread(() -> {
                try (SolrCollection c = push(run, url(0, "during")).optBatchSize(10).build()) {
                    RunIndexer.of(run, 8).index(ImageSet.parse(gallery.toString()), c, n -> {
                        pushed.set((int) n);
                        await(n >= GALLERY / 3 ? stopped : null);
                        await(n >= 2 * GALLERY / 3 ? returned : null);
                    });
                    c.commit();
                } catch (Throwable t) {
                    errors.add(t);
                }
            }, "push");
            queryStream.start();
            pushing.start();
            waitFor(() -> answered.get() >= 50 && pushed.get() >= GALLERY / 3, "queries and the push to start");
            JettySolrRunner node = cluster.stopJettySolrRunner(0);
            cluster.waitForJettyToStop(node);
            int answeredAtStop = answered.get();
            stopped.countDown();
            waitFor(() -> answered.get() >= answeredAtStop + 50 && pushed.get() >= 2 * GALLERY / 3,
                    "queries and the push to go on without node 0");
            int answeredWithoutNode = answered.get() - answeredAtStop;
            cluster.startJettySolrRunner(node, true);
            cluster.waitForNode(node, 60);
            returned.countDown();
            pushing.join(TimeUnit.MINUTES.toMillis(3));
            assertEquals(GALLERY, pushed.get());
            int afterReturn = answered.get();
            waitFor(() -> answered.get() >= afterReturn + 50, "queries after node 0 returned");
            stop.set(true);
            queryStream.join(TimeUnit.MINUTES.toMillis(1));
            assertTrue(answeredWithoutNode >= 50, "answered while node 0 was stopped: " + answeredWithoutNode);
            assertEquals(List.of(), errors);
            assertEquals(0, wrong.get(), "answers that were not the query's own image");
            cluster.waitForActiveCollection("steady", 2, 4);
            cluster.waitForActiveCollection("during", 2, 4);
            assertEveryReplicaHolds("during", GALLERY);
            assertEveryReplicaHolds("steady", GALLERY);
        }
    }

    @Test
    void badInputIsRefusedWithItsReasonAndChangesNothingInTheCluster() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        try (TrainedRun run = TrainedRun.open(runDir)) {
            IndexProvenance mine = RunIndexer.provenance(run);
            String nowhere = "http://127.0.0.1:" + free + "/solr/images";
            IOException e = assertThrows(IOException.class, () -> push(run, nowhere).build());
            assertEquals("cannot reach Solr at http://127.0.0.1:" + free + "/solr (connection refused)", e.getMessage());
            e = assertThrows(IOException.class, () -> SolrCollection.open(nowhere, 100));
            assertTrue(e.getMessage().startsWith("cannot reach Solr at"), e.getMessage());

            // Collections that are not this run's: another dimension, other weights, no vector field.
            int dim = mine.dimension();
            IndexProvenance wider = new IndexProvenance("/runs/wide", 7, "ab".repeat(32), dim + 1, mine.classNames());
            IndexProvenance other = new IndexProvenance("/runs/other", 9, "cd".repeat(32), dim, mine.classNames());
            fill(url(0, "wider"), wider);
            fill(url(0, "others"), other);
            cluster.uploadConfigSet(Path.of(SolrCollectionIT.class.getResource("plain-configset").toURI()), "plain");
            get("/admin/collections", Map.of("action", "CREATE", "name", "plain", "numShards", "2", "replicationFactor",
                    "2", "collection.configName", "plain", "waitForFinalState", "true"));
            post("/plain/update?commit=true", "[{\"id\":\"doc-1\",\"title\":\"someone else's\"}]");
            String before = snapshot("wider", "others", "plain");

            e = assertThrows(IOException.class, () -> push(run, url(1, "wider")).build());
            assertEquals("collection " + url(1, "wider") + " holds vectors of dimension " + (dim + 1)
                    + "; the run's embeddings have dimension " + dim + ": push to another collection", e.getMessage());
            e = assertThrows(IOException.class, () -> push(run, url(1, "others")).build());
            assertTrue(e.getMessage().startsWith("collection " + url(1, "others") + " holds embeddings of run /runs/other,"
                    + " checkpoint at step 9 (SHA-256 cdcdcdcdcdcd…), dimension " + dim + "; these would come from run "
                    + runDir.toAbsolutePath().normalize()), e.getMessage());
            e = assertThrows(IOException.class, () -> push(run, url(1, "plain")).build());
            assertEquals("collection " + url(1, "plain") + " has no dense vector field 'vector' (class"
                    + " solr.DenseVectorField) in its schema; it was not created by 'anglearn index push': push to a new"
                    + " collection name, which is created with the right schema", e.getMessage());
            e = assertThrows(IOException.class, () -> SolrCollection.open(url(1, "plain"), 100));
            assertTrue(e.getMessage().contains("has no dense vector field 'vector'"), e.getMessage());
            e = assertThrows(IOException.class, () -> SolrCollection.open(url(1, "absent"), 100));
            assertEquals("Solr at " + cluster.getJettySolrRunner(1).getBaseUrl() + " has no collection 'absent'"
                    + " (create it with 'anglearn index push --to " + url(1, "absent") + "')", e.getMessage());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> push(run, url(1, "x/")).optShards(0).build());
            assertEquals("--shards must be in 1..1024, got 0", bad.getMessage());

            assertEquals(before, snapshot("wider", "others", "plain"), "the refused pushes changed the cluster");
        }
    }

    @Test
    void theServiceAnswersASearchFromSolrAsFromTheLocalIndex() throws Exception {
        try (TrainedRun run = TrainedRun.open(runDir);
                EmbeddingIndex local = EmbeddingIndex.builder().setDirectory(work.resolve("local-gallery"))
                        .setProvenance(RunIndexer.provenance(run)).build()) {
            RunIndexer.of(run, 32).index(ImageSet.parse(gallery.toString()), local, n -> { });
            local.commit(true);
            try (SolrCollection c = push(run, url(0, "served")).build()) {
                RunIndexer.of(run, 32).index(ImageSet.parse(gallery.toString()), c, n -> { });
                c.commit();
            }
            try (SolrCollection solr = SolrCollection.open(url(1, "served"), 100)) {
                assertEquals(local.size(), solr.size());
                assertEquals(local.imageSets(), solr.imageSets());
                assertEquals(local.provenance(), solr.provenance());
                byte[] image = Files.readAllBytes(gallery.resolve("green").resolve("green-007.png"));
                JsonObject fromLocal = answer(run, local, image);
                JsonObject fromSolr = answer(run, solr, image);
                assertEquals(withRoundedCosines(fromLocal), withRoundedCosines(fromSolr));
                assertEquals(gallery.resolve("green").resolve("green-007.png").toAbsolutePath().normalize().toString(),
                        fromSolr.getAsJsonArray("hits").get(0).getAsJsonObject().get("source").getAsString());
                JsonObject health = EmbeddingService.builder().setRun(run).optIndex(solr).build().health()
                        .getAsJsonObject("index");
                assertEquals("served", health.get("name").getAsString());
                assertEquals(GALLERY, health.get("size").getAsInt());
            }
        }
    }

    @Test
    void overCifar10TestEmbeddingsRecallAt10IsAtLeast099AndTheTop1IsTheLocalIndexs() throws Exception {
        Path data = TestRuns.dataRoot();
        int testImages = Integer.getInteger("anglearn.test.cifarTestImages", 2000);
        long t0 = System.nanoTime();
        Path cifarRun = TestRuns.cifar(work, data, 500, testImages);
        long t1 = System.nanoTime();
        int queries = 500;
        try (TrainedRun run = TrainedRun.open(cifarRun);
                EmbeddingIndex local = EmbeddingIndex.builder().setDirectory(work.resolve("cifar-local"))
                        .setProvenance(RunIndexer.provenance(run)).build();
                SolrCollection c = push(run, url(0, "cifar")).build()) {
            // One forward pass over the test images, each embedding added to both.
            RunIndexer.of(run, 250).index(ImageSet.parse("test"), new Both(local, c), n -> { });
            local.commit(true);
            c.commit();
            long t2 = System.nanoTime();
            System.out.printf(java.util.Locale.ROOT, "CIFAR-10 run trained in %.0f s, %d test images indexed and pushed"
                    + " in %.0f s%n", (t1 - t0) / 1e9, testImages, (t2 - t1) / 1e9);
            // Queries the index does not hold: the embeddings of the first training images.
            io.anglearn.data.ImageDataset train = run.split("train");
            byte[] px = new byte[queries * train.imageSize()];
            for (int i = 0; i < queries; i++) {
                train.copyImage(i, px, i * train.imageSize());
            }
            float[] features = run.forwardPixels(px, queries)[0];
            int d = features.length / queries;
            try (SolrCollection solr = SolrCollection.open(url(1, "cifar"), 100)) {
                assertEquals(testImages, solr.size());
                assertEquals(java.util.Arrays.toString(local.countsPerClass()),
                        java.util.Arrays.toString(solr.countsPerClass()));
                int found = 0;
                int sameTop1 = 0;
                int sameExact = 0;
                for (int q = 0; q < queries; q++) {
                    float[] v = java.util.Arrays.copyOfRange(features, q * d, (q + 1) * d);
                    Set<String> exact = sources(local.searchExact(v, 10));
                    List<SearchHit> approx = solr.search(v, 10);
                    Set<String> hit = sources(approx);
                    hit.retainAll(exact);
                    found += hit.size();
                    sameTop1 += approx.get(0).source().equals(local.search(v, 1).get(0).source()) ? 1 : 0;
                    sameExact += sources(solr.searchExact(v, 10)).equals(exact) ? 1 : 0;
                }
                double recall = found / (10.0 * queries);
                System.out.printf(java.util.Locale.ROOT, "CIFAR-10 test, %d images, %d queries: recall@10 %.4f, same top-1 as the"
                        + " local index %d, same exact top-10 %d%n", testImages, queries, recall, sameTop1, sameExact);
                assertTrue(recall >= 0.99, "recall@10 " + recall);
                assertEquals(queries, sameTop1, "queries whose top-1 differs from the local index's");
                assertEquals(queries, sameExact, "queries whose exact top-10 differs from the local index's");
            }
        }
    }

    /** Adds each embedding to the local index and to the collection. */
    private record Both(EmbeddingIndex local, SolrCollection solr) implements io.anglearn.index.EmbeddingSink {
        @Override
        public String location() {
            return local.location() + " and " + solr.location();
        }

        @Override
        public IndexProvenance provenance() {
            return local.provenance();
        }

        @Override
        public Set<String> sources() {
            return Set.of();
        }

        @Override
        public void describeImageSet(String description) {
            local.describeImageSet(description);
            solr.describeImageSet(description);
        }

        @Override
        public long add(float[] embedding, int label, String source) throws IOException {
            solr.add(embedding, label, source);
            return local.add(embedding, label, source);
        }
    }

    private static Set<String> sources(List<SearchHit> hits) {
        Set<String> out = new HashSet<>();
        hits.forEach(h -> out.add(h.source()));
        return out;
    }

    private static JsonObject answer(TrainedRun run, io.anglearn.index.SearchableIndex index, byte[] image)
            throws Exception {
        EmbeddingService s = EmbeddingService.builder().setRun(run).optIndex(index).build();
        try {
            return s.search(image, 10, false).get(1, TimeUnit.MINUTES);
        } finally {
            s.close();
        }
    }

    /** The answer with cosines and angles to 5 decimals: Solr's JSON carries the score as a float's shortest text. */
    private static String withRoundedCosines(JsonObject o) {
        JsonObject c = o.deepCopy();
        for (JsonElement h : c.getAsJsonArray("hits")) {
            JsonObject j = h.getAsJsonObject();
            j.addProperty("cosine", String.format(java.util.Locale.ROOT, "%.5f", j.get("cosine").getAsDouble()));
            j.addProperty("angleDegrees", String.format(java.util.Locale.ROOT, "%.3f", j.get("angleDegrees").getAsDouble()));
        }
        return c.toString();
    }

    /** Creates a collection with the given provenance and three random unit vectors. */
    private static void fill(String url, IndexProvenance p) throws IOException {
        Random r = new Random(5);
        try (SolrCollection c = SolrCollection.builder().setUrl(url).setProvenance(p).optShards(2).optReplicas(2).build()) {
            for (int i = 0; i < 3; i++) {
                float[] v = new float[p.dimension()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = (float) r.nextGaussian();
                }
                c.add(v, i % p.classNames().size(), "item-" + i);
            }
            c.describeImageSet("random");
            c.commit();
        }
    }

    /** What a refused push must leave as it was: the collections and configsets, and each collection's documents. */
    private static String snapshot(String... collections) throws Exception {
        StringBuilder b = new StringBuilder();
        b.append(new TreeMap<>(Map.of("collections", sorted(get("/admin/collections", Map.of("action", "LIST"))
                .getAsJsonArray("collections")), "configSets", sorted(get("/admin/configs", Map.of("action", "LIST"))
                .getAsJsonArray("configSets"))))).append('\n');
        for (String c : collections) {
            b.append(c).append(": ").append(select(c, Map.of("q", "*:*", "rows", "100", "sort", "id asc", "fl",
                    "*,_version_")).getAsJsonObject("response")).append('\n');
        }
        return b.toString();
    }

    private static List<String> sorted(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        Collections.sort(out);
        return out;
    }

    /** Checks every replica of every shard, asked alone: replicas of a shard agree and the shards add up. */
    private static void assertEveryReplicaHolds(String collection, int items) throws Exception {
        JsonObject shards = get("/admin/collections", Map.of("action", "CLUSTERSTATUS", "collection", collection))
                .getAsJsonObject("cluster").getAsJsonObject("collections").getAsJsonObject(collection)
                .getAsJsonObject("shards");
        int total = 0;
        for (Map.Entry<String, JsonElement> shard : shards.entrySet()) {
            Set<Long> counts = new HashSet<>();
            JsonObject replicas = shard.getValue().getAsJsonObject().getAsJsonObject("replicas");
            assertEquals(2, replicas.size(), shard.getKey());
            for (Map.Entry<String, JsonElement> replica : replicas.entrySet()) {
                JsonObject r = replica.getValue().getAsJsonObject();
                String core = r.get("base_url").getAsString() + "/" + r.get("core").getAsString();
                get(core + "/update", Map.of("commit", "true"));
                counts.add(getAbsolute(core + "/select?q=kind:item&rows=0&distrib=false").getAsJsonObject("response")
                        .get("numFound").getAsLong());
            }
            assertEquals(1, counts.size(), collection + " " + shard.getKey() + "'s replicas disagree: " + counts);
            total += counts.iterator().next();
        }
        assertEquals(items, total, collection);
    }

    private static JsonObject select(String collection, Map<String, String> params) throws Exception {
        return get("/" + collection + "/select", params);
    }

    private static JsonObject get(String path, Map<String, String> params) throws Exception {
        String base = path.startsWith("http") ? "" : cluster.getJettySolrRunner(1).getBaseUrl().toString();
        return getAbsolute(base + path + "?" + SolrNodes.form(params));
    }

    private static JsonObject getAbsolute(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private static void post(String path, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.getJettySolrRunner(1).getBaseUrl()
                + path)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        if (latch == null) {
            return;
        }
        try {
            if (!latch.await(3, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the test never released the push");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep(20);
        }
    }
}
