package io.anglearn.index;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import io.anglearn.rundir.AtomicFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;

/**
 * An on-disk index of L2-normalised embeddings with their class labels and sources, searched by
 * cosine similarity: an Apache Lucene index whose vectors are a {@link KnnFloatVectorField} with
 * Lucene's HNSW graph (Malkov and Yashunin, "Efficient and robust approximate nearest neighbor
 * search using Hierarchical Navigable Small World graphs", IEEE TPAMI 2020) under the dot-product
 * similarity, which on unit vectors is the cosine. {@link #searchExact} scans every vector, for
 * comparison.
 *
 * <p>Lifecycle: {@link #create} starts a new index (or adds to an existing one), {@link #add}
 * adds items, {@link #commit} publishes them, {@link #search} finds the nearest, {@link #close}
 * ends; {@link #open} opens a published index for searching only.
 *
 * <p>Atomicity: a new index is built in a hidden folder beside its destination
 * ({@code .NAME.building-*}) and renamed into place by the first {@link #commit}; items added to an
 * existing index become visible together at the commit, which Lucene makes atomic. A build that
 * is killed therefore leaves either no index or the previous one, never a half index a search would
 * use; its hidden folder is removed by the next build of the same destination.
 *
 * <p>Integrity: every commit records the size and SHA-256 of each file of the index
 * ({@code anglearn-files.json}); {@link #open}, adding to an index and {@link #verify} check them
 * before Lucene parses any file, so a damaged file, even one whose Lucene checksum was rewritten to
 * match, is refused instead of reaching Lucene's readers (which allocate from the counts they
 * read). An index without the record is refused.
 *
 * <p>Provenance: the index records the run and checkpoint whose network produced the embeddings
 * ({@link IndexProvenance}) in Lucene's commit data, with the image sets added, and refuses
 * embeddings of other weights.
 *
 * <p>Options ({@link Builder}): the HNSW graph's maximum connections per node (default
 * {@value #DEFAULT_MAX_CONNECTIONS}, Lucene's default) and its beam width while building (default
 * {@value #DEFAULT_BEAM_WIDTH}); the candidates a search explores (default
 * {@value #DEFAULT_NUM_CANDIDATES}, at least k); the indexing buffer (default
 * {@value #DEFAULT_RAM_BUFFER_MB} MB; a larger buffer makes fewer, larger segments and graphs); the
 * threads that build the graph (default {@value #DEFAULT_BUILD_THREADS}).
 *
 * <p>Threads: {@link #add} may be called from several threads at once (not while {@link #commit}
 * or {@link #close} runs); each adding thread fills a segment of its own and inserts into that
 * segment's graph, so the graphs grow in parallel. With more than one build thread, merging
 * segments (the {@code commit(true)} that leaves one graph) inserts the smaller segments' vectors
 * into the largest one's graph on that many threads. The index is the same either way: one
 * segment, one graph of the same connections and beam width; only the insertion order differs.
 */
public final class EmbeddingIndex implements Closeable, SearchableIndex, EmbeddingSink {

    /** The format name recorded in the commit data. */
    public static final String FORMAT = "anglearn-embedding-index";
    /** The format version. */
    public static final int VERSION = 1;
    /** Default maximum HNSW connections per node. */
    public static final int DEFAULT_MAX_CONNECTIONS = 16;
    /** Default HNSW beam width while building. */
    public static final int DEFAULT_BEAM_WIDTH = 100;
    /** Default candidates explored per search. */
    public static final int DEFAULT_NUM_CANDIDATES = 100;
    /** Default indexing buffer, in MB. */
    public static final double DEFAULT_RAM_BUFFER_MB = 256;
    /** Default threads that build the HNSW graph when segments are merged. */
    public static final int DEFAULT_BUILD_THREADS = 1;
    /** The largest dimension Lucene 9 indexes. */
    public static final int MAX_DIMENSION = 1024;
    /** How far from 1 a stored vector's length (and a cosine's magnitude) may be from float rounding. */
    static final double UNIT_TOLERANCE = 1e-4;

    static final String VECTOR = "vector";
    static final String LABEL = "label";
    static final String SOURCE = "source";
    static final String ORDINAL = "ordinal";

    private static final Gson GSON = new Gson();
    private static final String BUILDING = ".building-";

