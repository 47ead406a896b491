package io.anglearn.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly stop of a long-running command instead of the JVM's
 * shutdown, so that a server that drained its requests exits with status 0.
 *
 * <p>Why not a shutdown hook alone: a shutdown begun by a signal always ends with status 128 +
 * the signal's number (143 for SIGTERM), however cleanly the hooks finish, and anything the main
 * thread does after the signal races the JVM's exit. {@code sun.misc.Signal} is the JDK's only
 * way to handle a signal instead; JEP 260 keeps it accessible (module {@code jdk.unsupported})
 * for this purpose. Where a signal cannot be handled (an unknown name on this platform, or the
 * JVM started with {@code -Xrs}), the JVM's default shutdown stays in place.
 */
final class TerminationSignals {

    /** The signals handled. */
    static final List<String> NAMES = List.of("TERM", "INT");

    private TerminationSignals() {}

    /**
     * Runs {@code stop} on a new thread, once, when SIGTERM or SIGINT arrives.
     *
     * @param threadName the name of the thread that runs it
     * @param stop what stops the command (it should make the main thread return)
     * @return the names of the signals now handled (possibly none)
     */
    static List<String> onTermination(String threadName, Runnable stop) {
        AtomicBoolean fired = new AtomicBoolean();
        List<String> handled = new java.util.ArrayList<>();
        for (String name : NAMES) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (fired.compareAndSet(false, true)) {
                        Thread t = new Thread(stop, threadName);
                        t.setDaemon(false);
                        t.start();
                    }
                });
                handled.add(name);
            } catch (IllegalArgumentException e) {
                // Not available here (-Xrs, or no such signal): the JVM's shutdown handles it.
            }
        }
        return handled;
    }
}
