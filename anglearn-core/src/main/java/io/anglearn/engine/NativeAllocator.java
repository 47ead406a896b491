package io.anglearn.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Locale;

/**
 * Tunes glibc's allocator, which libtorch uses for every CPU tensor, so that a training step
 * reuses the memory the previous step freed instead of asking the kernel for fresh pages.
 *
 * <p>Why: a step allocates and frees the same few hundred megabytes of activations again and
 * again. With glibc's defaults, the JVM's threads allocate from per-thread arenas whose heaps are
 * shrunk or unmapped as soon as they are free, and tensors above the dynamic mmap threshold get
 * their own mappings; either way the next step writes into pages the kernel must fault in and
 * zero again. Measured on ResNet20 (BENCHMARKS.md), that was about 19 000 page faults per training
 * and evaluation iteration (PyTorch for Python: about 2 300, with the tuning: about 200), and
 * the tuning made the training step 16% faster.
 *
 * <p>The tuning calls {@code mallopt} once: freed memory stays in the process up to
 * {@value #TRIM_THRESHOLD_BYTES} bytes ({@code M_TRIM_THRESHOLD}), every heap extension is padded
 * by {@value #TOP_PAD_BYTES} bytes of address space ({@code M_TOP_PAD}, which also keeps emptied
 * per-thread heaps from being unmapped), and blocks up to {@value #MMAP_THRESHOLD_BYTES} bytes (the
 * largest glibc accepts) come from the heaps rather than their own mappings
 * ({@code M_MMAP_THRESHOLD}). The cost is a process that keeps its peak native memory until it
 * exits, which is what a training process wants anyway.
 *
 * <p>It applies on Linux with glibc only and is skipped elsewhere. A process that must not have
 * its allocator changed sets the system property {@value #PROPERTY} to {@code system}.
 */
public final class NativeAllocator {

    /** System property: {@code tuned} (default) or {@code system} to leave glibc's settings alone. */
    public static final String PROPERTY = "anglearn.native.allocator";

    static final int TRIM_THRESHOLD_BYTES = 1 << 30;
    static final int TOP_PAD_BYTES = 256 << 20;
    static final int MMAP_THRESHOLD_BYTES = 32 << 20;

    // mallopt parameter numbers from glibc's malloc.h.
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    private static volatile Boolean applied;

    private NativeAllocator() {}

    /** glibc's C library, as far as anglearn calls it. */
    interface LibC extends Library {
        int mallopt(int param, int value);
    }

    /**
     * Applies the tuning once per process, unless {@value #PROPERTY} is {@code system} or the
     * platform is not Linux with glibc. Later calls return the first call's answer.
     *
     * @return whether glibc's allocator is now tuned
     * @throws IllegalArgumentException if {@value #PROPERTY} has a value other than tuned or system
     */
    public static synchronized boolean tune() {
        if (applied != null) {
            return applied;
        }
        applied = mode(System.getProperty(PROPERTY)).equals("tuned") && apply();
        return applied;
    }

    /** Returns tuned or system for a value of {@value #PROPERTY} (null: tuned). */
    static String mode(String value) {
        String mode = value == null ? "tuned" : value.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("tuned") && !mode.equals("system")) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be tuned or system, got '" + value + "'");
        }
        return mode;
    }

    /** Returns whether the tuning is in effect in this process. */
    public static boolean isTuned() {
        return Boolean.TRUE.equals(applied);
    }

    private static boolean apply() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            // musl and other C libraries have no gnu_get_libc_version; their mallopt differs or is a no-op.
            NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("gnu_get_libc_version");
            LibC c = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
            boolean ok = c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1;
            ok &= c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) == 1;
            ok &= c.mallopt(M_TOP_PAD, TOP_PAD_BYTES) == 1;
            return ok;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // No glibc: the allocator keeps its defaults, which only costs speed.
            return false;
        }
    }
}
