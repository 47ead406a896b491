package io.anglearn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the files of a dataset into memory, wherever they are: plain in a folder, compressed one
 * by one ({@code name.gz}, as Debian ships them), in a known sub-folder (the official archive's,
 * once extracted), or inside the official {@code .tar.gz} archive itself.
 *
 * <p>Safety: every file has a size cap checked before anything is allocated from a size found
 * in a header (a plain file's length, a tar entry's size) and enforced while decompressing, so a
 * forged header or a decompression bomb ends in a {@link DatasetFormatException}, never an
 * out-of-memory error. The digest of the decompressed bytes is compared with the published
 * checksum when one is known, so a recompressed copy with the same content is accepted.
 */
final class PayloadReader {

    /** Default cap on one decompressed file (1 GiB). */
    static final long DEFAULT_MAX_BYTES = 1L << 30;

    private static final int BUFFER = 1 << 16;

    /** Deflate's largest expansion: one compressed byte inflates to at most about 1032 bytes. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    private PayloadReader() {}

    /** A file read into memory, with its provenance and digest. */
    record Payload(Path file, byte[] bytes, PayloadCheck check) {}

    /**
     * One file a dataset needs.
     *
     * @param name the file name, e.g. {@code data_batch_1.bin}
     * @param maxBytes the largest decompressed size accepted
     * @param checksum the published digest of the decompressed bytes, or {@code null}
     */
    record Member(String name, long maxBytes, Checksum checksum) {}

    /**
     * Where a dataset's files may be.
     *
     * @param subfolder the folder the official archive extracts to (e.g. {@code cifar-10-batches-bin}), or null
     * @param archive the official archive's file name (e.g. {@code cifar-10-binary.tar.gz}), or null
     */
    record Layout(String subfolder, String archive) {}

