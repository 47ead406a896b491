package io.anglearn.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Message digests as the project writes them: lower-case hexadecimal, SHA-256 unless a published
 * checksum names another algorithm. Checkpoint manifests, dataset checksums, the configuration
 * hashes of a run and the TorchScript module's identity all come from here.
 */
public final class Digests {

    /** The algorithm the project records its own digests with. */
    public static final String SHA_256 = "SHA-256";

    private Digests() {}

    /**
     * Returns a fresh digest of an algorithm.
     *
     * @param algorithm a {@link MessageDigest} algorithm name, e.g. {@code SHA-256}
     * @return the digest
     * @throws IllegalArgumentException if the JVM does not know the algorithm
     */
    public static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm '" + algorithm + "'", e);
        }
    }

    /** Returns a fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        return newDigest(SHA_256);
    }

    /**
     * Returns the lower-case hex form of a digest's bytes.
     *
     * @param digest the bytes
     * @return two hex digits per byte
     */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /**
     * Returns the lower-case hex SHA-256 of some bytes.
     *
     * @param data the bytes
     * @return 64 hex digits
     */
    public static String sha256Hex(byte[] data) {
        return hex(sha256().digest(data));
    }

    /**
     * Returns the lower-case hex SHA-256 of a stream's remaining bytes, which it reads to the end
     * (the caller closes it).
     *
     * @param in the stream
     * @return 64 hex digits
     * @throws IOException if reading fails
     */
    public static String sha256Hex(InputStream in) throws IOException {
        MessageDigest md = sha256();
        new DigestInputStream(in, md).transferTo(OutputStream.nullOutputStream());
        return hex(md.digest());
    }

    /**
     * Returns the lower-case hex SHA-256 of a file, read as a stream (large files do not need to
     * fit in memory).
     *
     * @param file the file
     * @return 64 hex digits
     * @throws IOException if it cannot be read
     */
    public static String sha256Hex(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256Hex(in);
        }
    }
}
