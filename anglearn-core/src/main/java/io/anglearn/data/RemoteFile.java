package io.anglearn.data;

import java.net.URI;
import java.util.Objects;

/**
 * A file of a dataset as published by its authors: where to download it, the name to store it
 * under, the published checksum of the downloaded bytes, and whether it is an archive to unpack.
 *
 * @param uri the official HTTPS address
 * @param fileName the name to store it under
 * @param checksum the published digest of the downloaded bytes
 * @param archive true for a {@code .tar.gz} to extract after download
 */
public record RemoteFile(URI uri, String fileName, Checksum checksum, boolean archive) {

    /** Validates the fields. */
    public RemoteFile {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(checksum, "checksum");
        if (fileName == null || !fileName.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("file name must be a plain name, got '" + fileName + "'");
        }
    }
}
