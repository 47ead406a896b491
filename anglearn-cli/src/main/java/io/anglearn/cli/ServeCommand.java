package io.anglearn.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anglearn.index.EmbeddingIndex;
import io.anglearn.record.VerificationRecord;
import io.anglearn.serve.EmbeddingService;
import io.anglearn.serve.SearchServer;
import io.anglearn.run.TrainedRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn serve}: a trained run (and an index) as an HTTP service with a search page. */
@Command(name = "serve",
        header = "Serve a trained run over HTTP: embed, predict, search, verify, and a search page.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start an HTTP server: GET / (search page), GET /health, GET /metrics (Prometheus), POST /embed,"
                + " /predict, /search?k=K (image bytes in, JSON out), POST /verify ({\"a\": base64, \"b\":"
                + " base64}). Concurrent requests share forward passes. SIGTERM (or Ctrl-C) stops accepting"
                + " connections, answers the requests in flight (up to --drain-seconds) and exits with 0.")
final class ServeCommand implements Callable<Integer> {

    /** The environment variable read for the token when --token is not given. */
    static final String TOKEN_ENV = "ANGLEARN_TOKEN";

    @Spec
    CommandSpec spec;

    @Mixin
    TrainedRunOptions.Run run;

    @Mixin
    TrainedRunOptions.Checkpoint checkpoint;

