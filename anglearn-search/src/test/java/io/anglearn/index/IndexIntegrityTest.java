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
 * fields or doc values fail the checksums on open; a vector damaged and resealed with a fresh
 * checksum (so that only its values are wrong) fails the search with a cosine outside [−1, 1]
 * instead of being clamped to 1, and {@link EmbeddingIndex#verify} reports it.
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
    void aResealedDamagedVectorFailsTheSearchInsteadOfScoringOne() throws Exception {
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
