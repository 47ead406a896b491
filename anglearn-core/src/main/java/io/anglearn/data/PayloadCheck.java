package io.anglearn.data;

/**
 * What was read for one file of a dataset: where it came from, its decompressed size, its
 * digest, and whether that digest was compared with a published checksum.
 *
 * @param origin the file, or {@code archive!member} for a file read inside an archive
 * @param bytes decompressed size in bytes
 * @param algorithm the digest algorithm
 * @param digest the digest of the decompressed bytes, lowercase hex
 * @param verified true when the digest was compared with a published checksum and matched;
 *     false when no checksum is known or checking was turned off
 */
public record PayloadCheck(String origin, long bytes, String algorithm, String digest, boolean verified) {}
