package io.anglearn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a {@code .tar.gz} archive safely: only regular files and folders, with relative names
 * that stay inside the destination. An absolute name, a {@code ..} component, a link, a device
 * or a FIFO makes the whole archive refused, and the total size is capped.
 *
 * <p>The archive is extracted into a hidden temporary folder inside the destination and its
 * top-level entries are moved into place only when everything was read, so a failure leaves the
 * destination as it was.
 */
public final class ArchiveExtractor {

    /** Default cap on the extracted size (4 GiB). */
    public static final long DEFAULT_MAX_BYTES = 4L << 30;

    private ArchiveExtractor() {}

    /**
     * Extracts an archive.
     *
     * @param archive the {@code .tar.gz} file
     * @param destination the folder to extract into (created if absent)
     * @param maxBytes the largest total size of the extracted files
     * @return the top-level paths created in {@code destination}
     * @throws IOException if the archive is corrupt or unsafe; the message names the entry
     */
    public static List<Path> extract(Path archive, Path destination, long maxBytes) throws IOException {
        Files.createDirectories(destination);
        Path staging = Files.createTempDirectory(destination, ".extract-");
        try {
            long total = 0;
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                    TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw, 1 << 16))) {
                TarArchiveEntry e;
                byte[] buf = new byte[1 << 16];
                while ((e = tar.getNextEntry()) != null) {
                    Path target = safeTarget(archive, staging, e);
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                        continue;
                    }
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        int r;
                        while ((r = tar.read(buf)) > 0) {
                            total += r;
                            if (total > maxBytes) {
                                throw new DatasetFormatException(archive, "extracts to more than " + maxBytes
                                        + " bytes; refusing to go on (corrupt archive or decompression bomb)");
                            }
                            out.write(buf, 0, r);
                        }
                    }
                }
            } catch (ZipException e) {
                throw new DatasetFormatException(archive, "is not a valid gzip stream (" + e.getMessage() + ")", e);
            } catch (EOFException e) {
                throw new DatasetFormatException(archive, "ends early: the archive is truncated", e);
            } catch (IllegalArgumentException e) {
                throw new DatasetFormatException(archive, "is not a valid tar archive (" + e.getMessage() + ")", e);
            }
            List<Path> moved = new ArrayList<>();
            try (Stream<Path> s = Files.list(staging)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Path dest = destination.resolve(p.getFileName().toString());
                    if (Files.exists(dest)) {
                        deleteRecursively(dest);
                    }
                    Files.move(p, dest, StandardCopyOption.ATOMIC_MOVE);
                    moved.add(dest);
                }
            }
            return moved;
        } finally {
            deleteRecursively(staging);
        }
    }

    private static Path safeTarget(Path archive, Path staging, TarArchiveEntry e) throws DatasetFormatException {
        String name = e.getName();
        if (e.isSymbolicLink() || e.isLink()) {
            throw unsafe(archive, name, "is a link (to " + e.getLinkName() + ")");
        }
        if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            throw unsafe(archive, name, "is a device or FIFO");
        }
        if (!e.isDirectory() && !e.isFile()) {
            throw unsafe(archive, name, "is neither a regular file nor a folder");
        }
        if (name.isEmpty() || name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
            throw unsafe(archive, name, "has an absolute path");
        }
        for (String part : name.split("[/\\\\]")) {
            if (part.equals("..")) {
                throw unsafe(archive, name, "has a '..' component");
            }
        }
        Path target = staging.resolve(name).normalize();
        if (!target.startsWith(staging) || target.equals(staging)) {
            throw unsafe(archive, name, "resolves outside the destination");
        }
        return target;
    }

    private static DatasetFormatException unsafe(Path archive, String entry, String why) {
        return new DatasetFormatException(archive, "entry '" + entry + "' " + why
                + "; refusing to extract an archive that is not plain files and folders with relative names");
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                try {
                    Files.delete(dir);
                } catch (DirectoryNotEmptyException e) {
                    throw new IOException("could not delete " + dir, e);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
