package io.anglearn.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader, or a crash, sees either the old content or the new, never a mix:
 * write a temporary file beside the target, fsync it, rename it over the target, fsync the folder.
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
            throw new IOException("cannot write " + target + ": " + io.anglearn.util.IoErrors.describe(e) + " (the previous " + target.getFileName()
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
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
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

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open folders; the rename itself is still atomic there.
        }
    }
}
