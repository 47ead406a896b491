package io.anglearn.data;

import io.anglearn.util.Digests;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;

/**
 * A published digest of a file's bytes: the algorithm ({@code SHA-256}, {@code SHA-1} or
 * {@code MD5}, as named by {@link MessageDigest}) and the lowercase hex value.
 *
 * <p>SHA-256 is preferred; SHA-1 or MD5 are used only where they are the only published value
 * (CIFAR-100's files, the official archives).
 *
 * @param algorithm the {@link MessageDigest} algorithm name
 * @param hex the expected digest in lowercase hexadecimal
 */
public record Checksum(String algorithm, String hex) {

    /** Validates the algorithm and normalises the hex digits to lowercase. */
    public Checksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        hex = hex.toLowerCase(Locale.ROOT);
        int bytes = newDigest(algorithm).getDigestLength();
        if (!hex.matches("[0-9a-f]{" + 2 * bytes + "}")) {
            throw new IllegalArgumentException(algorithm + " digest must be " + 2 * bytes
                    + " hex digits, got '" + hex + "'");
        }
    }

    /** Returns a SHA-256 checksum. */
    public static Checksum sha256(String hex) {
        return new Checksum("SHA-256", hex);
    }

    /** Returns a SHA-1 checksum (used only where no SHA-256 is published). */
    public static Checksum sha1(String hex) {
        return new Checksum("SHA-1", hex);
    }

    /** Returns an MD5 checksum (used only where no stronger digest is published). */
    public static Checksum md5(String hex) {
        return new Checksum("MD5", hex);
    }

    /** Returns a fresh digest for this checksum's algorithm. */
    public MessageDigest newDigest() {
        return newDigest(algorithm);
    }

    /**
     * Tells whether a computed digest equals this checksum.
     *
     * @param digest the digest bytes
     * @return true when equal
     */
    public boolean matches(byte[] digest) {
        return Digests.hex(digest).equals(hex);
    }

    /** Returns {@code ALGORITHM:hex}, the form used in messages. */
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    static MessageDigest newDigest(String algorithm) {
        return Digests.newDigest(algorithm);
    }
}
