package io.anglearn.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.metrics.RetrievalMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Lucene-backed index: exact and HNSW search, provenance, atomic builds, refusal to mix weights. */
class EmbeddingIndexTest {

    private static final int DIM = 8;
    private static final List<String> CLASSES = List.of("a", "b", "c");
    private static final IndexProvenance RUN_A = new IndexProvenance("/runs/a", 40, "aa".repeat(32), DIM, CLASSES);
    private static final IndexProvenance RUN_B = new IndexProvenance("/runs/b", 40, "bb".repeat(32), DIM, CLASSES);

    /** n vectors around three class directions, with labels i % 3. */
    private static float[][] clustered(int n, long seed) {
        Random r = new Random(seed);
        float[][] v = new float[n][DIM];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < DIM; k++) {
                v[i][k] = (float) (r.nextGaussian() * 0.6 + (k == i % 3 ? 2 : 0));
            }
        }
        return v;
    }

    private static EmbeddingIndex build(Path dir, float[][] v, IndexProvenance p) throws IOException {
        EmbeddingIndex index = EmbeddingIndex.builder().setDirectory(dir).setProvenance(p).build();
        index.describeImageSet("split test");
        for (int i = 0; i < v.length; i++) {
            index.add(v[i], i % 3, "test#" + i);
        }
        index.commit(true);
        return index;
    }

    private static double cosine(float[] a, float[] b) {
        double d = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return d / Math.sqrt(na * nb);
    }

    @Test
    void exactSearchRanksByCosineAndHnswFindsTheSame(@TempDir Path tmp) throws Exception {
        float[][] v = clustered(600, 1);
        build(tmp.resolve("idx"), v, RUN_A).close();
        try (EmbeddingIndex index = EmbeddingIndex.open(tmp.resolve("idx"))) {
            assertEquals(600, index.size());
            assertEquals(RUN_A, index.provenance());
            assertEquals(List.of("split test"), index.imageSets());
            assertArrayEquals(new int[] {200, 200, 200}, index.countsPerClass());
            float[][] queries = clustered(20, 2);
            for (float[] q : queries) {
                Integer[] order = new Integer[v.length];
                for (int i = 0; i < v.length; i++) {
                    order[i] = i;
                }
                java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -cosine(q, v[i])));
                List<SearchHit> exact = index.searchExact(q, 10);
                List<SearchHit> hnsw = index.search(q, 10);
                assertEquals(10, exact.size());
                for (int i = 0; i < 10; i++) {
                    SearchHit h = exact.get(i);
                    assertEquals((long) order[i], h.ordinal());
                    assertEquals(cosine(q, v[order[i]]), h.cosine(), 1e-6);
                    assertEquals(order[i] % 3, h.label());
                    assertEquals("test#" + order[i], h.source());
                    assertEquals(Math.toDegrees(Math.acos(h.cosine())), h.angleDegrees(), 1e-9);
                    // 600 vectors and 100 candidates: the graph search is exhaustive enough to agree exactly.
                    assertEquals(h.ordinal(), hnsw.get(i).ordinal());
                    assertEquals(h.cosine(), hnsw.get(i).cosine(), 1e-12);
                }
            }
            // A stored vector finds itself first.
            List<SearchHit> self = index.search(v[17], 1);
            assertEquals(17, self.get(0).ordinal());
            assertEquals(1.0, self.get(0).cosine(), 1e-6);
        }
    }

    @Test
    void concurrentAddsAndMergeThreadsBuildTheSameSearchableIndex(@TempDir Path tmp) throws Exception {
        float[][] v = clustered(2000, 5);
        long[] ordinalOf = new long[v.length];
        try (EmbeddingIndex index = EmbeddingIndex.builder().setDirectory(tmp.resolve("idx")).setProvenance(RUN_A)
                .optBuildThreads(2).optRamBufferMb(1).build()) {
            List<Thread> adders = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 2; t++) {
                int first = t;
                Thread a = new Thread(() -> {
                    try {
                        for (int i = first; i < v.length; i += 2) {
                            ordinalOf[i] = index.add(v[i], i % 3, "test#" + i);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                adders.add(a);
                a.start();
            }
            for (Thread a : adders) {
                a.join();
            }
            assertEquals(List.of(), failures);
            index.commit(true);
        }
        try (EmbeddingIndex index = EmbeddingIndex.open(tmp.resolve("idx"))) {
            assertEquals(2000, index.size());
            assertArrayEquals(new int[] {667, 667, 666}, index.countsPerClass());
            // Every ordinal once, and each names the vector it was returned for.
            java.util.Set<Long> seen = new java.util.HashSet<>();
            index.forEachVector((ordinal, label, unit) -> assertTrue(seen.add(ordinal), "ordinal " + ordinal + " twice"));
            assertEquals(2000, seen.size());
            for (int i = 0; i < v.length; i += 97) {
                List<SearchHit> self = index.search(v[i], 1);
                assertEquals(ordinalOf[i], self.get(0).ordinal());
                assertEquals("test#" + i, self.get(0).source());
                assertEquals(1.0, self.get(0).cosine(), 1e-6);
            }
            // The merged graph answers as the exact scan does.
            int agree = 0;
            float[][] queries = clustered(20, 6);
            for (float[] q : queries) {
                List<SearchHit> exact = index.searchExact(q, 10);
                java.util.Set<Long> hnsw = new java.util.HashSet<>();
                index.search(q, 10).forEach(h -> hnsw.add(h.ordinal()));
                for (SearchHit h : exact) {
                    agree += hnsw.contains(h.ordinal()) ? 1 : 0;
                }
            }
            assertTrue(agree >= 198, "recall@10 of the merged graph " + agree / 200.0);
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> EmbeddingIndex.builder()
                .setDirectory(tmp.resolve("other")).setProvenance(RUN_A).optBuildThreads(0).build());
        assertTrue(bad.getMessage().contains("build threads must be in 1..64"), bad.getMessage());
    }

    @Test
    void retrievalThroughTheExactScanEqualsTheDirectComputation(@TempDir Path tmp) throws Exception {
        float[][] v = clustered(150, 3);
        float[] flat = new float[150 * DIM];
        int[] labels = new int[150];
        for (int i = 0; i < 150; i++) {
            System.arraycopy(v[i], 0, flat, i * DIM, DIM);
            labels[i] = i % 3;
        }
        RetrievalMetrics direct = RetrievalMetrics.compute(flat, DIM, labels);
        try (EmbeddingIndex index = build(tmp.resolve("idx"), v, RUN_A)) {
            RetrievalMetrics exact = IndexRetrieval.measure(index, true);
            RetrievalMetrics hnsw = IndexRetrieval.measure(index, false);
            assertEquals(150, exact.queries());
            assertEquals(direct.precisionAt1(), exact.precisionAt1(), 1e-12);
            assertEquals(direct.rPrecision(), exact.rPrecision(), 1e-12);
            assertEquals(direct.mapAtR(), exact.mapAtR(), 1e-12);
            assertEquals(direct.mapAtR(), hnsw.mapAtR(), 1e-12);
        }
    }

    @Test
    void aBuildThatIsNotCommittedLeavesNothing(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("idx");
        try (EmbeddingIndex index = EmbeddingIndex.builder().setDirectory(dir).setProvenance(RUN_A).build()) {
            index.add(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, 0, "x");
            assertEquals(0, index.size(), "nothing published before the commit");
        }
        assertFalse(Files.exists(dir));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.count(), "no hidden build folder left");
        }
        IOException e = assertThrows(IOException.class, () -> EmbeddingIndex.open(dir));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aKilledBuildsFolderIsNeverOpenedAndIsCleanedUp(@TempDir Path tmp) throws Exception {
        // What a SIGKILL during a build leaves: Lucene files in the hidden folder, no commit, no lock holder.
        Path dir = tmp.resolve("idx");
        Path partial = tmp.resolve(".idx.building-123");
        Files.createDirectories(partial);
        Files.write(partial.resolve("_0.fdt"), new byte[100]);
        Files.write(partial.resolve("write.lock"), new byte[0]);
        assertThrows(IOException.class, () -> EmbeddingIndex.open(dir));
        IOException e = assertThrows(IOException.class, () -> EmbeddingIndex.open(partial));
        assertTrue(e.getMessage().contains("not a complete index"), e.getMessage());
        build(dir, clustered(30, 4), RUN_A).close();
        assertFalse(Files.exists(partial), "the abandoned build was removed");
        try (EmbeddingIndex index = EmbeddingIndex.open(dir)) {
            assertEquals(30, index.size());
        }
    }

    @Test
    void addingToAnIndexNeedsTheSameWeightsAndIsAtomic(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("idx");
        build(dir, clustered(30, 5), RUN_A).close();
        IllegalArgumentException mix = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingIndex.builder().setDirectory(dir).setProvenance(RUN_B).build());
        assertTrue(mix.getMessage().contains("/runs/a") && mix.getMessage().contains("/runs/b"), mix.getMessage());
        IndexProvenance moved = new IndexProvenance("/elsewhere/a", 40, RUN_A.checkpointDigest(), DIM, CLASSES);
        try (EmbeddingIndex index = EmbeddingIndex.builder().setDirectory(dir).setProvenance(moved).build()) {
            index.describeImageSet("folder /x");
            assertEquals(30, index.add(clustered(1, 6)[0], -1, "/x/new.png"));
            // Closed without commit: the addition is discarded.
        }
        try (EmbeddingIndex index = EmbeddingIndex.open(dir)) {
            assertEquals(30, index.size());
            assertEquals(List.of("split test"), index.imageSets());
        }
        try (EmbeddingIndex index = EmbeddingIndex.builder().setDirectory(dir).setProvenance(moved).build()) {
            index.describeImageSet("folder /x");
            index.add(clustered(1, 6)[0], -1, "/x/new.png");
            index.commit(false);
        }
        try (EmbeddingIndex index = EmbeddingIndex.open(dir)) {
            assertEquals(31, index.size());
            assertEquals(1, index.unlabelledCount());
            assertEquals(List.of("split test", "folder /x"), index.imageSets());
            assertEquals("/runs/a", index.provenance().runDir(), "the first build's provenance is kept");
            SearchHit h = index.searchExact(clustered(1, 6)[0], 1).get(0);
            assertEquals(30, h.ordinal());
            assertEquals(-1, h.label());
            assertEquals("/x/new.png", h.source());
        }
    }

    @Test
    void badVectorsAndFoldersAreRefused(@TempDir Path tmp) throws Exception {
        try (EmbeddingIndex index = EmbeddingIndex.builder().setDirectory(tmp.resolve("i")).setProvenance(RUN_A).build()) {
            assertThrows(IllegalArgumentException.class, () -> index.add(new float[DIM], 0, "zero"));
            assertThrows(IllegalArgumentException.class, () -> index.add(new float[3], 0, "short"));
            float[] nan = new float[DIM];
            nan[0] = Float.NaN;
            assertThrows(IllegalArgumentException.class, () -> index.add(nan, 0, "nan"));
            assertThrows(IllegalArgumentException.class, () -> index.add(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, 3, "label"));
        }
        Path notIndex = Files.createDirectories(tmp.resolve("plain"));
        Files.writeString(notIndex.resolve("readme.txt"), "hello");
        IOException e = assertThrows(IOException.class, () -> EmbeddingIndex.open(notIndex));
        assertTrue(e.getMessage().contains("not a complete index"), e.getMessage());
        assertThrows(IOException.class,
                () -> EmbeddingIndex.builder().setDirectory(notIndex).setProvenance(RUN_A).build());
        Path big = tmp.resolve("big");
        assertThrows(IllegalArgumentException.class, () -> EmbeddingIndex.builder().setDirectory(big)
                .setProvenance(new IndexProvenance("/r", 1, "cc", 2048, CLASSES)).build());
        List<Path> left = new ArrayList<>();
        try (Stream<Path> s = Files.list(tmp)) {
            s.forEach(left::add);
        }
        assertEquals(List.of(notIndex), left, "failed builds leave nothing behind");
    }
}
