package io.anglearn.data;

/**
 * What was read for one file of a dataset: where it came from, its decompressed size, its
 * digest, and whether that digest was compared with a published checksum.
 *
 * @param origin the file, or {@code archive!member} for a file read inside an archive
 * @param bytes decompressed size in bytes
 * @param algorithm the digest algorithm
 * @param digest the digest of the decompressed bytes, lowercase hex
 * @param published the published digest (same algorithm), or null when none is known
 * @param verified true when the digest was required to equal {@code published} and did; false when
 *     no checksum is known or checking was turned off
 */
public record PayloadCheck(String origin, long bytes, String algorithm, String digest, String published,
        boolean verified) {

    /** Returns true when a published digest is known and equals the computed one. */
    public boolean matchesPublished() {
        return digest.equals(published);
    }
}