    private final Path dir;
    private final IndexProvenance provenance;
    private final List<String> imageSets;
    private final int numCandidates;
    private final Builder settings;
    private Path writeDir;
    private Directory directory;
    private volatile IndexWriter writer;
    private DirectoryReader reader;
    private IndexSearcher searcher;
    private final AtomicLong nextOrdinal = new AtomicLong();
    private boolean published;
    private volatile boolean dirty;

    private EmbeddingIndex(Path dir, IndexProvenance provenance, List<String> imageSets, int numCandidates,
            Builder settings) {
        this.dir = dir;
        this.provenance = provenance;
        this.imageSets = new ArrayList<>(imageSets);
        this.numCandidates = numCandidates;
        this.settings = settings;
    }

    /** Returns a builder for a new index, or for adding to an existing one. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a published index for searching.
     *
     * @param dir the index folder
     * @return the index, read-only
     * @throws IOException if it is not a complete anglearn index; the message names the folder
     */
    public static EmbeddingIndex open(Path dir) throws IOException {
        return open(dir, DEFAULT_NUM_CANDIDATES);
    }

    /**
     * Opens a published index for searching, with a chosen number of search candidates.
     *
     * @param dir the index folder
     * @param numCandidates candidates explored per HNSW search (at least k is used)
     * @return the index, read-only
     * @throws IOException if it is not a complete anglearn index; the message names the folder
     */
    public static EmbeddingIndex open(Path dir, int numCandidates) throws IOException {
        if (numCandidates < 1) {
            throw new IllegalArgumentException("the number of search candidates must be >= 1, got " + numCandidates);
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("index " + dir + " does not exist (build it with 'anglearn index build')");
        }
        for (int attempt = 1; ; attempt++) {
            EmbeddingIndex index = openVerified(dir, numCandidates, attempt == 3);
            if (index != null) {
                return index;
            }
        }
    }

    /**
     * Checks the latest commit's files against their recorded digests, then opens it. Returns null
     * when a build published a newer commit between the check and the open (unless {@code last}),
     * so that the caller checks that one.
     */
    private static EmbeddingIndex openVerified(Path dir, int numCandidates, boolean last) throws IOException {
        String segments = IndexFileDigests.verifyLatestCommit(dir);
        Directory d = FSDirectory.open(dir);
        try {
            Map<String, String> data = commitData(d, dir);
            EmbeddingIndex index = new EmbeddingIndex(dir, provenance(data, dir), imageSets(data, dir), numCandidates,
                    null);
            index.directory = d;
            index.published = true;
            index.reader = DirectoryReader.open(d);
            if (!index.reader.getIndexCommit().getSegmentsFileName().equals(segments)) {
                index.reader.close();
                d.close();
                if (last) {
                    throw new IOException("index " + dir + " changed while being opened, three times; open it once"
                            + " 'anglearn index build' has finished");
                }
                return null;
            }
            index.searcher = new IndexSearcher(index.reader);
            index.nextOrdinal.set(index.reader.maxDoc());
            return index;
        } catch (IOException e) {
            d.close();
            throw named(dir, e);
        } catch (RuntimeException | AssertionError e) {
            d.close();
            throw damaged(dir, e);
        }
    }

