package io.anglearn.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged index is refused, never searched: flipped bytes in the vectors, the graph, stored
 * fields or doc values, and any file edited and resealed with a fresh Lucene checksum, fail the
 * recorded digests on open, before Lucene parses them; a vector damaged past the digests too (the
 * record rewritten) fails the search with a cosine outside [−1, 1] instead of being clamped to 1,
 * and {@link EmbeddingIndex#verify} reports each.
 */
class IndexIntegrityTest {

    private static final int DIM = 8;
    private static final IndexProvenance RUN = new IndexProvenance("/runs/a", 40, "aa".repeat(32), DIM,
            List.of("a", "b", "c"));

    @TempDir
    Path work;

    private float[][] vectors(int n) {
        Random r = new Random(5);
        float[][] v = new float[n][DIM];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < DIM; k++) {
                v[i][k] = (float) r.nextGaussian();
            }
        }
        return v;
    }

    private Path build(String name, float[][] v) throws IOException {
        Path dir = work.resolve(name);
        try (EmbeddingIndex index = EmbeddingIndex.builder().setDirectory(dir).setProvenance(RUN).build()) {
            for (int i = 0; i < v.length; i++) {
                index.add(v[i], i % 3, "test#" + i);
            }
            index.commit(true);
        }
        return dir;
    }

    private static Path fileEndingIn(Path dir, String ext) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(ext)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + ext + " file in " + dir));
        }
    }

    @Test
    void aFlippedByteInAnyDataFileIsRefusedOnOpen() throws Exception {
        float[][] v = vectors(300);
        try (EmbeddingIndex intact = EmbeddingIndex.open(build("intact", v))) {
            assertEquals(300, intact.size());
        }
        for (String ext : new String[] {".vec", ".vex", ".fdt", ".dvd"}) {
            Path dir = build("flip" + ext, v);
            Path f = fileEndingIn(dir, ext);
            byte[] b = Files.readAllBytes(f);
            b[b.length / 2] ^= 0x10;
            Files.write(f, b);
            IOException e = assertThrows(IOException.class, () -> EmbeddingIndex.open(dir), ext);
            assertTrue(e.getMessage().contains("is damaged") && e.getMessage().contains(dir.toString()), e.getMessage());
            assertFalse(EmbeddingIndex.verify(dir).isEmpty(), "verify reports the damage in " + ext);
        }
    }

    @Test
    void aFileEditedAndResealedIsRefusedOnOpenNamingTheFile() throws Exception {
        Path intact = build("intact", vectors(60));
        List<String> names;
        try (Stream<Path> s = Files.list(intact)) {
            names = s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("write.lock") && !n.equals(IndexFileDigests.FILE)).sorted().toList();
        }
        assertTrue(names.size() >= 10 && names.stream().anyMatch(n -> n.startsWith("segments_")), names.toString());
        for (String name : names) {
            Path dir = build("resealed-" + name, vectors(60));
            Path f = dir.resolve(name);
            byte[] b = Files.readAllBytes(f);
            b[b.length / 2] ^= 0x01;
            reseal(b);
            Files.write(f, b);
            IOException e = assertThrows(IOException.class, () -> EmbeddingIndex.open(dir), name);
            assertEquals("index " + dir + " is damaged: file " + name + " differs from what was written (its SHA-256"
                    + " does not match the record); check it with 'anglearn index verify' and rebuild it with"
                    + " 'anglearn index build'", e.getMessage());
            assertEquals(List.of("file " + name + " differs from what was written (its SHA-256 does not match the"
                    + " record)"), EmbeddingIndex.verify(dir));
        }
    }

    /**
     * The fuzzing finding: two bytes of the vectors' metadata ({@code .vem}) changed and its CRC
     * resealed made Lucene's {@code DirectMonotonicReader} allocate from a damaged count while
     * opening, exhausting the heap. Built as the fuzz target builds its index, edited as its input
     * {@code crash-16f000ba…} edits it.
     */
    @Test
    void aResealedMetadataCountNoLongerReachesLucenesAllocations() throws Exception {
        Path dir = work.resolve("vem");
        Random r = new Random(1);
        IndexProvenance p = new IndexProvenance("/runs/a", 1, "ab".repeat(32), DIM, List.of("a", "b", "c"));
        try (EmbeddingIndex index = EmbeddingIndex.builder().setDirectory(dir).setProvenance(p).build()) {
            for (int i = 0; i < 40; i++) {
                float[] v = new float[DIM];
                for (int k = 0; k < DIM; k++) {
                    v[k] = (float) r.nextGaussian();
                }
                index.add(v, i % 3, "test#" + i);
            }
            index.commit(true);
        }
        Path vem = fileEndingIn(dir, ".vem");
        byte[] b = Files.readAllBytes(vem);
        b[94] ^= (byte) 0xf3;
        reseal(b);
        Files.write(vem, b);
        IOException e = assertThrows(IOException.class, () -> EmbeddingIndex.open(dir));
        assertTrue(e.getMessage().startsWith("index " + dir + " is damaged: file " + vem.getFileName() + " differs"),
                e.getMessage());
    }

    @Test
    void anIndexWithoutItsRecordOfDigestsIsRefused() throws Exception {
        Path dir = build("unrecorded", vectors(20));
        Files.delete(dir.resolve(IndexFileDigests.FILE));
        IOException e = assertThrows(IOException.class, () -> EmbeddingIndex.open(dir));
        assertTrue(e.getMessage().startsWith("index " + dir + " has no record of its files' digests (anglearn-files.json)")
                && e.getMessage().endsWith("must be rebuilt with 'anglearn index build --replace'"), e.getMessage());
        Files.writeString(dir.resolve(IndexFileDigests.FILE), "{\"format\": \"anglearn-index-files\", \"version\": 1, files: {}}");
        e = assertThrows(IOException.class, () -> EmbeddingIndex.open(dir));
        assertEquals("index " + dir + " is damaged: its anglearn-files.json is not a valid record of its files",
                e.getMessage());
    }

    /**
     * A vector damaged, its file resealed and the record of digests rewritten too (an index forged
     * as a whole, past every digest): the search still refuses the cosine outside [−1, 1] instead of
     * clamping it to 1, and verify reports the vector.
     */
    @Test
    void aForgedDamagedVectorFailsTheSearchInsteadOfScoringOne() throws Exception {
        float[][] v = vectors(50);
        Path dir = build("resealed", v);
        assertEquals(List.of(), EmbeddingIndex.verify(dir));
        Path vec = fileEndingIn(dir, ".vec");
        byte[] b = Files.readAllBytes(vec);
        // Item 7's stored (unit) vector, as Lucene writes it: little-endian floats.
        double n = 0;
        for (float x : v[7]) {
            n += x * x;
        }
        ByteBuffer want = ByteBuffer.allocate(4 * DIM).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v[7]) {
            want.putFloat((float) (x / Math.sqrt(n)));
        }
        int at = indexOf(b, want.array());
        assertTrue(at > 0, "item 7's vector is in the file");
        ByteBuffer w = ByteBuffer.wrap(b, at, 4 * DIM).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < DIM; k++) {
            w.putFloat(at + 4 * k, 3 * w.getFloat(at + 4 * k));
        }
        reseal(b);
        Files.write(vec, b);
        IndexFileDigests.record(dir);
        try (EmbeddingIndex index = EmbeddingIndex.open(dir)) {
            IOException e = assertThrows(IOException.class, () -> index.search(v[7], 5));
            assertTrue(e.getMessage().contains("outside [-1, 1]"), e.getMessage());
        }
        List<String> problems = EmbeddingIndex.verify(dir);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("not 1"), problems.toString());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Rewrites a Lucene file's footer checksum (CRC32 of all bytes before it, big-endian long). */
    private static void reseal(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 8);
        ByteBuffer.wrap(b, b.length - 8, 8).putLong(crc.getValue());
    }
}
