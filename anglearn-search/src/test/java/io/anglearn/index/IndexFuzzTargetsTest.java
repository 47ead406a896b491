package io.anglearn.index;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.anglearn.fuzz.FuzzScratch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A coverage-guided fuzz target (Jazzer) for opening and searching an index whose files were
 * damaged: the input picks one file of a small index (its record of digests included) and bytes to
 * change in it, and may reseal the file's Lucene checksum, as a deliberate edit would. The
 * property: the index opens and answers, or open or search fails with an {@link IOException}
 * naming the index folder; anything else (an {@code OutOfMemoryError} above all) is a finding.
 */
class IndexFuzzTargetsTest {

    private static final int DIM = 8;
    private static Path pristine;
    private static List<Path> files;
    private static Path work;

    private static void init() throws IOException {
        work = FuzzScratch.folder("index");
        pristine = work.resolve("pristine");
        IndexProvenance p = new IndexProvenance("/runs/a", 1, "ab".repeat(32), DIM, List.of("a", "b", "c"));
        Random r = new Random(1);
        try (EmbeddingIndex index = EmbeddingIndex.builder().setDirectory(pristine).setProvenance(p).build()) {
            for (int i = 0; i < 40; i++) {
                float[] v = new float[DIM];
                for (int k = 0; k < DIM; k++) {
                    v[k] = (float) r.nextGaussian();
                }
                index.add(v, i % 3, "test#" + i);
            }
            index.commit(true);
        }
        try (Stream<Path> s = Files.list(pristine)) {
            files = s.filter(f -> !f.getFileName().toString().equals("write.lock")).sorted().toList();
        }
    }

    /**
     * Input: byte 0 picks the file, byte 1's top bit asks for a resealed checksum, then triples of
     * (offset high, offset low, xor) edit the file.
     */
    @FuzzTest(maxDuration = "2m")
    void openDamaged(byte[] data) throws IOException {
        if (pristine == null) {
            init();
        }
        if (data.length < 2) {
            return;
        }
        Path dir = work.resolve("damaged");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.toList()) {
                    Files.delete(f);
                }
            }
        } else {
            Files.createDirectories(dir);
        }
        Path victim = files.get((data[0] & 0xFF) % files.size());
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            if (f.equals(victim) && b.length > 16) {
                for (int i = 2; i + 2 < data.length; i += 3) {
                    int at = ((data[i] & 0xFF) << 8 | (data[i + 1] & 0xFF)) % b.length;
                    b[at] ^= data[i + 2];
                }
                if ((data[1] & 0x80) != 0) {
                    CRC32 crc = new CRC32();
                    crc.update(b, 0, b.length - 8);
                    ByteBuffer.wrap(b, b.length - 8, 8).putLong(crc.getValue());
                }
            }
            Files.write(dir.resolve(f.getFileName()), b);
        }
        try (EmbeddingIndex index = EmbeddingIndex.open(dir)) {
            float[] q = new float[DIM];
            q[data[1] & 7] = 1;
            index.search(q, 5);
            index.searchExact(q, 5);
        } catch (IOException e) {
            FuzzScratch.requireNames(e, dir);
        }
    }
}
