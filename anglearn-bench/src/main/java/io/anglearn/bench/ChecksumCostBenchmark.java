package io.anglearn.bench;

import io.anglearn.util.Digests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;

/**
 * What verifying an index's files on open costs at a given size: writes files with Lucene's
 * header and footer of the sizes a one-million-vector index of 64-dimensional embeddings has
 * (vectors 256 MB, graph, stored fields, doc values; or sizes given in MB), then times, in
 * alternation within each round, Lucene's {@code CodecUtil.checksumEntireFile} over all of them
 * (what {@code LeafReader.checkIntegrity()} does for each file of a segment) and the SHA-256 of
 * every file as the index's open computes it against its record of digests. Five rounds with the
 * files in the page cache, the first round after writing printed too; the order within a round
 * alternates.
 *
 * <p>Usage: {@code java -cp anglearn-cli/target/anglearn.jar:anglearn-bench/target/classes
 * io.anglearn.bench.ChecksumCostBenchmark DIR [MB ...]}.
 */
public final class ChecksumCostBenchmark {

    private ChecksumCostBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args the scratch folder, then file sizes in MB (default 256 64 48 16)
     * @throws Exception if the files cannot be written
     */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int[] mb = args.length > 1 ? new int[args.length - 1] : new int[] {256, 64, 48, 16};
        for (int i = 1; i < args.length; i++) {
            mb[i - 1] = Integer.parseInt(args[i]);
        }
        long total = 0;
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        try (Directory d = FSDirectory.open(dir)) {
            for (int f = 0; f < mb.length; f++) {
                try (IndexOutput out = d.createOutput("file" + f, IOContext.DEFAULT)) {
                    CodecUtil.writeHeader(out, "bench", 0);
                    for (int m = 0; m < mb[f]; m++) {
                        out.writeBytes(block, block.length);
                    }
                    CodecUtil.writeFooter(out);
                }
                total += (long) mb[f] << 20;
            }
            for (int round = 0; round < 6; round++) {
                double crc = 0;
                double sha = 0;
                for (int order = 0; order < 2; order++) {
                    if ((order + round) % 2 == 0) {
                        long t0 = System.nanoTime();
                        for (int f = 0; f < mb.length; f++) {
                            try (IndexInput in = d.openInput("file" + f, IOContext.READONCE)) {
                                CodecUtil.checksumEntireFile(in);
                            }
                        }
                        crc = (System.nanoTime() - t0) / 1e9;
                    } else {
                        long t0 = System.nanoTime();
                        for (int f = 0; f < mb.length; f++) {
                            Digests.sha256Hex(dir.resolve("file" + f));
                        }
                        sha = (System.nanoTime() - t0) / 1e9;
                    }
                }
                System.out.printf(Locale.ROOT, "round %d: %d MiB, Lucene checksums %.3f s (%.0f MiB/s), SHA-256 %.3f s"
                        + " (%.0f MiB/s), ratio %.2f%n", round, total >> 20, crc, (total >> 20) / crc, sha,
                        (total >> 20) / sha, sha / crc);
            }
            for (int f = 0; f < mb.length; f++) {
                d.deleteFile("file" + f);
            }
        }
    }
}
