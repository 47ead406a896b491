package io.anglearn.rundir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Holds an operating-system lock on a run directory's {@code .lock} file while a training run
 * writes to it, so that a second process started on the same directory refuses at once instead
 * of interleaving its checkpoints and metrics with the first. The operating system releases the
 * lock when the holder exits, however it exits, so a killed run never leaves a stale lock.
 */
public final class RunDirectoryLock implements AutoCloseable {

    /** The lock file's name inside a run directory. */
    public static final String FILE = RunFiles.LOCK;

    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock without waiting.
     *
     * @param runDir an existing run directory
     * @return the held lock; close it to release
     * @throws IOException if another process (or another run in this one) holds it, or the file
     *     cannot be opened
     */
    public static RunDirectoryLock acquire(Path runDir) throws IOException {
        FileChannel ch = FileChannel.open(runDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException(runDir + " is being trained by another anglearn run (its " + FILE
                    + " is locked); wait for it to finish, or use another --name");
        }
        return new RunDirectoryLock(ch, lock);
    }

    /**
     * Takes the lock on the directory of a run about to start, creating the directory: refuses if
     * it already holds a run, checked before and again under the lock (another process may have
     * started a run there in between).
     *
     * @param runDir the run directory, which need not exist
     * @return the held lock; close it to release
     * @throws IOException if the directory holds a run, another process holds its lock, or it
     *     cannot be created
     */
    public static RunDirectoryLock acquireForNewRun(Path runDir) throws IOException {
        refuseExistingRun(runDir);
        Files.createDirectories(runDir);
        RunDirectoryLock lock = acquire(runDir);
        try {
            refuseExistingRun(runDir);
        } catch (IOException e) {
            lock.close();
            throw e;
        }
        return lock;
    }

    private static void refuseExistingRun(Path runDir) throws IOException {
        if (Files.exists(RunFiles.config(runDir)) || Files.exists(RunFiles.checkpoints(runDir))) {
            throw new IOException(runDir + " already holds a run; continue it with --resume " + runDir
                    + ", or choose another --name");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