    /**
     * Tells whether a folder holds every member, in any of the supported forms.
     *
     * @param dir the folder
     * @param names the members' file names
     * @param layout the official layout
     * @return true when every member (or the archive) is present
     */
    static boolean present(Path dir, List<String> names, Layout layout) {
        if (layout.archive() != null && Files.isRegularFile(dir.resolve(layout.archive()))) {
            return true;
        }
        for (String n : names) {
            if (findLoose(dir, n, layout) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Says what a folder lacks to hold every member: the members found in none of the supported
     * forms, and the archive that would stand for them all.
     *
     * @param dir the folder
     * @param names the members' file names
     * @param layout the official layout
     * @return e.g. {@code lacks t10k-images-idx3-ubyte (plain or .gz)}, or null when nothing is missing
     */
    static String missing(Path dir, List<String> names, Layout layout) {
        if (present(dir, names, layout)) {
            return null;
        }
        List<String> absent = names.stream().filter(n -> findLoose(dir, n, layout) == null).toList();
        return "lacks " + String.join(", ", absent) + " (plain or .gz"
                + (layout.subfolder() == null ? "" : ", here or in " + layout.subfolder() + "/") + ")"
                + (layout.archive() == null ? "" : " and the archive " + layout.archive());
    }

    /**
     * Reads the members from a folder. Loose files (plain or {@code .gz}) win over the archive.
     *
     * @param dir the folder
     * @param members the files to read
     * @param layout the official layout
     * @param verify compare digests with the published checksums
     * @return the payloads by member name, in the order given
     * @throws IOException if a member is missing, too large, corrupt or has the wrong digest
     */
    static Map<String, Payload> read(Path dir, List<Member> members, Layout layout, boolean verify)
            throws IOException {
        Map<String, Payload> found = new java.util.HashMap<>();
        List<Member> fromArchive = new ArrayList<>();
        for (Member m : members) {
            Path loose = findLoose(dir, m.name(), layout);
            if (loose != null) {
                found.put(m.name(), readFile(loose, m.maxBytes(), m.checksum(), verify));
            } else {
                fromArchive.add(m);
            }
        }
        if (!fromArchive.isEmpty()) {
            Path archive = layout.archive() == null ? null : dir.resolve(layout.archive());
            if (archive == null || !Files.isRegularFile(archive)) {
                Member m = fromArchive.get(0);
                throw new DatasetFormatException(dir, "missing " + m.name() + " (looked for " + m.name() + " and "
                        + m.name() + ".gz" + (layout.subfolder() == null ? "" : ", also in " + layout.subfolder() + "/")
                        + (layout.archive() == null ? "" : ", and for the archive " + layout.archive()) + ")");
            }
            found.putAll(readArchive(archive, fromArchive, verify));
        }
        Map<String, Payload> out = new LinkedHashMap<>();
        for (Member m : members) {
            out.put(m.name(), found.get(m.name()));
        }
        return out;
    }

    /**
     * Reads one file, decompressing it when it starts with the gzip magic.
     *
     * @param file the file
     * @param maxBytes the largest decompressed size accepted
     * @param checksum the published digest of the decompressed bytes, or null
     * @param verify compare the digest with {@code checksum}
     * @return the payload
     * @throws IOException if the file is unreadable, too large, corrupt or has the wrong digest
     */
    static Payload readFile(Path file, long maxBytes, Checksum checksum, boolean verify) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(file, "is not a readable file");
        }
        byte[] bytes;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                long hint = gzipSizeHint(file);
                InputStream gz;
                try {
                    gz = new GZIPInputStream(raw, BUFFER);
                } catch (ZipException | EOFException e) {
                    throw new DatasetFormatException(file, "is not a valid gzip stream (" + e.getMessage() + ")", e);
                }
                bytes = readBounded(gz, -1, hint, maxBytes, file, file.toString());
            } else {
                bytes = readBounded(raw, Files.size(file), -1, maxBytes, file, file.toString());
            }
        }
        return new Payload(file, bytes, check(file, file.toString(), bytes, checksum, verify));
    }

    /**
     * Reads members from a {@code .tar.gz} archive in one pass; only regular files are read.
     */
    private static Map<String, Payload> readArchive(Path archive, List<Member> members, boolean verify)
            throws IOException {
        Map<String, Member> wanted = new LinkedHashMap<>();
        for (Member m : members) {
            wanted.put(m.name(), m);
        }
        Map<String, Payload> out = new LinkedHashMap<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), BUFFER);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw, BUFFER))) {
            TarArchiveEntry e;
            while (out.size() < wanted.size() && (e = tar.getNextEntry()) != null) {
                String base = baseName(e.getName());
                Member m = wanted.get(base);
                if (m == null || !e.isFile() || out.containsKey(base)) {
                    continue;
                }
                String origin = archive + "!" + e.getName();
                byte[] bytes = readBounded(tar, e.getSize(), -1, m.maxBytes(), archive, origin);
                out.put(base, new Payload(archive, bytes, check(archive, origin, bytes, m.checksum(), verify)));
            }
        } catch (ZipException e) {
            throw new DatasetFormatException(archive, "is not a valid gzip stream (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new DatasetFormatException(archive, "ends early: the archive is truncated", e);
        } catch (DatasetFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new DatasetFormatException(archive, "is not a valid tar archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            // commons-compress reports a damaged header ("Corrupted TAR archive.") without naming the file.
            throw new DatasetFormatException(archive, "is not a valid tar archive (" + e.getMessage() + ")", e);
        }
        for (String name : wanted.keySet()) {
            if (!out.containsKey(name)) {
                throw new DatasetFormatException(archive, "has no regular file named " + name);
            }
        }
        return out;
    }

    /**
     * Reads a stream to its end into one array, refusing more than {@code maxBytes}.
     *
     * @param in the (decompressed) stream
     * @param knownSize the size a header declares, or -1; checked against the cap before allocating
     * @param hint a likely size for the first allocation, or -1 (never trusted beyond the cap)
     * @param maxBytes the cap
     * @param file the file named in errors
     * @param origin the description named in errors
     */
    static byte[] readBounded(InputStream in, long knownSize, long hint, long maxBytes, Path file, String origin)
            throws IOException {
        try {
            if (knownSize >= 0) {
                if (knownSize > maxBytes) {
                    throw new DatasetFormatException(file, describe(origin, file) + "is " + knownSize
                            + " bytes, more than the " + maxBytes + " expected at most");
                }
                byte[] bytes = new byte[(int) knownSize];
                int n = in.readNBytes(bytes, 0, bytes.length);
                if (n < bytes.length) {
                    throw new DatasetFormatException(file, describe(origin, file) + "ends after " + n
                            + " of its " + knownSize + " bytes: it is truncated");
                }
                return bytes;
            }
            long cap = Math.min(maxBytes, Integer.MAX_VALUE - 16);
            int capacity = (int) Math.min(cap + 1, Math.max(BUFFER, hint >= 0 ? hint + 1 : BUFFER));
            byte[] buf = new byte[capacity];
            int n = 0;
            while (true) {
                if (n == buf.length) {
                    if (n > cap) {
                        throw new DatasetFormatException(file, describe(origin, file)
                                + "decompresses to more than " + maxBytes + " bytes, the most expected;"
                                + " refusing to read on (corrupt file or decompression bomb)");
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(cap + 1, Math.max(2L * buf.length, BUFFER)));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            if (n > cap) {
                throw new DatasetFormatException(file, describe(origin, file) + "decompresses to more than "
                        + maxBytes + " bytes, the most expected; refusing to read on (corrupt file or decompression bomb)");
            }
            return n == buf.length ? buf : Arrays.copyOf(buf, n);
        } catch (ZipException e) {
            throw new DatasetFormatException(file, describe(origin, file) + "is not a valid gzip stream ("
                    + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new DatasetFormatException(file, describe(origin, file)
                    + "ends early: the compressed file is truncated", e);
        }
    }

    private static PayloadCheck check(Path file, String origin, byte[] bytes, Checksum checksum, boolean verify)
            throws DatasetFormatException {
        MessageDigest md = checksum != null ? checksum.newDigest() : Checksum.newDigest("SHA-256");
        md.update(bytes);
        byte[] digest = md.digest();
        String hex = HexFormat.of().formatHex(digest);
        boolean compare = verify && checksum != null;
        if (compare && !checksum.matches(digest)) {
            throw new DatasetFormatException(file, describe(origin, file) + md.getAlgorithm()
                    + " of the decompressed content is " + hex + ", expected " + checksum.hex()
                    + ": the file is corrupt or not the official one");
        }
        return new PayloadCheck(origin, bytes.length, md.getAlgorithm(), hex, checksum == null ? null : checksum.hex(),
                compare);
    }

    private static String describe(String origin, Path file) {
        return origin.equals(file.toString()) ? "" : origin.substring(file.toString().length()) + " ";
    }

    private static Path findLoose(Path dir, String name, Layout layout) {
        List<Path> folders = new ArrayList<>(List.of(dir));
        if (layout.subfolder() != null) {
            folders.add(dir.resolve(layout.subfolder()));
        }
        for (Path f : folders) {
            for (String n : List.of(name, name + ".gz")) {
                Path p = f.resolve(n);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static String baseName(String entryName) {
        String n = entryName.endsWith("/") ? entryName.substring(0, entryName.length() - 1) : entryName;
        int slash = n.lastIndexOf('/');
        return slash < 0 ? n : n.substring(slash + 1);
    }

    /**
     * The gzip trailer's ISIZE (uncompressed size mod 2^32), bounded by the most the file can
     * inflate to: a hint for the first allocation only.
     */
    private static long gzipSizeHint(Path file) {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            if (size < 22) {
                return -1;
            }
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.position(size - 4);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // fill the four trailer bytes
            }
            if (b.hasRemaining()) {
                return -1;
            }
            // The trailer is not covered by any checksum until the end, so a forged one must not size
            // the first allocation beyond what the compressed bytes can possibly inflate to.
            return Math.min(Integer.toUnsignedLong(b.getInt(0)), size * MAX_DEFLATE_RATIO);
        } catch (IOException e) {
            return -1;
        }
    }
}
