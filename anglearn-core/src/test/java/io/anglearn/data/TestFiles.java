package io.anglearn.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes small dataset files in the real formats for the tests. */
final class TestFiles {

    private TestFiles() {}

    /** An IDX file's bytes: magic 0x0000080R, the dimensions, then {@code data}. */
    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    /** {@code n} grey images of {@code side×side} whose pixels are (i*7 + p) mod 256. */
    static byte[] images(int n, int side) {
        byte[] px = new byte[n * side * side];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i / (side * side) * 7 + i % (side * side));
        }
        return px;
    }

    /** Labels 0,1,..,k-1,0,1,.. for {@code n} images. */
    static byte[] labels(int n, int k) {
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) {
            y[i] = (byte) (i % k);
        }
        return y;
    }

    /** Writes an MNIST-style folder of IDX files; gzip-compressed when {@code gz}. */
    static void mnistFolder(Path dir, int nTrain, int nTest, int side, int k, boolean gz) throws IOException {
        Files.createDirectories(dir);
        write(dir, IdxDataset.TRAIN_IMAGES, idx(new int[] {nTrain, side, side}, images(nTrain, side)), gz);
        write(dir, IdxDataset.TRAIN_LABELS, idx(new int[] {nTrain}, labels(nTrain, k)), gz);
        write(dir, IdxDataset.TEST_IMAGES, idx(new int[] {nTest, side, side}, images(nTest, side)), gz);
        write(dir, IdxDataset.TEST_LABELS, idx(new int[] {nTest}, labels(nTest, k)), gz);
    }

    /** CIFAR records: label bytes from {@code labels} (one row per record), pixels (r + c + p) mod 256. */
    static byte[] cifarRecords(int[][] labels) {
        int lb = labels[0].length;
        int rec = lb + 3072;
        byte[] out = new byte[labels.length * rec];
        for (int r = 0; r < labels.length; r++) {
            for (int k = 0; k < lb; k++) {
                out[r * rec + k] = (byte) labels[r][k];
            }
            for (int p = 0; p < 3072; p++) {
                out[r * rec + lb + p] = (byte) (r * 13 + p);
            }
        }
        return out;
    }

    /** Writes {@code name} (plain) or {@code name.gz} into {@code dir}. */
    static Path write(Path dir, String name, byte[] bytes, boolean gz) throws IOException {
        Path p = dir.resolve(gz ? name + ".gz" : name);
        Files.write(p, gz ? gzip(bytes) : bytes);
        return p;
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bo)) {
            out.write(bytes);
        }
        return bo.toByteArray();
    }

    /** Writes a .tar.gz holding the given files (name → bytes; names may contain folders). */
    static Path tarGz(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream raw = new GZIPOutputStream(Files.newOutputStream(file));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(raw)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(e.getValue().length);
                tar.putArchiveEntry(te);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String sha1(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }
}
