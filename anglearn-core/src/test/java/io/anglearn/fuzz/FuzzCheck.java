package io.anglearn.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The property every reader must keep on any input: it returns a result, or throws an
 * {@link IOException} or {@link IllegalArgumentException} whose message names the file; never
 * another exception or an error (out of memory, stack overflow), never a hang, never more memory
 * than the input can justify, and never a change to the files it read.
 */
public final class FuzzCheck {

    /** Longest a single read may take before it counts as a hang (seconds; default 30). */
    public static final long TIMEOUT_SECONDS = Long.getLong("anglearn.fuzz.timeoutSeconds", 30);

    /** Most heap a read of a small fuzzed input may allocate, all threads together (default 256 MiB). */
    public static final long MAX_ALLOCATED_BYTES = Long.getLong("anglearn.fuzz.maxAllocatedBytes", 256L << 20);

    private static final ExecutorService WORKER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-target");
        t.setDaemon(true);
        return t;
    });

    private FuzzCheck() {}

    /**
     * What a read ended with: its value, or the clean error it threw.
     *
     * @param value the result, or null when it failed
     * @param error the {@link IOException} or {@link IllegalArgumentException}, or null
     * @param <T> the result's type
     */
    public record Outcome<T>(T value, Exception error) {

        /** Returns true when the read succeeded. */
        public boolean ok() {
            return error == null;
        }
    }

    /**
     * Runs a read and checks the property.
     *
     * @param input the file or folder read; a clean error must name it (or a path inside it), and
     *     nothing under it may change
     * @param target the read
     * @param <T> the result's type
     * @return the outcome
     * @throws AssertionError when the property does not hold
     */
    public static <T> Outcome<T> run(Path input, Callable<T> target) {
        Map<String, String> before = snapshot(input);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<Long, Long> allocatedBefore = allocated(threads);
        Future<T> f = WORKER.submit(target);
        Outcome<T> outcome;
        try {
            outcome = new Outcome<>(f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), null);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("reading " + input + " did not finish in " + TIMEOUT_SECONDS + " s (a hang)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof IOException) && !(cause instanceof IllegalArgumentException)) {
                throw new AssertionError("reading " + input + " threw " + cause + " instead of a clean error", cause);
            }
            String message = cause.getMessage();
            if (message == null || !namesInput(message, input)) {
                throw new AssertionError("reading " + input + " failed with a message that does not name it: "
                        + message, cause);
            }
            outcome = new Outcome<>(null, (Exception) cause);
        }
        long used = 0;
        for (Map.Entry<Long, Long> e : allocated(threads).entrySet()) {
            used += e.getValue() - allocatedBefore.getOrDefault(e.getKey(), 0L);
        }
        if (used > MAX_ALLOCATED_BYTES) {
            throw new AssertionError("reading " + input + " allocated " + (used >> 20) + " MiB of heap, more than the "
                    + (MAX_ALLOCATED_BYTES >> 20) + " MiB a small input can justify (outcome: "
                    + (outcome.ok() ? "success" : outcome.error()) + ")");
        }
        Map<String, String> after = snapshot(input);
        if (!before.equals(after)) {
            throw new AssertionError("reading " + input + " changed the files: before " + before + ", after " + after);
        }
        return outcome;
    }

    /**
     * Tells whether a message names the input or a path inside it.
     *
     * @param message the error message
     * @param input the file or folder
     * @return true when it does
     */
    public static boolean namesInput(String message, Path input) {
        return message.contains(input.toString()) || (input.getParent() != null
                && message.contains(input.getParent().toString()) && input.getFileName() != null
                && message.contains(input.getFileName().toString()));
    }

    private static Map<Long, Long> allocated(com.sun.management.ThreadMXBean threads) {
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> out = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                out.put(ids[i], bytes[i]);
            }
        }
        return out;
    }

    /** Every path under the input with its size and modification time. */
    private static Map<String, String> snapshot(Path input) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(input)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(input)) {
            s.forEach(p -> {
                try {
                    out.put(input.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                            : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
                } catch (IOException e) {
                    out.put(input.relativize(p).toString(), "unreadable");
                }
            });
        } catch (IOException e) {
            throw new AssertionError("cannot list " + input, e);
        }
        return out;
    }
}
