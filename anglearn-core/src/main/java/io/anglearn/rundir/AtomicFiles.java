package io.anglearn.rundir;

import io.anglearn.util.IoErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes files so that a reader, or a crash, sees either the old content or the new, never a mix:
 * write a temporary file beside the target, fsync it, rename it over the target, fsync the folder.
 * The one implementation of that sequence: single files ({@link #write}) and the checkpoint
 * folders of {@code io.anglearn.train.CheckpointStore} ({@link #writeSynced},
 * {@link #moveAtomically}, {@link #fsyncDirectory}) both use it.
 *
 * <p>Policy when the file system cannot rename atomically: refuse. The temporary file or folder is
 * always created beside its target, so the rename stays on one file system, where POSIX and NTFS
 * rename atomically; a file system that still refuses an atomic move gets an {@link IOException}
 * naming both paths, and the previous content stays intact, rather than a plain move that a crash
 * could leave half done.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Replaces {@code target} with {@code content}.
     *
     * @param target the file
     * @param content the bytes
     * @throws IOException if writing fails; the previous content is then intact
     */
    public static void write(Path target, byte[] content) throws IOException {
        try {
            replace(target, content);
        } catch (IOException e) {
            // A full disk says only "No space left on device": name the file, and that nothing was lost.
            throw new IOException("cannot write " + target + ": " + IoErrors.describe(e) + " (the previous " + target.getFileName()
                    + " is intact)", e);
        }
    }

    private static void replace(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            shareLikeTarget(tmp, target);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            moveAtomically(tmp, target);
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Replaces {@code target} with UTF-8 text.
     *
     * @param target the file
     * @param text the text
     * @throws IOException if writing fails; the previous content is then intact
     */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Temporary files are created owner-only; the result should be readable like any file the
     * user writes, so it takes the target's permissions, or rw-r--r-- for a new file.
     */
    private static void shareLikeTarget(Path tmp, Path target) throws IOException {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, perms);
    }

    /**
     * Writes a new file and forces it to the disk before returning: a part of a folder that is
     * then renamed into place with {@link #moveAtomically}.
     *
     * @param file the file, which must not exist yet
     * @param content the bytes
     * @throws IOException if it exists or writing fails
     */
    public static void writeSynced(Path file, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /**
     * Renames a file or folder atomically, replacing a file at {@code to} (a non-empty folder
     * there cannot be replaced: move it aside first).
     *
     * @param from the written file or folder, beside {@code to}
     * @param to its final name
     * @throws IOException if the rename fails, or the file system cannot rename atomically (see
     *     the class documentation); {@code from} is then left for the caller to delete
     */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically on this file system", e);
        }
    }

    /**
     * Forces a folder's entries (a rename into it) to the disk, where the file system allows it.
     *
     * @param dir the folder
     */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open folders; the rename itself is still atomic there.
        }
    }

    /**
     * Deletes a file or folder with everything in it, if it exists: the temporary or replaced
     * folder of an atomic folder write, or one a killed write left behind.
     *
     * @param p the file or folder
     * @throws IOException if something in it cannot be deleted
     */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(q -> {
                try {
                    Files.deleteIfExists(q);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
