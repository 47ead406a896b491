package io.anglearn.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.function.Supplier;

/**
 * Runs a piece of work with the process's standard error (file descriptor 2) pointed at
 * {@code /dev/null}, for native messages nobody can act on.
 *
 * <p>libtorch writes its warnings straight to file descriptor 2, past Java's {@code System.err}
 * and past any logging configuration, and DJL offers no switch for them. Two are pure noise for an
 * anglearn user: "AutoNonVariableTypeMode is deprecated", printed the first time DJL copies host
 * data into a tensor (it names an internal API of DJL's), and "Could not initialize NNPACK!
 * Reason: Unsupported hardware", printed by every convolution that does not run in oneDNN on a
 * processor NNPACK does not know (the 64-bit convolutions of {@link io.anglearn.model.KernelCheck}).
 *
 * <p>While the work runs, everything the process writes to standard error is lost, Java's
 * {@code System.err} included, so the work must be short and must not report anything itself.
 * On platforms other than Linux, or if the descriptors cannot be switched, the work runs with
 * standard error untouched.
 */
public final class NativeStderr {

    private static final int STDERR = 2;
    private static final int O_WRONLY = 1;

    private NativeStderr() {}

    /** The C library calls used here. */
    interface LibC extends Library {
        int dup(int fd);

        int dup2(int from, int to);

        int open(String path, int flags);

        int close(int fd);
    }

    private static final LibC LIBC = load();

    private static LibC load() {
        if (!Platform.isLinux()) {
            return null;
        }
        try {
            return Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    /**
     * Runs {@code work} with standard error silenced and returns its result; standard error is
     * restored however the work ends.
     *
     * @param work the work
     * @param <T> its result type
     * @return what the work returned
     */
    public static synchronized <T> T silenced(Supplier<T> work) {
        if (LIBC == null) {
            return work.get();
        }
        System.err.flush();
        int saved = LIBC.dup(STDERR);
        int sink = saved < 0 ? -1 : LIBC.open("/dev/null", O_WRONLY);
        if (sink < 0 || LIBC.dup2(sink, STDERR) < 0) {
            closeQuietly(sink);
            closeQuietly(saved);
            return work.get();
        }
        try {
            return work.get();
        } finally {
            System.err.flush();
            LIBC.dup2(saved, STDERR);
            closeQuietly(sink);
            closeQuietly(saved);
        }
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            LIBC.close(fd);
        }
    }
}
