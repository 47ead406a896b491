package io.anglearn.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Lowers the scheduling priority (raises the nice value) of the calling thread on Linux, where
 * each Java thread is a kernel task of its own. The server's decoding of large images uses it so
 * that an attacker's expensive images get only the CPU that ordinary requests leave; Java's own
 * thread priorities have no effect on Linux by default.
 */
public final class ThreadNice {

    // x86-64 and aarch64 numbers of the gettid system call.
    private static final long SYS_GETTID_X86_64 = 186;
    private static final long SYS_GETTID_AARCH64 = 178;
    private static final int PRIO_PROCESS = 0;

    private ThreadNice() {}

    /** The C library calls used. */
    interface LibC extends Library {
        long syscall(long number);

        int setpriority(int which, int who, int prio);
    }

    private static final class Holder {
        static final LibC LIBC = load();

        private static LibC load() {
            try {
                return Platform.isLinux() ? Native.load("c", LibC.class) : null;
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                return null;
            }
        }
    }

    /**
     * Sets the calling thread's nice value.
     *
     * @param nice 0 (normal) to 19 (lowest)
     * @return whether it was set (false off Linux or on an unknown architecture)
     */
    public static boolean set(int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("nice must be in 0..19, got " + nice);
        }
        LibC libc = Holder.LIBC;
        if (libc == null) {
            return false;
        }
        long gettid = Platform.isIntel() && Platform.is64Bit() ? SYS_GETTID_X86_64
                : Platform.isARM() && Platform.is64Bit() ? SYS_GETTID_AARCH64 : -1;
        if (gettid < 0) {
            return false;
        }
        try {
            long tid = libc.syscall(gettid);
            return tid > 0 && libc.setpriority(PRIO_PROCESS, (int) tid, nice) == 0;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return false;
        }
    }
}
