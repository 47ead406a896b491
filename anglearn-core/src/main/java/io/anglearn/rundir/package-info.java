/**
 * The run directory's format, owned in one place: the names of its files ({@link
 * io.anglearn.rundir.RunFiles}), the typed contents of its {@code config.json} ({@link
 * io.anglearn.rundir.RunManifest}), the one atomic write ({@link io.anglearn.rundir.AtomicFiles})
 * and the lock a training process holds on it ({@link io.anglearn.rundir.RunDirectoryLock}).
 * Depends only on {@code io.anglearn.util}, the JDK and Gson, so the trainer, the recorder, the
 * report, studies, indexes and the command line can all use it without depending on each other.
 */
package io.anglearn.rundir;
