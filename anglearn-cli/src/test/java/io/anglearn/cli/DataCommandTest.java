package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code anglearn data info|verify|fetch} on a small MNIST-style folder written by the test. */
class DataCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static byte[] idx(int[] dims, int n, int mod) {
        int payload = 1;
        for (int d : dims) {
            payload *= d;
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        for (int i = 0; i < payload; i++) {
            b.put((byte) (i % mod));
        }
        return b.array();
    }

    private void writeFolder() throws Exception {
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(new int[] {6, 5, 5}, 6, 256));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(new int[] {6}, 6, 3));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(new int[] {3, 5, 5}, 3, 256));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {3}, 3, 3));
    }

    @Test
    void infoAndVerifyReportCountsHistogramsAndDigests() throws Exception {
        writeFolder();
        CliRun info = run("data", "info", "idx:" + dir);
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("images:   1x5x5, 3 classes"), info.out());
        assertTrue(info.out().contains("train     6 images; per class 0:2 1:2 2:2"), info.out());
        assertTrue(info.out().contains("SHA-256") && info.out().contains("(no published checksum)"), info.out());
        CliRun verify = run("data", "verify", "idx:" + dir);
        assertEquals(0, verify.code(), verify.err());
        assertTrue(verify.out().contains("no published checksums"), verify.out());
    }

    @Test
    void failuresNameTheFileAndExitNonZero() throws Exception {
        writeFolder();
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {2}, 2, 3));
        CliRun bad = run("data", "verify", "idx:" + dir);
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("t10k-labels-idx1-ubyte") && bad.err().contains("2 labels for 3 images"),
                bad.err());
        CliRun fetch = run("data", "fetch", "idx:" + dir);
        assertEquals(2, fetch.code());
        assertTrue(fetch.err().contains("only fashion-mnist, cifar10 and cifar100 can be downloaded"), fetch.err());
        CliRun unknown = run("data", "info", "mnist");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown --dataset 'mnist'"), unknown.err());
    }
}