    @Option(names = "--index", paramLabel = "INDEX", description = "An index of this checkpoint's embeddings, for /search.")
    Path index;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = SearchServer.DEFAULT_HOST,
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--allowed-host", paramLabel = "NAME",
            description = "A host name requests may use in their Host header besides localhost, 127.0.0.1, [::1] and the"
                + " --host address (repeatable; * allows any). Stops DNS rebinding.")
    java.util.List<String> allowedHosts = new java.util.ArrayList<>();

    @Option(names = "--insecure",
            description = "Allow a --host other than loopback without a token (refused otherwise).")
    boolean insecure;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + SearchServer.DEFAULT_MAX_CONNECTIONS,
            description = "Most open connections; more wait to be accepted (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--decode-threads", paramLabel = "N",
            description = "Threads that decode images (default: the cores); when they and their queue of "
                + EmbeddingService.DEFAULT_DECODE_QUEUE + " are busy, requests get 503 with Retry-After.")
    Integer decodeThreads;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Require 'Authorization: Bearer TOKEN', TOKEN at least 8 printable ASCII characters without"
                    + " spaces (default: $" + TOKEN_ENV + " if set, else no authentication).")
    String token;

    @Option(names = "--threshold", paramLabel = "COS",
            description = "Cosine threshold for /verify (default: the best-accuracy threshold 'anglearn evaluate' recorded).")
    Double threshold;

    @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "10485760",
            description = "Largest request body (default: ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Option(names = "--max-image-pixels", paramLabel = "N", defaultValue = "50000000",
            description = "Largest image accepted, width x height (default: ${DEFAULT-VALUE}).")
    long maxImagePixels;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "32", description = "Most images per forward pass (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--batch-delay-us", paramLabel = "N", defaultValue = "2000",
            description = "Longest wait for a batch to fill, microseconds (default: ${DEFAULT-VALUE}).")
    long batchDelayMicros;

    @Option(names = "--softmax-scale", paramLabel = "S",
            description = "Scale s of /predict's probabilities softmax(s cos) (default: the softmax of the run's loss's own"
                + " logits without the margin: k(pi/2 - theta) for arc, s cos for arcface, cosface, normface, adacos).")
    Double softmaxScale;

    @Option(names = "--drain-seconds", paramLabel = "N", defaultValue = "30",
            description = "Time requests in flight get to finish on shutdown (default: ${DEFAULT-VALUE}).")
    long drainSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        checkpoint.check();
        String tok = token != null ? token : System.getenv(TOKEN_ENV);
        try (TrainedRun r = TrainedRun.open(run.dir, checkpoint.which);
                EmbeddingIndex idx = index == null ? null : EmbeddingIndex.open(index)) {
            Double t = threshold != null ? threshold : recordedThreshold(r);
            EmbeddingService service = EmbeddingService.builder().setRun(r).optIndex(idx).optThreshold(t)
                    .optMaxBatch(maxBatch).optBatchDelayMicros(batchDelayMicros).optSoftmaxScale(softmaxScale)
                    .optMaxImagePixels(maxImagePixels)
                    .optDecodeThreads(decodeThreads != null ? decodeThreads : EmbeddingService.DEFAULT_DECODE_THREADS)
                    .build();
            SearchServer server;
            try {
                server = SearchServer.builder().setService(service).optHost(host).optPort(port).optToken(tok)
                        .optMaxBodyBytes(maxBodyBytes).optDrainMillis(TimeUnit.SECONDS.toMillis(drainSeconds))
                        .optAllowedHosts(allowedHosts).optInsecure(insecure).optMaxConnections(maxConnections).build();
                server.start();
            } catch (RuntimeException | java.io.IOException e) {
                service.close();
                throw e;
            }
            // SIGTERM and SIGINT stop the server from a thread of our own, so that after the drain the
            // main thread returns and the process exits with 0 (or 1 if the drain failed); the
            // shutdown hook covers the JVM's other ways of ending (SIGHUP, System.exit).
            AtomicReference<java.io.IOException> stopFailure = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
            CountDownLatch stopped = new CountDownLatch(1);
            Runnable stop = () -> {
                if (!stopping.compareAndSet(false, true)) {
                    return;
                }
                try {
                    server.stop();
                } catch (java.io.IOException e) {
                    stopFailure.compareAndSet(null, e);
                    System.err.println("anglearn serve: " + e.getMessage());
                } finally {
                    stopped.countDown();
                }
            };
            TerminationSignals.onTermination("anglearn-serve-stop", stop);
            CountDownLatch cleaned = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stop.run();
                try {
                    cleaned.await(drainSeconds + 10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "anglearn-serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.printf(Locale.ROOT, "serving run %s (checkpoint at step %d)%s on http://%s:%d/%n", run.dir, r.checkpointStep(),
                    idx == null ? "" : " with index " + index + " (" + idx.size() + " items)", host, server.port());
            if (tok == null && !SearchServer.isLoopback(host)) {
                spec.commandLine().getErr().println("anglearn serve: WARNING: --insecure: anyone who can reach " + host
                        + " can use this server without a token");
                spec.commandLine().getErr().flush();
            }
            if (allowedHosts.isEmpty() && (host.equals("0.0.0.0") || host.equals("::"))) {
                spec.commandLine().getErr().println("anglearn serve: requests must name localhost, 127.0.0.1 or [::1]"
                        + " in their Host header; add --allowed-host NAME for each name clients use to reach this machine");
                spec.commandLine().getErr().flush();
            }
            out.printf(Locale.ROOT, "verification threshold: %s; authentication: %s%n",
                    t == null ? "none (run 'anglearn evaluate' or pass --threshold)" : String.format(Locale.ROOT, "cos >= %.4f", t),
                    tok == null ? "none" : "bearer token");
            out.flush();
            try {
                server.join();
                // The server's thread pool has ended; the stop (the service's forward worker) may
                // still be finishing, and the run must stay open until it has.
                if (stopping.get()) {
                    stopped.await(drainSeconds + 10, TimeUnit.SECONDS);
                }
            } finally {
                cleaned.countDown();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down (the hook stopped the server).
            }
            if (stopFailure.get() != null) {
                spec.commandLine().getErr().println("anglearn serve: stopped without draining cleanly");
                return 1;
            }
        }
        out.println("server stopped");
        out.flush();
        return 0;
    }

    /** The best-accuracy threshold recorded by 'anglearn evaluate' for this checkpoint, or null. */
    private Double recordedThreshold(TrainedRun r) throws java.io.IOException {
        Path f = r.runDir().resolve(VerificationRecord.FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
            if (!r.checkpointDigest().equals(o.get("checkpointDigest").getAsString())) {
                spec.commandLine().getErr().println("anglearn serve: " + f + " was measured on another checkpoint;"
                        + " no verification threshold (pass --threshold or run 'anglearn evaluate' again)");
                return null;
            }
            return o.getAsJsonObject("verification").get("bestThreshold").getAsDouble();
        } catch (RuntimeException e) {
            throw new java.io.IOException(f + ": not a valid verification record (" + e.getMessage() + ")", e);
        }
    }
}
