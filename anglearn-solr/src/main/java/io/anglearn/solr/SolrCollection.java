package io.anglearn.solr;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.anglearn.index.EmbeddingIndex;
import io.anglearn.index.EmbeddingSink;
import io.anglearn.index.IndexProvenance;
import io.anglearn.index.SearchHit;
import io.anglearn.index.SearchableIndex;
import io.anglearn.index.UnitVectors;
import io.anglearn.util.Digests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A trained run's embeddings in an Apache SolrCloud collection: Solr keeps them in Lucene's HNSW
 * vector index on each shard, with replicas, and answers a k-nearest search by asking every shard
 * and merging. It is the distributed counterpart of the local {@link EmbeddingIndex}: the same
 * items (L2-normalised embedding, label, source, ordinal), the same provenance (run, checkpoint
 * step, the checkpoint's SHA-256, class names, image sets) and the same cosine similarities.
 *
 * <p>Lifecycle: {@link #builder()} opens a collection for pushing, creating it when absent
 * (a configset of its own with anglearn's schema: a dense vector field of the run's dimension under
 * the dot product, which on unit vectors is the cosine, and the HNSW parameters); {@link #add}
 * queues items and sends them in batches; {@link #commit} sends the rest and makes them
 * searchable. {@link #open} opens an existing collection for searching.
 *
 * <p>Pushing again: every item's document id is the SHA-256 of the checkpoint's digest and the
 * item's source, so an image sent twice (a push killed and rerun) is one document, replaced.
 * Before adding, a push commits what the cluster already received, so that {@link #sources} sees
 * it and the images already there are not embedded again.
 *
 * <p>Refusals, before anything in the cluster changes: a collection whose schema has no dense
 * vector field {@code vector} (not made by anglearn), of another dimension or similarity, or
 * whose description names other weights (another checkpoint's SHA-256).
 *
 * <p>Back-pressure: {@link #add} sends a full batch before it returns, so the embedding waits for
 * the cluster; a node that cannot take a batch now (unreachable, 503 while a shard elects a new
 * leader, 429) is retried on the other live nodes, with growing waits, for the retry time
 * ({@link SolrNodes}).
 *
 * <p>One push at a time per collection: two concurrent pushes could give two items the same ordinal.
 *
 * <p>Options ({@link Builder}): shards and replicas per shard of a new collection (default
 * {@value #DEFAULT_SHARDS} and {@value #DEFAULT_REPLICAS}); HNSW maximum connections and beam width
 * (defaults as the local index's); documents per update request (default
 * {@value #DEFAULT_BATCH_SIZE}); search candidates per shard (default
 * {@value EmbeddingIndex#DEFAULT_NUM_CANDIDATES}, at least k); how long an unanswered request is
 * retried (default {@value #DEFAULT_RETRY_SECONDS} s).
 */
public final class SolrCollection implements SearchableIndex, EmbeddingSink {

    /** The format name in the collection's description document (the local index's). */
    public static final String FORMAT = EmbeddingIndex.FORMAT;
    /** The format version. */
    public static final int VERSION = 1;
    /** The id of the document that describes the collection. */
    public static final String DESCRIPTION_ID = "anglearn-index";
    /** The schema's name in a configset anglearn writes. */
    public static final String SCHEMA_NAME = "anglearn-embedding-index";
    /** Default documents per update request. */
    public static final int DEFAULT_BATCH_SIZE = 500;
    /** Default shards of a new collection. */
    public static final int DEFAULT_SHARDS = 1;
    /** Default replicas of each shard of a new collection. */
    public static final int DEFAULT_REPLICAS = 1;
    /** Default time a request is retried on the live nodes before it fails, in seconds. */
    public static final int DEFAULT_RETRY_SECONDS = 60;

    static final String VECTOR = "vector";
    private static final String KIND = "kind";
    private static final String ITEM = "item";
    private static final String DESCRIPTION = "description";
    /** Fields every item has; a schema without them was not written by anglearn. */
    private static final List<String> ITEM_FIELDS = List.of(KIND, "label", "source", "ordinal", "checkpoint");
    /** How far from 1 a cosine may stray from float rounding before it means a damaged vector. */
    private static final double UNIT_TOLERANCE = 1e-4;
    /** Collection creation waits for every replica to be active: minutes on a busy cluster. */
    private static final Duration ADMIN_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration NO_RETRY = Duration.ZERO;

    private final SolrLocation location;
    private final SolrNodes nodes;
    private final IndexProvenance provenance;
    private final int numCandidates;
    private final int batchSize;
    private final Duration retryFor;
    private final boolean created;
    private final List<JsonObject> pending = new ArrayList<>();
    private final List<String> newImageSets = new ArrayList<>();
    private final AtomicLong nextOrdinal = new AtomicLong();

    private SolrCollection(SolrLocation location, SolrNodes nodes, IndexProvenance provenance, int numCandidates,
            int batchSize, Duration retryFor, boolean created) {
        this.location = location;
        this.nodes = nodes;
        this.provenance = provenance;
        this.numCandidates = numCandidates;
        this.batchSize = batchSize;
        this.retryFor = retryFor;
        this.created = created;
    }

    /** Returns a builder that opens (or creates) a collection for pushing. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens an existing collection for searching.
     *
     * @param url {@code http(s)://HOST:PORT/solr/COLLECTION}
     * @param numCandidates candidates each shard's HNSW search explores (at least k is used)
     * @return the collection
     * @throws IOException if Solr cannot be reached, or the collection is absent or not anglearn's;
     *     the message names the URL
     */
    public static SolrCollection open(String url, int numCandidates) throws IOException {
        if (numCandidates < 1) {
            throw new IllegalArgumentException("the number of search candidates must be >= 1, got " + numCandidates);
        }
        SolrLocation loc = SolrLocation.parse(url);
        SolrNodes nodes = new SolrNodes(loc, Duration.ofSeconds(30));
        if (!exists(nodes, loc)) {
            throw new IOException("Solr at " + loc.base() + " has no collection '" + loc.collection()
                    + "' (create it with 'anglearn index push --to " + loc.url() + "')");
        }
        discoverNodes(nodes, loc);
        Duration retry = Duration.ofSeconds(DEFAULT_RETRY_SECONDS);
        checkSchema(nodes, loc, 0, retry);
        JsonObject d = description(nodes, loc, retry);
        if (d == null) {
            throw new IOException("collection " + loc.url() + " has anglearn's schema but no description document ('"
                    + DESCRIPTION_ID + "'): its first push never started; push to it with 'anglearn index push'");
        }
        return new SolrCollection(loc, nodes, provenance(d, loc), numCandidates, DEFAULT_BATCH_SIZE, retry, false);
    }

    /** Whether the cluster has the collection; the first request, so an unreachable URL fails at once. */
    private static boolean exists(SolrNodes nodes, SolrLocation loc) throws IOException {
        JsonObject list;
        try {
            list = nodes.get("/admin/collections", Map.of("action", "LIST", "wt", "json"), NO_RETRY);
        } catch (SolrNodes.SolrError e) {
            if (e.getMessage().contains("not running in SolrCloud mode")) {
                throw new IOException("Solr at " + loc.base() + " is not running in SolrCloud mode, which anglearn's"
                        + " collections need (start it with 'bin/solr start -c')", e);
            }
            throw new IOException("Solr at " + loc.base() + " refused to list its collections: " + e.getMessage(), e);
        }
        if (!list.has("collections") || !list.get("collections").isJsonArray()) {
            throw new IOException(loc.base() + " answered, but not as a SolrCloud node (no list of collections)");
        }
        for (JsonElement c : list.getAsJsonArray("collections")) {
            if (c.getAsString().equals(loc.collection())) {
                return true;
            }
        }
        return false;
    }

    /** Adds the cluster's live nodes to those a failed request is retried on. */
    private static void discoverNodes(SolrNodes nodes, SolrLocation loc) throws IOException {
        JsonObject status = clusterStatus(nodes, loc, Duration.ofSeconds(DEFAULT_RETRY_SECONDS));
        JsonObject cluster = status.getAsJsonObject("cluster");
        if (cluster != null && cluster.has("live_nodes")) {
            nodes.addLiveNodes(cluster.getAsJsonArray("live_nodes"));
        }
    }

    private static JsonObject clusterStatus(SolrNodes nodes, SolrLocation loc, Duration retry) throws IOException {
        return nodes.get("/admin/collections", Map.of("action", "CLUSTERSTATUS", "collection", loc.collection(),
                "wt", "json"), retry);
    }

    /**
     * Checks that the collection's schema is anglearn's: a dense vector field {@value #VECTOR} under
     * the dot product or cosine, of the given dimension (0: any), and the item fields.
     *
     * @return the vector field's dimension
     */
    private static int checkSchema(SolrNodes nodes, SolrLocation loc, int dimension, Duration retry)
            throws IOException {
        JsonObject schema = nodes.get("/" + loc.collection() + "/schema", Map.of("wt", "json"), retry)
                .getAsJsonObject("schema");
        String notOurs = "; it was not created by 'anglearn index push': push to a new collection name, which is"
                + " created with the right schema";
        Map<String, JsonObject> fields = byName(schema.getAsJsonArray("fields"));
        Map<String, JsonObject> types = byName(schema.getAsJsonArray("fieldTypes"));
        JsonObject vector = fields.get(VECTOR);
        JsonObject type = vector == null ? null : types.get(vector.get("type").getAsString());
        if (type == null || !type.get("class").getAsString().endsWith("DenseVectorField")) {
            throw new IOException("collection " + loc.url() + " has no dense vector field '" + VECTOR
                    + "' (class solr.DenseVectorField) in its schema" + notOurs);
        }
        for (String f : ITEM_FIELDS) {
            if (!fields.containsKey(f)) {
                throw new IOException("collection " + loc.url() + " has a field '" + VECTOR + "' but no field '" + f
                        + "' in its schema" + notOurs);
            }
        }
        String similarity = type.has("similarityFunction") ? type.get("similarityFunction").getAsString() : "euclidean";
        if (!similarity.equalsIgnoreCase("dot_product") && !similarity.equalsIgnoreCase("cosine")) {
            throw new IOException("collection " + loc.url() + " compares vectors by " + similarity
                    + "; anglearn's cosine search needs dot_product or cosine" + notOurs);
        }
        int dim;
        try {
            dim = Integer.parseInt(type.get("vectorDimension").getAsString());
        } catch (RuntimeException e) {
            throw new IOException("collection " + loc.url() + ": its vector field has no readable vectorDimension", e);
        }
        if (dimension > 0 && dim != dimension) {
            throw new IOException("collection " + loc.url() + " holds vectors of dimension " + dim
                    + "; the run's embeddings have dimension " + dimension + ": push to another collection");
        }
        return dim;
    }

    private static Map<String, JsonObject> byName(JsonArray a) {
        Map<String, JsonObject> m = new LinkedHashMap<>();
        if (a != null) {
            for (JsonElement e : a) {
                JsonObject o = e.getAsJsonObject();
                m.put(o.get("name").getAsString(), o);
            }
        }
        return m;
    }

    /** The collection's description document (real-time get: sees what is sent but not yet committed), or null. */
    private static JsonObject description(SolrNodes nodes, SolrLocation loc, Duration retry) throws IOException {
        JsonObject r = nodes.get("/" + loc.collection() + "/get", Map.of("id", DESCRIPTION_ID, "wt", "json"), retry);
        JsonElement d = r.get("doc");
        return d == null || d.isJsonNull() ? null : d.getAsJsonObject();
    }

    private static IndexProvenance provenance(JsonObject d, SolrLocation loc) throws IOException {
        if (!FORMAT.equals(string(d, "format"))) {
            throw new IOException("collection " + loc.url() + ": its description document is not an " + FORMAT);
        }
        if (!String.valueOf(VERSION).equals(string(d, "version"))) {
            throw new IOException("collection " + loc.url() + ": format version " + string(d, "version")
                    + ", this build reads " + VERSION);
        }
        try {
            List<String> classes = new ArrayList<>();
            for (JsonElement e : d.getAsJsonArray("classNames")) {
                classes.add(e.getAsString());
            }
            return new IndexProvenance(string(d, "runDir"), Long.parseLong(string(d, "checkpointStep")),
                    string(d, "checkpoint"), Integer.parseInt(string(d, "dimension")), classes);
        } catch (RuntimeException e) {
            throw new IOException("collection " + loc.url() + ": its description document is malformed ("
                    + e.getMessage() + ")", e);
        }
    }

    private static String string(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e != null && e.isJsonArray()) {
            e = e.getAsJsonArray().isEmpty() ? null : e.getAsJsonArray().get(0);
        }
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    @Override
    public String location() {
        return location.url();
    }

    @Override
    public String name() {
        return location.collection();
    }

    /** Returns the collection's URL, without credentials. */
    public SolrLocation solrLocation() {
        return location;
    }

    @Override
    public IndexProvenance provenance() {
        return provenance;
    }

    /** Returns d, the embedding dimension. */
    public int dimension() {
        return provenance.dimension();
    }

    /** Whether {@link Builder#build} created the collection. */
    public boolean created() {
        return created;
    }

    /** How the collection lies on the cluster. */
    public record Layout(int shards, int replicas, int activeReplicas, List<String> liveNodes) {

        /** Copies the list. */
        public Layout {
            liveNodes = List.copyOf(liveNodes);
        }
    }

    /**
     * Describes where the collection lies: its shards, their replicas and how many are active, and
     * the cluster's live nodes.
     *
     * @return the layout
     * @throws IOException if the cluster cannot be asked
     */
    public Layout layout() throws IOException {
        JsonObject cluster = clusterStatus(nodes, location, retryFor).getAsJsonObject("cluster");
        JsonObject shards = cluster.getAsJsonObject("collections").getAsJsonObject(location.collection())
                .getAsJsonObject("shards");
        int replicas = 0;
        int active = 0;
        for (Map.Entry<String, JsonElement> s : shards.entrySet()) {
            for (Map.Entry<String, JsonElement> r : s.getValue().getAsJsonObject().getAsJsonObject("replicas").entrySet()) {
                replicas++;
                if ("active".equals(r.getValue().getAsJsonObject().get("state").getAsString())) {
                    active++;
                }
            }
        }
        List<String> live = new ArrayList<>();
        cluster.getAsJsonArray("live_nodes").forEach(e -> live.add(e.getAsString()));
        return new Layout(shards.size(), replicas, active, live);
    }

    @Override
    public int size() throws IOException {
        JsonObject r = select(Map.of("q", KIND + ":" + ITEM, "rows", "0"));
        return (int) Math.min(Integer.MAX_VALUE, r.getAsJsonObject("response").get("numFound").getAsLong());
    }

    @Override
    public List<String> imageSets() throws IOException {
        JsonObject d = description(nodes, location, retryFor);
        List<String> out = new ArrayList<>();
        if (d != null && d.has("imageSets")) {
            d.getAsJsonArray("imageSets").forEach(e -> out.add(e.getAsString()));
        }
        return out;
    }

    @Override
    public int[] countsPerClass() throws IOException {
        int[] counts = new int[provenance.classNames().size()];
        labelCounts((label, n) -> {
            if (label >= 0 && label < counts.length) {
                counts[label] += n;
            }
        });
        return counts;
    }

    @Override
    public int unlabelledCount() throws IOException {
        int[] n = {0};
        labelCounts((label, count) -> {
            if (label < 0) {
                n[0] += count;
            }
        });
        return n[0];
    }

    private interface LabelCount {
        void accept(int label, int count);
    }

    private void labelCounts(LabelCount sink) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("q", KIND + ":" + ITEM);
        p.put("rows", "0");
        p.put("facet", "true");
        p.put("facet.field", "label");
        p.put("facet.limit", "-1");
        p.put("facet.mincount", "1");
        JsonArray a = select(p).getAsJsonObject("facet_counts").getAsJsonObject("facet_fields").getAsJsonArray("label");
        for (int i = 0; i + 1 < a.size(); i += 2) {
            sink.accept(Integer.parseInt(a.get(i).getAsString()), a.get(i + 1).getAsInt());
        }
    }

    private JsonObject select(Map<String, String> params) throws IOException {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put("wt", "json");
        return nodes.postForm("/" + location.collection() + "/select", p, retryFor);
    }

    @Override
    public List<SearchHit> search(float[] query, int k) throws IOException {
        checkK(k);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("q", "{!knn f=" + VECTOR + " topK=" + Math.max(k, numCandidates) + "}" + vectorText(unit(query)));
        p.put("rows", String.valueOf(k));
        p.put("fl", "ordinal,label,source,score");
        return hits(select(p));
    }

    @Override
    public List<SearchHit> searchExact(float[] query, int k) throws IOException {
        checkK(k);
        Map<String, String> p = new LinkedHashMap<>();
        // Solr's vectorSimilarity function scores every item with the similarity the HNSW search uses.
        p.put("q", "{!func}vectorSimilarity(FLOAT32,DOT_PRODUCT," + VECTOR + "," + vectorText(unit(query)) + ")");
        p.put("fq", KIND + ":" + ITEM);
        p.put("sort", "score desc,ordinal asc");
        p.put("rows", String.valueOf(k));
        p.put("fl", "ordinal,label,source,score");
        return hits(select(p));
    }

    private static void checkK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
    }

    private List<SearchHit> hits(JsonObject r) throws IOException {
        List<SearchHit> hits = new ArrayList<>();
        for (JsonElement e : r.getAsJsonObject("response").getAsJsonArray("docs")) {
            JsonObject d = e.getAsJsonObject();
            // Lucene's dot-product score of unit vectors is (1 + cos) / 2, as in the local index.
            double cosine = 2.0 * d.get("score").getAsDouble() - 1.0;
            if (!(Math.abs(cosine) <= 1 + UNIT_TOLERANCE)) {
                throw new IOException("collection " + location.url() + " scores an item with cosine " + cosine
                        + ", outside [-1, 1]: a stored vector is not of unit length (not pushed by anglearn?)");
            }
            hits.add(new SearchHit(d.get("ordinal").getAsLong(), d.get("label").getAsInt(), d.get("source").getAsString(),
                    Math.max(-1.0, Math.min(1.0, cosine))));
        }
        return hits;
    }

    /** A vector as Solr's knn parser reads it: {@code [0.1,-0.25,...]}, each float exactly. */
    private static String vectorText(float[] v) {
        StringBuilder b = new StringBuilder(v.length * 12).append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(v[i]);
        }
        return b.append(']').toString();
    }

    private float[] unit(float[] v) {
        return UnitVectors.of(v, provenance.dimension(), "a collection");
    }

    @Override
    public Set<String> sources() throws IOException {
        Set<String> out = new HashSet<>();
        String cursor = "*";
        while (true) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("q", KIND + ":" + ITEM);
            p.put("fl", "source");
            p.put("sort", "id asc");
            p.put("rows", "10000");
            p.put("cursorMark", cursor);
            JsonObject r = select(p);
            for (JsonElement e : r.getAsJsonObject("response").getAsJsonArray("docs")) {
                out.add(e.getAsJsonObject().get("source").getAsString());
            }
            String next = r.get("nextCursorMark").getAsString();
            if (next.equals(cursor)) {
                return out;
            }
            cursor = next;
        }
    }

    @Override
    public synchronized void describeImageSet(String description) {
        if (!newImageSets.contains(description)) {
            newImageSets.add(description);
        }
    }

    /**
     * The document id of an item: the SHA-256 of the checkpoint's digest and the item's source, so
     * that pushing the same image with the same weights again replaces its document.
     *
     * @param checkpointDigest the checkpoint's SHA-256
     * @param source the item's source
     * @return 64 hex digits
     */
    public static String documentId(String checkpointDigest, String source) {
        return Digests.sha256Hex((checkpointDigest + "\n" + source).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Queues one item; when a batch is full it is sent before this returns (back-pressure). An
     * item whose source the collection already holds replaces it.
     */
    @Override
    public synchronized long add(float[] embedding, int label, String source) throws IOException {
        float[] unit = unit(embedding);
        if (label < -1 || label >= provenance.classNames().size()) {
            throw new IllegalArgumentException("label " + label + " of " + source + " is not a class of the run (0.."
                    + (provenance.classNames().size() - 1) + ", or -1 for none)");
        }
        String src = source == null ? "" : source;
        long ordinal = nextOrdinal.getAndIncrement();
        JsonObject d = new JsonObject();
        d.addProperty("id", documentId(provenance.checkpointDigest(), src));
        d.addProperty(KIND, ITEM);
        JsonArray v = new JsonArray(unit.length);
        for (float x : unit) {
            v.add(x);
        }
        d.add(VECTOR, v);
        d.addProperty("label", label);
        d.addProperty("source", src);
        d.addProperty("ordinal", ordinal);
        d.addProperty("checkpoint", provenance.checkpointDigest());
        pending.add(d);
        if (pending.size() >= batchSize) {
            flush();
        }
        return ordinal;
    }

    /**
     * Sends the queued items (without making them searchable yet).
     *
     * @throws IOException if the cluster does not take them within the retry time; they stay queued
     */
    public synchronized void flush() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        JsonArray batch = new JsonArray(pending.size());
        pending.forEach(batch::add);
        update(batch, Map.of());
        pending.clear();
    }

    private void update(JsonElement body, Map<String, String> params) throws IOException {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put("wt", "json");
        nodes.post("/" + location.collection() + "/update", p, "application/json",
                body.toString().getBytes(StandardCharsets.UTF_8), retryFor);
    }

    /**
     * Sends the queued items, records the image sets added in the description document, and
     * commits: everything sent becomes searchable on every replica.
     *
     * @throws IOException if the cluster does not take them within the retry time
     */
    public synchronized void commit() throws IOException {
        flush();
        JsonObject d = new JsonObject();
        d.addProperty("id", DESCRIPTION_ID);
        if (!newImageSets.isEmpty()) {
            JsonObject add = new JsonObject();
            JsonArray sets = new JsonArray();
            newImageSets.forEach(sets::add);
            add.add("add-distinct", sets);
            d.add("imageSets", add);
        }
        JsonObject set = new JsonObject();
        set.addProperty("set", Instant.now().toString());
        d.add("updated", set);
        JsonArray body = new JsonArray();
        body.add(d);
        update(body, Map.of("commit", "true"));
        newImageSets.clear();
    }

    /** Drops the items not sent yet; what was sent stays in the cluster (a rerun of the push completes it). */
    @Override
    public synchronized void close() {
        pending.clear();
    }

    /** Opens a collection for pushing, creating it when absent; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private String url;
        private IndexProvenance provenance;
        private int shards = DEFAULT_SHARDS;
        private int replicas = DEFAULT_REPLICAS;
        private int maxConnections = EmbeddingIndex.DEFAULT_MAX_CONNECTIONS;
        private int beamWidth = EmbeddingIndex.DEFAULT_BEAM_WIDTH;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int numCandidates = EmbeddingIndex.DEFAULT_NUM_CANDIDATES;
        private int retrySeconds = DEFAULT_RETRY_SECONDS;

        private Builder() {}

        /** Sets the collection's URL, {@code http(s)://HOST:PORT/solr/COLLECTION} (required). */
        public Builder setUrl(String url) {
            this.url = url;
            return this;
        }

        /** Sets what produces the embeddings to be pushed (required). */
        public Builder setProvenance(IndexProvenance provenance) {
            this.provenance = provenance;
            return this;
        }

        /** Sets the shards of a new collection (default {@value SolrCollection#DEFAULT_SHARDS}). */
        public Builder optShards(int shards) {
            this.shards = shards;
            return this;
        }

        /** Sets the replicas of each shard of a new collection (default {@value SolrCollection#DEFAULT_REPLICAS}). */
        public Builder optReplicas(int replicas) {
            this.replicas = replicas;
            return this;
        }

        /** Sets the HNSW maximum connections per node of a new collection (default {@value EmbeddingIndex#DEFAULT_MAX_CONNECTIONS}). */
        public Builder optMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** Sets the HNSW beam width of a new collection (default {@value EmbeddingIndex#DEFAULT_BEAM_WIDTH}). */
        public Builder optBeamWidth(int beamWidth) {
            this.beamWidth = beamWidth;
            return this;
        }

        /** Sets the documents sent per update request (default {@value SolrCollection#DEFAULT_BATCH_SIZE}). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Sets the candidates each shard's HNSW search explores, at least k is used (default {@value EmbeddingIndex#DEFAULT_NUM_CANDIDATES}). */
        public Builder optNumCandidates(int numCandidates) {
            this.numCandidates = numCandidates;
            return this;
        }

        /** Sets how long a request is retried on the live nodes before it fails (default {@value SolrCollection#DEFAULT_RETRY_SECONDS} s). */
        public Builder optRetrySeconds(int retrySeconds) {
            this.retrySeconds = retrySeconds;
            return this;
        }

        /**
         * Validates the options, checks an existing collection or creates it, and opens it for pushing.
         * Nothing in the cluster changes when the options or the collection are refused.
         *
         * @return the collection
         * @throws IOException if Solr cannot be reached, refuses the collection's creation, or holds a
         *     collection that is not this run's (the message says why)
         */
        public SolrCollection build() throws IOException {
            if (url == null || provenance == null) {
                throw new IllegalArgumentException("a Solr collection needs setUrl and setProvenance");
            }
            if (provenance.dimension() > EmbeddingIndex.MAX_DIMENSION) {
                throw new IllegalArgumentException("embeddings of dimension " + provenance.dimension()
                        + " cannot be indexed; Lucene's vector index holds at most " + EmbeddingIndex.MAX_DIMENSION);
            }
            if (shards < 1 || shards > 1024) {
                throw new IllegalArgumentException("--shards must be in 1..1024, got " + shards);
            }
            if (replicas < 1 || replicas > 64) {
                throw new IllegalArgumentException("--replicas must be in 1..64, got " + replicas);
            }
            if (maxConnections < 2 || maxConnections > 512) {
                throw new IllegalArgumentException("HNSW max connections must be in 2..512, got " + maxConnections);
            }
            if (beamWidth < 1 || beamWidth > 3200) {
                throw new IllegalArgumentException("HNSW beam width must be in 1..3200, got " + beamWidth);
            }
            if (batchSize < 1 || batchSize > 100_000) {
                throw new IllegalArgumentException("the push batch must be 1..100000 documents, got " + batchSize);
            }
            if (numCandidates < 1) {
                throw new IllegalArgumentException("the number of search candidates must be >= 1, got " + numCandidates);
            }
            if (retrySeconds < 0 || retrySeconds > 86_400) {
                throw new IllegalArgumentException("the retry time must be 0..86400 s, got " + retrySeconds);
            }
            SolrLocation loc = SolrLocation.parse(url);
            SolrNodes nodes = new SolrNodes(loc, Duration.ofSeconds(60));
            Duration retry = Duration.ofSeconds(retrySeconds);
            boolean create = !exists(nodes, loc);
            JsonObject description = null;
            if (create) {
                createCollection(nodes, loc);
            } else {
                // Every check before the first change: a refused collection is left as it was.
                checkSchema(nodes, loc, provenance.dimension(), retry);
                description = description(nodes, loc, retry);
                if (description != null) {
                    IndexProvenance existing = provenance(description, loc);
                    if (!existing.sameWeights(provenance)) {
                        throw new IOException("collection " + loc.url() + " holds embeddings of " + existing.describe()
                                + "; these would come from " + provenance.describe() + ". A collection holds one"
                                + " checkpoint's embeddings only: push to another collection");
                    }
                } else if (count(nodes, loc, retry) > 0) {
                    throw new IOException("collection " + loc.url() + " holds documents but no description document ('"
                            + DESCRIPTION_ID + "'), so the weights of its embeddings are unknown: push to another collection");
                }
            }
            discoverNodes(nodes, loc);
            IndexProvenance recorded = description == null ? provenance : provenance(description, loc);
            if (description == null) {
                writeDescription(nodes, loc, retry);
            }
            SolrCollection c = new SolrCollection(loc, nodes, recorded, numCandidates, batchSize, retry, create);
            // Make everything the cluster has received searchable, so that sources() sees it and the
            // ordinals continue after the largest one.
            c.update(new JsonArray(), Map.of("commit", "true"));
            c.nextOrdinal.set(c.largestOrdinal() + 1);
            return c;
        }

        private static long count(SolrNodes nodes, SolrLocation loc, Duration retry) throws IOException {
            JsonObject r = nodes.postForm("/" + loc.collection() + "/select", Map.of("q", "*:*", "rows", "0", "wt",
                    "json"), retry);
            return r.getAsJsonObject("response").get("numFound").getAsLong();
        }

        private void createCollection(SolrNodes nodes, SolrLocation loc) throws IOException {
            String configSet = "anglearn-" + loc.collection();
            Map<String, String> upload = new LinkedHashMap<>();
            upload.put("action", "UPLOAD");
            upload.put("name", configSet);
            upload.put("overwrite", "true");
            upload.put("wt", "json");
            try {
                nodes.post("/admin/configs", upload, "application/octet-stream", configSetZip(), NO_RETRY);
            } catch (SolrNodes.SolrError e) {
                throw new IOException("Solr at " + loc.base() + " refused anglearn's configset '" + configSet + "': "
                        + e.getMessage(), e);
            }
            Map<String, String> p = new LinkedHashMap<>();
            p.put("action", "CREATE");
            p.put("name", loc.collection());
            p.put("numShards", String.valueOf(shards));
            p.put("replicationFactor", String.valueOf(replicas));
            p.put("collection.configName", configSet);
            p.put("waitForFinalState", "true");
            p.put("wt", "json");
            SolrNodes admin = new SolrNodes(loc, ADMIN_TIMEOUT);
            try {
                JsonObject r = admin.get("/admin/collections", p, NO_RETRY);
                if (r.has("failure")) {
                    throw new IOException("Solr could not create every replica: " + r.get("failure"));
                }
            } catch (IOException e) {
                // Leave no half-made collection or orphaned configset behind.
                try {
                    admin.get("/admin/collections", Map.of("action", "DELETE", "name", loc.collection(), "wt", "json"),
                            NO_RETRY);
                } catch (IOException ignored) {
                    // it was never created
                }
                try {
                    admin.get("/admin/configs", Map.of("action", "DELETE", "name", configSet, "wt", "json"), NO_RETRY);
                } catch (IOException ignored) {
                    // nothing to remove
                }
                throw new IOException("Solr at " + loc.base() + " could not create collection '" + loc.collection()
                        + "' (" + shards + " shards x " + replicas + " replicas): " + e.getMessage(), e);
            }
        }

        /** The configset: anglearn's solrconfig.xml, and its schema with this run's dimension and HNSW parameters. */
        private byte[] configSetZip() throws IOException {
            String schema = resource("schema.xml").replace("@DIMENSION@", String.valueOf(provenance.dimension()))
                    .replace("@MAX_CONNECTIONS@", String.valueOf(maxConnections))
                    .replace("@BEAM_WIDTH@", String.valueOf(beamWidth));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.putNextEntry(new ZipEntry("solrconfig.xml"));
                zip.write(resource("solrconfig.xml").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry("schema.xml"));
                zip.write(schema.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            return bytes.toByteArray();
        }

        private void writeDescription(SolrNodes nodes, SolrLocation loc, Duration retry) throws IOException {
            JsonObject d = new JsonObject();
            d.addProperty("id", DESCRIPTION_ID);
            d.addProperty(KIND, DESCRIPTION);
            d.addProperty("format", FORMAT);
            d.addProperty("version", VERSION);
            d.addProperty("runDir", provenance.runDir());
            d.addProperty("checkpointStep", provenance.checkpointStep());
            d.addProperty("checkpoint", provenance.checkpointDigest());
            d.addProperty("dimension", provenance.dimension());
            JsonArray classes = new JsonArray();
            provenance.classNames().forEach(classes::add);
            d.add("classNames", classes);
            d.add("imageSets", new JsonArray());
            d.addProperty("updated", Instant.now().toString());
            JsonArray body = new JsonArray();
            body.add(d);
            nodes.post("/" + loc.collection() + "/update", Map.of("commit", "true", "wt", "json"), "application/json",
                    body.toString().getBytes(StandardCharsets.UTF_8), retry);
        }
    }

    private long largestOrdinal() throws IOException {
        JsonObject r = select(Map.of("q", KIND + ":" + ITEM, "rows", "1", "fl", "ordinal", "sort", "ordinal desc"));
        JsonArray docs = r.getAsJsonObject("response").getAsJsonArray("docs");
        return docs.isEmpty() ? -1 : docs.get(0).getAsJsonObject().get("ordinal").getAsLong();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = SolrCollection.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("anglearn-solr's resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