    /**
     * Checks an index in full without opening it for search: every file against the size and
     * SHA-256 recorded when it was written (before Lucene reads any of it), then Lucene's own
     * consistency checks of every segment (CheckIndex), and that every stored vector is finite and
     * of unit length.
     *
     * @param dir the index folder
     * @return a line per finding; empty when the index is intact
     * @throws IOException if the index cannot be read at all (not an index, missing files)
     */
    public static List<String> verify(Path dir) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            throw new IOException("index " + dir + " does not exist (build it with 'anglearn index build')");
        }
        try {
            problems.addAll(IndexFileDigests.problems(dir));
        } catch (IOException e) {
            problems.add(String.valueOf(e.getMessage()));
        }
        if (!problems.isEmpty()) {
            return problems; // Lucene's checks would parse the damaged files
        }
        try (Directory d = FSDirectory.open(dir)) {
            commitData(d, dir);
            try (org.apache.lucene.index.CheckIndex check = new org.apache.lucene.index.CheckIndex(d)) {
                check.setDoSlowChecks(true);
                org.apache.lucene.index.CheckIndex.Status status = check.checkIndex();
                if (!status.clean) {
                    for (org.apache.lucene.index.CheckIndex.Status.SegmentInfoStatus seg : status.segmentInfos) {
                        if (seg.error != null) {
                            problems.add("segment " + seg.name + ": " + seg.error.getMessage());
                        }
                    }
                    if (problems.isEmpty()) {
                        problems.add("Lucene's CheckIndex found the index damaged");
                    }
                    return problems;
                }
            }
        }
        try (EmbeddingIndex index = open(dir)) {
            long[] bad = new long[1];
            index.forEachVector((ordinal, label, vector) -> {
                double n = 0;
                for (float x : vector) {
                    n += (double) x * x;
                }
                if (!(Math.abs(Math.sqrt(n) - 1) <= UNIT_TOLERANCE) && bad[0]++ < 10) {
                    problems.add("item " + ordinal + ": its vector has length " + Math.sqrt(n) + ", not 1");
                }
            });
            if (bad[0] > 10) {
                problems.add("... " + (bad[0] - 10) + " more vectors not of unit length");
            }
        } catch (IOException | RuntimeException | AssertionError e) {
            problems.add(String.valueOf(e.getMessage()));
        }
        return problems;
    }

    /**
     * Reads an index's provenance without opening it for search.
     *
     * @param dir the index folder
     * @return its provenance
     * @throws IOException if it is not a complete anglearn index
     */
    public static IndexProvenance readProvenance(Path dir) throws IOException {
        try (Directory d = FSDirectory.open(dir)) {
            return provenance(commitData(d, dir), dir);
        }
    }

    private static Map<String, String> commitData(Directory d, Path dir) throws IOException {
        Map<String, String> data;
        try {
            data = SegmentInfos.readLatestCommit(d).getUserData();
        } catch (IndexNotFoundException e) {
            throw new IOException(dir + " is not a complete index: it holds no Lucene commit (an interrupted build"
                    + " never renames its folder into place, so this folder was not written by 'anglearn index build')", e);
        }
        if (!FORMAT.equals(data.get("format"))) {
            throw new IOException(dir + " is a Lucene index but not an " + FORMAT + " (its commit data lacks the format)");
        }
        if (!String.valueOf(VERSION).equals(data.get("version"))) {
            throw new IOException(dir + ": index format version " + data.get("version") + ", this build reads " + VERSION);
        }
        return data;
    }

    private static IndexProvenance provenance(Map<String, String> data, Path dir) throws IOException {
        try {
            List<String> classes = GSON.fromJson(data.get("classNames"), new TypeToken<List<String>>() {}.getType());
            return new IndexProvenance(data.get("runDir"), Long.parseLong(data.get("checkpointStep")),
                    data.get("checkpointDigest"), Integer.parseInt(data.get("dimension")), classes);
        } catch (RuntimeException e) {
            throw new IOException(dir + ": the index's commit data is malformed (" + e.getMessage() + ")", e);
        }
    }

    private static List<String> imageSets(Map<String, String> data, Path dir) throws IOException {
        try {
            List<String> sets = GSON.fromJson(data.getOrDefault("imageSets", "[]"),
                    new TypeToken<List<String>>() {}.getType());
            return sets == null ? List.of() : sets;
        } catch (JsonParseException e) {
            throw new IOException(dir + ": the index's list of image sets is malformed", e);
        }
    }

    /** Returns the index folder. */
    public Path directory() {
        return dir;
    }

    /** Returns the index folder, as given. */
    @Override
    public String location() {
        return dir.toString();
    }

    /** Returns the index folder's name. */
    @Override
    public String name() {
        return String.valueOf(dir.toAbsolutePath().normalize().getFileName());
    }

    /** Returns what produced the embeddings. */
    @Override
    public IndexProvenance provenance() {
        return provenance;
    }

    /** Returns the image sets added, in order (as {@link #describeImageSet} recorded them). */
    @Override
    public List<String> imageSets() {
        return List.copyOf(imageSets);
    }

    /** Returns d, the embedding dimension. */
    public int dimension() {
        return provenance.dimension();
    }

    /**
     * Records the description of the image set whose items are being added (shown by
     * {@code anglearn index info}); stored at the next commit.
     *
     * @param description e.g. {@code split test} or a folder path
     */
    @Override
    public void describeImageSet(String description) {
        requireWriter();
        if (!imageSets.contains(description)) {
            imageSets.add(description);
        }
        dirty = true;
    }

    /**
     * Adds one item. Its embedding is L2-normalised here. Several threads may add at once.
     *
     * @param embedding d values, not all zero
     * @param label its class, or -1 for none
     * @param source where its image came from (a file path, {@code test#12})
     * @return the item's ordinal
     * @throws IOException if Lucene cannot write
     */
    @Override
    public long add(float[] embedding, int label, String source) throws IOException {
        IndexWriter w = requireWriter();
        float[] unit = unit(embedding);
        if (label < -1 || label >= provenance.classNames().size()) {
            throw new IllegalArgumentException("label " + label + " of " + source + " is not a class of the run (0.."
                    + (provenance.classNames().size() - 1) + ", or -1 for none)");
        }
        Document doc = new Document();
        doc.add(new KnnFloatVectorField(VECTOR, unit, VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new NumericDocValuesField(LABEL, label));
        doc.add(new StoredField(LABEL, label));
        doc.add(new StoredField(SOURCE, source == null ? "" : source));
        long ordinal = nextOrdinal.getAndIncrement();
        doc.add(new NumericDocValuesField(ORDINAL, ordinal));
        doc.add(new StoredField(ORDINAL, ordinal));
        // IndexWriter is thread-safe: concurrent adders fill segments of their own in parallel.
        w.addDocument(doc);
        dirty = true;
        return ordinal;
    }

    /**
     * Publishes everything added since the last commit, atomically: the first commit of a new
     * index renames its folder into place; later ones are Lucene commits.
     *
     * @param mergeToOneSegment whether to merge the index into one segment first (one HNSW graph:
     *     faster and more accurate searches, at the cost of rebuilding the graph)
     * @throws IOException if writing fails; what was published before is intact
     */
    public synchronized void commit(boolean mergeToOneSegment) throws IOException {
        requireWriter();
        if (mergeToOneSegment) {
            writer.forceMerge(1);
        }
        writer.setLiveCommitData(commitMap().entrySet());
        // Prepared, every file of the commit is on disk: record their digests before publishing it.
        writer.prepareCommit();
        IndexFileDigests.record(writeDir);
        writer.commit();
        dirty = false;
        if (!published) {
            writer.close();
            directory.close();
            writer = null;
            AtomicFiles.fsyncDirectory(writeDir);
            AtomicFiles.moveAtomically(writeDir, dir);
            AtomicFiles.fsyncDirectory(dir.toAbsolutePath().getParent());
            published = true;
            writeDir = dir;
            directory = FSDirectory.open(dir);
            writer = new IndexWriter(directory, settings.writerConfig(IndexWriterConfig.OpenMode.APPEND));
        }
        refreshReader();
    }

    private Map<String, String> commitMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", String.valueOf(VERSION));
        m.put("runDir", provenance.runDir());
        m.put("checkpointStep", String.valueOf(provenance.checkpointStep()));
        m.put("checkpointDigest", provenance.checkpointDigest());
        m.put("dimension", String.valueOf(provenance.dimension()));
        m.put("classNames", GSON.toJson(provenance.classNames()));
        JsonArray sets = new JsonArray();
        imageSets.forEach(sets::add);
        m.put("imageSets", GSON.toJson(sets));
        m.put("updated", Instant.now().toString());
        return m;
    }

    private void refreshReader() throws IOException {
        DirectoryReader fresh = reader == null ? DirectoryReader.open(directory) : DirectoryReader.openIfChanged(reader);
        if (fresh != null) {
            if (reader != null) {
                reader.close();
            }
            reader = fresh;
            searcher = new IndexSearcher(reader);
        }
    }

    /** Returns the number of published items. */
    @Override
    public synchronized int size() {
        return reader == null ? 0 : reader.numDocs();
    }

    /**
     * Returns the sources of the published items (file paths, {@code test#12}), so that a rebuild
     * can leave out images already indexed.
     *
     * @return the distinct sources
     * @throws IOException if the index cannot be read
     */
    @Override
    public synchronized Set<String> sources() throws IOException {
        Set<String> out = new HashSet<>();
        if (reader == null) {
            return out;
        }
        StoredFields stored = reader.storedFields();
        Bits live = MultiBits.getLiveDocs(reader);
        Set<String> fields = Set.of(SOURCE);
        for (int doc = 0; doc < reader.maxDoc(); doc++) {
            if (live == null || live.get(doc)) {
                out.add(stored.document(doc, fields).get(SOURCE));
            }
        }
        return out;
    }

    /**
     * Counts the published items of each class.
     *
     * @return counts by label (index = label); items without a label are counted in {@link #unlabelledCount()}
     * @throws IOException if the index cannot be read
     */
    @Override
    public synchronized int[] countsPerClass() throws IOException {
        int[] counts = new int[provenance.classNames().size()];
        forEachLabel((doc, label) -> {
            if (label >= 0 && label < counts.length) {
                counts[label]++;
            }
        });
        return counts;
    }

    /**
     * Counts the published items without a label.
     *
     * @return the count
     * @throws IOException if the index cannot be read
     */
    @Override
    public synchronized int unlabelledCount() throws IOException {
        int[] n = {0};
        forEachLabel((doc, label) -> {
            if (label < 0) {
                n[0]++;
            }
        });
        return n[0];
    }

    /** Receives one item's label. */
    private interface LabelSink {
        void accept(int globalDoc, int label);
    }

    private void forEachLabel(LabelSink sink) throws IOException {
        if (reader == null) {
            return;
        }
        for (LeafReaderContext leaf : reader.leaves()) {
            NumericDocValues labels = leaf.reader().getNumericDocValues(LABEL);
            Bits live = leaf.reader().getLiveDocs();
            if (labels == null) {
                continue;
            }
            for (int doc = labels.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = labels.nextDoc()) {
                if (live == null || live.get(doc)) {
                    sink.accept(leaf.docBase + doc, (int) labels.longValue());
                }
            }
        }
    }

    /**
     * Finds the k nearest published items by cosine similarity with the HNSW graph (approximate).
     *
     * @param query the query embedding, d values (normalised here)
     * @param k how many, at least 1
     * @return up to k hits, most similar first
     * @throws IOException if the index cannot be read
     */
    @Override
    public List<SearchHit> search(float[] query, int k) throws IOException {
        IndexSearcher s = currentSearcher(k);
        if (s == null) {
            return List.of();
        }
        float[] unit = unit(query);
        try {
            TopDocs top = s.search(new KnnFloatVectorQuery(VECTOR, unit, Math.max(k, numCandidates)),
                    Math.max(k, numCandidates));
            List<SearchHit> hits = new ArrayList<>();
            StoredFields stored = s.storedFields();
            for (int i = 0; i < Math.min(k, top.scoreDocs.length); i++) {
                ScoreDoc sd = top.scoreDocs[i];
                hits.add(hit(stored, sd.doc, sd.score));
            }
            return hits;
        } catch (IOException e) {
            throw named(dir, e);
        } catch (RuntimeException | AssertionError e) {
            throw damaged(dir, e);
        }
    }

    /**
     * Lucene's readers trust the bytes past a valid checksum: a file damaged and resealed (or
     * damaged in a way the checksum cannot see) fails with a runtime exception from inside Lucene
     * (found by fuzzing: a NullPointerException reading stored fields), or, with Java assertions
     * enabled as in tests, with one of Lucene's own assertions. It is the index's damage, reported
     * as such.
     */
    /** Lucene's own IOExceptions may not name the file (found by fuzzing: "Invalid vInt detected"). */
    private static IOException named(Path dir, IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains(dir.toString()) ? e : new IOException("index " + dir + " is damaged or unreadable: " + m, e);
    }

    private static IOException damaged(Path dir, Throwable e) {
        return new IOException("index " + dir + " is damaged: Lucene failed reading it (" + e
                + "); check it with 'anglearn index verify' and rebuild it", e);
    }

    /**
     * Finds the k nearest published items by scanning every vector (exact).
     *
     * @param query the query embedding, d values (normalised here)
     * @param k how many, at least 1
     * @return up to k hits, most similar first, ties by ordinal
     * @throws IOException if the index cannot be read
     */
    @Override
    public List<SearchHit> searchExact(float[] query, int k) throws IOException {
        IndexSearcher s = currentSearcher(k);
        if (s == null) {
            return List.of();
        }
        float[] unit = unit(query);
        try {
            return exact(s, unit, k);
        } catch (IOException e) {
            throw named(dir, e);
        } catch (RuntimeException | AssertionError e) {
            throw damaged(dir, e);
        }
    }

    private List<SearchHit> exact(IndexSearcher s, float[] unit, int k) throws IOException {
        // Worst first: lower score, then higher doc id.
        PriorityQueue<ScoreDoc> heap = new PriorityQueue<>(k + 1,
                Comparator.<ScoreDoc>comparingDouble(d -> d.score).thenComparing(d -> -d.doc));
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            LeafReader r = leaf.reader();
            FloatVectorValues values = r.getFloatVectorValues(VECTOR);
            if (values == null) {
                continue;
            }
            Bits live = r.getLiveDocs();
            for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                // The same score HNSW search reports, so both searches' similarities agree to the bit.
                float score = VectorSimilarityFunction.DOT_PRODUCT.compare(unit, values.vectorValue());
                if (heap.size() < k) {
                    heap.add(new ScoreDoc(leaf.docBase + doc, score));
                } else if (score > heap.peek().score) {
                    heap.poll();
                    heap.add(new ScoreDoc(leaf.docBase + doc, score));
                }
            }
        }
        List<ScoreDoc> best = new ArrayList<>(heap);
        best.sort(Comparator.<ScoreDoc>comparingDouble(d -> -d.score).thenComparingInt(d -> d.doc));
        StoredFields stored = s.storedFields();
        List<SearchHit> hits = new ArrayList<>();
        for (ScoreDoc d : best) {
            hits.add(hit(stored, d.doc, d.score));
        }
        return hits;
    }

    /** Receives one published item's normalised embedding. */
    @FunctionalInterface
    public interface VectorSink {
        /**
         * Accepts one item.
         *
         * @param ordinal its ordinal
         * @param label its label, or -1
         * @param unitEmbedding its L2-normalised embedding (do not keep: it may be reused)
         * @throws IOException if the receiver fails
         */
        void accept(long ordinal, int label, float[] unitEmbedding) throws IOException;
    }

    /**
     * Visits every published item's stored embedding, in index order.
     *
     * @param sink receives each item
     * @throws IOException if the index cannot be read
     */
    public void forEachVector(VectorSink sink) throws IOException {
        IndexSearcher s;
        synchronized (this) {
            s = searcher;
        }
        if (s == null) {
            return;
        }
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            LeafReader r = leaf.reader();
            FloatVectorValues values = r.getFloatVectorValues(VECTOR);
            NumericDocValues ordinals = r.getNumericDocValues(ORDINAL);
            NumericDocValues labels = r.getNumericDocValues(LABEL);
            if (values == null || ordinals == null || labels == null) {
                continue;
            }
            Bits live = r.getLiveDocs();
            for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                ordinals.advanceExact(doc);
                labels.advanceExact(doc);
                sink.accept(ordinals.longValue(), (int) labels.longValue(), values.vectorValue());
            }
        }
    }

    private synchronized IndexSearcher currentSearcher(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        return searcher;
    }

    private SearchHit hit(StoredFields stored, int doc, float score) throws IOException {
        Document d = stored.document(doc);
        // Lucene's dot-product score of unit vectors is (1 + cos) / 2. Beyond float rounding a cosine
        // outside [-1, 1] means a stored vector is not of unit length: damage, never clamped away.
        double cosine = 2.0 * score - 1.0;
        if (!(Math.abs(cosine) <= 1 + UNIT_TOLERANCE)) {
            throw new IOException("index " + dir + " is damaged: a stored vector scores cosine " + cosine
                    + ", outside [-1, 1]; check it with 'anglearn index verify' and rebuild it");
        }
        cosine = Math.max(-1.0, Math.min(1.0, cosine));
        return new SearchHit(d.getField(ORDINAL).numericValue().longValue(), d.getField(LABEL).numericValue().intValue(),
                d.get(SOURCE), cosine);
    }

    private float[] unit(float[] v) {
        return UnitVectors.of(v, provenance.dimension(), "an index");
    }

    private IndexWriter requireWriter() {
        IndexWriter w = writer;
        if (w == null) {
            throw new IllegalStateException("index " + dir + " is open for searching only");
        }
        return w;
    }

    /**
     * Closes the index. Items added since the last commit are discarded; a new index that was
     * never committed leaves nothing behind.
     */
    @Override
    public synchronized void close() throws IOException {
        IOException failure = null;
        try {
            if (writer != null) {
                writer.rollback(); // discards uncommitted additions and closes
                writer = null;
            }
        } catch (IOException e) {
            failure = e;
        }
        try {
            if (reader != null) {
                reader.close();
                reader = null;
            }
            if (directory != null) {
                directory.close();
                directory = null;
            }
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
        if (settings != null && settings.mergeExecutor != null) {
            settings.mergeExecutor.shutdownNow();
        }
        if (!published && writeDir != null) {
            AtomicFiles.deleteRecursively(writeDir);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Whether items were added or described since the last commit. */
    public synchronized boolean hasUncommittedChanges() {
        return dirty;
    }

    /**
     * Removes the hidden folders that killed builds of {@code dir} left, skipping any whose build is
     * still running (Lucene's write lock is held).
     */
    private static void removeAbandonedBuilds(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        String prefix = "." + dir.getFileName() + BUILDING;
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> s = Files.list(parent)) {
            s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p)).forEach(stale::add);
        }
        for (Path p : stale) {
            boolean abandoned;
            try (Directory d = FSDirectory.open(p); Lock lock = d.obtainLock(IndexWriter.WRITE_LOCK_NAME)) {
                abandoned = true;
            } catch (LockObtainFailedException e) {
                abandoned = false;
            }
            if (abandoned) {
                AtomicFiles.deleteRecursively(p);
            }
        }
    }

    /** Builds (creates, or opens for adding) an {@link EmbeddingIndex}; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private Path dir;
        private IndexProvenance provenance;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int beamWidth = DEFAULT_BEAM_WIDTH;
        private int numCandidates = DEFAULT_NUM_CANDIDATES;
        private double ramBufferMb = DEFAULT_RAM_BUFFER_MB;
        private int buildThreads = DEFAULT_BUILD_THREADS;
        private boolean replace;
        private ExecutorService mergeExecutor;

        /** Sets the index folder (required). A new index is created there; an existing one is added to. */
        public Builder setDirectory(Path dir) {
            this.dir = dir;
            return this;
        }

        /** Sets what produces the embeddings to be added (required). */
        public Builder setProvenance(IndexProvenance provenance) {
            this.provenance = provenance;
            return this;
        }

        /** Sets the HNSW maximum connections per node (default {@value EmbeddingIndex#DEFAULT_MAX_CONNECTIONS}). */
        public Builder optMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** Sets the HNSW beam width while building (default {@value EmbeddingIndex#DEFAULT_BEAM_WIDTH}). */
        public Builder optBeamWidth(int beamWidth) {
            this.beamWidth = beamWidth;
            return this;
        }

        /** Sets the candidates an HNSW search explores, at least k is used (default {@value EmbeddingIndex#DEFAULT_NUM_CANDIDATES}). */
        public Builder optNumCandidates(int numCandidates) {
            this.numCandidates = numCandidates;
            return this;
        }

        /** Sets the indexing buffer in MB (default {@value EmbeddingIndex#DEFAULT_RAM_BUFFER_MB}). */
        public Builder optRamBufferMb(double ramBufferMb) {
            this.ramBufferMb = ramBufferMb;
            return this;
        }

        /**
         * Sets the threads that build the HNSW graph when segments are merged (default
         * {@value EmbeddingIndex#DEFAULT_BUILD_THREADS}, at most 64). Adding from as many threads
         * builds the segments' graphs in parallel too.
         */
        public Builder optBuildThreads(int buildThreads) {
            this.buildThreads = buildThreads;
            return this;
        }

        /**
         * Sets whether an existing index in the folder is replaced rather than added to (default
         * false). The old index stays readable, unchanged, until the first {@link #commit} replaces
         * it atomically; it may hold another checkpoint's embeddings.
         */
        public Builder optReplace(boolean replace) {
            this.replace = replace;
            return this;
        }

        IndexWriterConfig writerConfig(IndexWriterConfig.OpenMode mode) {
            KnnVectorsFormat format = mergeExecutor == null ? new Lucene99HnswVectorsFormat(maxConnections, beamWidth)
                    : new Lucene99HnswVectorsFormat(maxConnections, beamWidth, buildThreads, mergeExecutor);
            IndexWriterConfig c = new IndexWriterConfig();
            c.setCodec(new Lucene912Codec() {
                @Override
                public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                    return format;
                }
            });
            c.setOpenMode(mode);
            c.setRAMBufferSizeMB(ramBufferMb);
            c.setUseCompoundFile(false);
            c.setCommitOnClose(false);
            return c;
        }

        /**
         * Validates and opens the index for adding.
         *
         * @return the index
         * @throws IOException if the folder cannot be written, holds something else, or holds an
         *     index of other weights (the message says whose)
         */
        public EmbeddingIndex build() throws IOException {
            if (dir == null || provenance == null) {
                throw new IllegalArgumentException("an embedding index needs setDirectory and setProvenance");
            }
            if (provenance.dimension() > MAX_DIMENSION) {
                throw new IllegalArgumentException("embeddings of dimension " + provenance.dimension()
                        + " cannot be indexed; Lucene's vector index holds at most " + MAX_DIMENSION);
            }
            if (maxConnections < 2 || maxConnections > 512) {
                throw new IllegalArgumentException("HNSW max connections must be in 2..512, got " + maxConnections);
            }
            if (beamWidth < 1 || beamWidth > 3200) {
                throw new IllegalArgumentException("HNSW beam width must be in 1..3200, got " + beamWidth);
            }
            if (numCandidates < 1) {
                throw new IllegalArgumentException("the number of search candidates must be >= 1, got " + numCandidates);
            }
            if (!(ramBufferMb >= 1 && ramBufferMb <= 2047)) {
                throw new IllegalArgumentException("the indexing buffer must be in 1..2047 MB, got " + ramBufferMb);
            }
            if (buildThreads < 1 || buildThreads > 64) {
                throw new IllegalArgumentException("the HNSW build threads must be in 1..64, got " + buildThreads);
            }
            Builder settings = copy();
            if (buildThreads > 1) {
                AtomicLong count = new AtomicLong();
                settings.mergeExecutor = Executors.newFixedThreadPool(buildThreads, r -> {
                    Thread t = new Thread(r, "anglearn-hnsw-merge-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            }
            try {
                return create(settings);
            } catch (IOException | RuntimeException e) {
                if (settings.mergeExecutor != null) {
                    settings.mergeExecutor.shutdownNow();
                }
                throw e;
            }
        }

        private EmbeddingIndex create(Builder settings) throws IOException {
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new IOException(dir + " is a file, not an index folder");
                }
                boolean empty;
                try (Stream<Path> s = Files.list(dir)) {
                    empty = s.findAny().isEmpty();
                }
                if (!empty) {
                    return replace ? openForReplacing(settings) : openForAdding(settings);
                }
                Files.delete(dir);
            }
            Path parent = dir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            removeAbandonedBuilds(dir);
            Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + BUILDING);
            EmbeddingIndex index = new EmbeddingIndex(dir, provenance, List.of(), numCandidates, settings);
            index.writeDir = tmp;
            try {
                index.directory = FSDirectory.open(tmp);
                index.writer = new IndexWriter(index.directory, settings.writerConfig(IndexWriterConfig.OpenMode.CREATE));
            } catch (IOException | RuntimeException e) {
                index.close();
                throw e;
            }
            return index;
        }

        private EmbeddingIndex openForAdding(Builder settings) throws IOException {
            IndexFileDigests.verifyLatestCommit(dir); // the writer and its merges read every segment
            Directory d = FSDirectory.open(dir);
            try {
                Map<String, String> data = commitData(d, dir);
                IndexProvenance existing = provenance(data, dir);
                if (!existing.sameWeights(provenance)) {
                    throw new IllegalArgumentException("index " + dir + " holds embeddings of " + existing.describe()
                            + "; these would come from " + provenance.describe()
                            + ". An index holds one checkpoint's embeddings only: build a new index with another --out");
                }
                EmbeddingIndex index = new EmbeddingIndex(dir, existing, imageSets(data, dir), numCandidates, settings);
                index.directory = d;
                index.published = true;
                index.writeDir = dir;
                try {
                    index.writer = new IndexWriter(d, settings.writerConfig(IndexWriterConfig.OpenMode.APPEND));
                } catch (LockObtainFailedException e) {
                    throw new IOException("index " + dir + " is being written by another process (its write lock is held)", e);
                }
                index.refreshReader();
                index.nextOrdinal.set(index.reader.maxDoc());
                return index;
            } catch (IOException | RuntimeException e) {
                d.close();
                throw e;
            }
        }

        private EmbeddingIndex openForReplacing(Builder settings) throws IOException {
            Directory d = FSDirectory.open(dir);
            try {
                commitData(d, dir); // refuses to overwrite a folder that is not an anglearn index
                EmbeddingIndex index = new EmbeddingIndex(dir, provenance, List.of(), numCandidates, settings);
                index.directory = d;
                index.published = true;
                index.writeDir = dir;
                try {
                    // CREATE on an existing index: readers keep the old commit until this writer's first commit.
                    index.writer = new IndexWriter(d, settings.writerConfig(IndexWriterConfig.OpenMode.CREATE));
                } catch (LockObtainFailedException e) {
                    throw new IOException("index " + dir + " is being written by another process (its write lock is held)", e);
                }
                index.dirty = true;
                return index;
            } catch (IOException | RuntimeException e) {
                d.close();
                throw e;
            }
        }

        private Builder copy() {
            Builder b = new Builder();
            b.dir = dir;
            b.provenance = provenance;
            b.maxConnections = maxConnections;
            b.beamWidth = beamWidth;
            b.numCandidates = numCandidates;
            b.ramBufferMb = ramBufferMb;
            b.buildThreads = buildThreads;
            b.replace = replace;
            return b;
        }
    }
}
