package io.anglearn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Downloads a dataset's official files over HTTPS, checks each against its published checksum,
 * stores it atomically, and extracts archives with {@link ArchiveExtractor}.
 *
 * <p>Each file is written to a temporary name beside its destination and renamed only when its
 * size and checksum are right, so an interrupted or corrupt transfer never replaces a good file
 * and never leaves a partial one under the real name. A file already present with the right
 * checksum is not downloaded again.
 *
 * <p>Only {@code https} addresses are accepted. {@link Builder#optAllowLoopbackHttp} lets tests
 * serve files over plain HTTP from the local machine (127.0.0.1 / ::1 / localhost) and nowhere
 * else; it is off by default and no command-line option turns it on.
 */
public final class DatasetDownloader {

    /** Largest file accepted (4 GiB), whatever the server says. */
    public static final long MAX_DOWNLOAD_BYTES = 4L << 30;

    private final HttpClient client;
    private final boolean allowLoopbackHttp;
    private final boolean keepArchives;
    private final DownloadListener listener;
    private final Duration timeout;

    private DatasetDownloader(Builder b) {
        timeout = b.timeout;
        client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(b.timeout).build();
        allowLoopbackHttp = b.allowLoopbackHttp;
        keepArchives = b.keepArchives;
        listener = b.listener;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Downloads every file of a dataset into a folder and extracts the archives.
     *
     * @param files the official files
     * @param dir the dataset's folder (created if absent)
     * @return the paths written (files, and extracted top-level folders)
     * @throws IOException if a transfer fails, is truncated, or has the wrong checksum
     */
    public List<Path> fetch(List<RemoteFile> files, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (RemoteFile f : files) {
            Path file = download(f, dir);
            if (f.archive()) {
                listener.onStep("extracting " + file.getFileName());
                written.addAll(ArchiveExtractor.extract(file, dir, ArchiveExtractor.DEFAULT_MAX_BYTES));
                if (!keepArchives) {
                    Files.delete(file);
                    continue;
                }
            }
            written.add(file);
        }
        return written;
    }

    /**
     * Downloads one file into a folder, unless a file with the right checksum is already there.
     *
     * @param f the file
     * @param dir the folder
     * @return the stored file, {@code dir/f.fileName()}
     * @throws IOException if the transfer fails, is truncated, or has the wrong checksum
     */
    public Path download(RemoteFile f, Path dir) throws IOException {
        checkScheme(f.uri());
        Files.createDirectories(dir);
        Path target = dir.resolve(f.fileName());
        if (Files.isRegularFile(target) && f.checksum().matches(digest(target, f.checksum()))) {
            listener.onStep(target + " is already present with the published " + f.checksum().algorithm());
            return target;
        }
        Path part = Files.createTempFile(dir, "." + f.fileName() + ".", ".part");
        try {
            transfer(f, part);
            byte[] got = digest(part, f.checksum());
            if (!f.checksum().matches(got)) {
                throw new IOException(f.uri() + ": downloaded file's " + f.checksum().algorithm() + " is "
                        + HexFormat.of().formatHex(got) + ", expected the published " + f.checksum().hex()
                        + "; nothing was stored (corrupt transfer or changed file)");
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private void transfer(RemoteFile f, Path part) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(f.uri()).timeout(timeout).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(f.uri() + ": interrupted", e);
        } catch (IOException e) {
            throw new IOException(f.uri() + ": cannot download (" + e.getMessage() + "); check the network, or"
                    + " download the file by hand and pass --data-dir", e);
        }
        checkScheme(resp.uri());
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new IOException(f.uri() + ": server answered HTTP " + resp.statusCode() + ", expected 200");
            }
            long length = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > MAX_DOWNLOAD_BYTES) {
                throw new IOException(f.uri() + ": server announces " + length + " bytes, more than the "
                        + MAX_DOWNLOAD_BYTES + " accepted");
            }
            listener.onStart(f, length);
            long n = 0;
            try (OutputStream out = Files.newOutputStream(part)) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) >= 0) {
                    n += r;
                    if (n > MAX_DOWNLOAD_BYTES || (length >= 0 && n > length)) {
                        throw new IOException(f.uri() + ": received more than the " + (length >= 0 ? length
                                : MAX_DOWNLOAD_BYTES) + " bytes expected");
                    }
                    out.write(buf, 0, r);
                    listener.onProgress(f, n);
                }
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(f.uri().toString())) {
                    throw e;
                }
                throw new IOException(f.uri() + ": transfer broke off after " + n + " bytes"
                        + (length >= 0 ? " of " + length : "") + " (" + e.getMessage() + "); nothing was stored", e);
            }
            if (length >= 0 && n != length) {
                throw new IOException(f.uri() + ": transfer ended after " + n + " of " + length
                        + " bytes (truncated); nothing was stored");
            }
        } finally {
            listener.onEnd(f);
        }
    }

    private void checkScheme(URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return;
        }
        if (scheme.equals("http") && allowLoopbackHttp && isLoopback(uri.getHost())) {
            return;
        }
        throw new IOException(uri + ": only https downloads are allowed");
    }

    private static boolean isLoopback(String host) {
        return io.anglearn.util.Hosts.isLoopback(host);
    }

    private static byte[] digest(Path file, Checksum c) throws IOException {
        MessageDigest md = c.newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        }
        return md.digest();
    }

    /** Builds a {@link DatasetDownloader}; every setting is optional. */
    public static final class Builder {
        private boolean allowLoopbackHttp;
        private boolean keepArchives;
        private DownloadListener listener = new DownloadListener() {};
        private Duration timeout = Duration.ofSeconds(60);

        /** Accepts plain-HTTP addresses on the loopback interface only, for tests (default false). */
        public Builder optAllowLoopbackHttp(boolean allow) {
            this.allowLoopbackHttp = allow;
            return this;
        }

        /** Keeps downloaded archives after extracting them (default false: they are deleted). */
        public Builder optKeepArchives(boolean keep) {
            this.keepArchives = keep;
            return this;
        }

        /** Sets the progress listener (default: none). */
        public Builder optListener(DownloadListener listener) {
            this.listener = listener;
            return this;
        }

        /** Sets the connection and response timeout (default 60 s). */
        public Builder optTimeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Validates and builds. */
        public DatasetDownloader build() {
            if (listener == null || timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("DatasetDownloader needs a listener and a positive timeout");
            }
            return new DatasetDownloader(this);
        }
    }
}
