package io.anglearn.serve;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP face of an {@link EmbeddingService}, on an embedded Jetty server:
 * <ul>
 *   <li>{@code GET /} — the search page (one self-contained HTML file, no network resources);
 *   <li>{@code GET /health} — the service's description, JSON (no token needed, for health checks);
 *   <li>{@code GET /metrics} — request counts, latencies and forward passes, Prometheus text format;
 *   <li>{@code POST /embed}, {@code /predict}, {@code /search?k=K&thumbnails=true} — an image as the
 *       body (PNG, JPEG, BMP or GIF bytes) → JSON;
 *   <li>{@code POST /verify} — {@code {"a": base64 image, "b": base64 image}} → JSON.
 * </ul>
 * Errors are JSON too, {@code {"status": 4xx, "error": message}}: 400 malformed request, 401
 * missing or wrong token, 404 unknown path or no index, 405 wrong method, 413 body or image too
 * large, 415 not an image, 422 damaged image.
 *
 * <p>Requests wait for their forward pass asynchronously, holding no thread. Request bodies are
 * limited (Content-Length checked before reading, and the read itself capped); with a token set,
 * every endpoint but {@code /health} and the page requires {@code Authorization: Bearer TOKEN}.
 * {@link #stop()} drains gracefully: the server stops accepting connections, requests in flight
 * are answered (up to the drain timeout), then the service's forward worker ends.
 *
 * <p>Options: host (default {@value #DEFAULT_HOST}, loopback only), port (default
 * {@value #DEFAULT_PORT}; 0 picks a free one), token (default none), the body limit (default
 * {@value #DEFAULT_MAX_BODY_BYTES} bytes), the drain timeout (default
 * {@value #DEFAULT_DRAIN_MILLIS} ms), the most HTTP threads (default {@value #DEFAULT_THREADS}).
 */
public final class SearchServer implements AutoCloseable {

    /** Default address to bind: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default port. */
    public static final int DEFAULT_PORT = 8080;
    /** Default largest request body, in bytes (10 MiB). */
    public static final int DEFAULT_MAX_BODY_BYTES = 10 << 20;
    /** Default time requests in flight get to finish on shutdown, in ms. */
    public static final long DEFAULT_DRAIN_MILLIS = 30_000;
    /** Default most HTTP threads. */
    public static final int DEFAULT_THREADS = 64;

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final EmbeddingService service;
    private final String token;
    private final int maxBodyBytes;
    private final Server server;
    private final ServerConnector connector;
    private final byte[] page;

    private SearchServer(Builder b) throws IOException {
        service = b.service;
        token = b.token;
        maxBodyBytes = b.maxBodyBytes;
        try (InputStream in = SearchServer.class.getResourceAsStream("search.html")) {
            if (in == null) {
                throw new IOException("the search page is missing from the jar (io/anglearn/serve/search.html)");
            }
            page = in.readAllBytes();
        }
        QueuedThreadPool pool = new QueuedThreadPool(b.threads, Math.min(4, b.threads));
        pool.setName("anglearn-http");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(b.host);
        connector.setPort(b.port);
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new Router()));
        server.setStopTimeout(b.drainMillis);
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening.
     *
     * @throws IOException if the port cannot be bound (the message names host and port)
     */
    public void start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly();
            throw new IOException("cannot listen on " + connector.getHost() + ":" + connector.getPort() + ": "
                    + e.getMessage(), e);
        } catch (Exception e) {
            stopQuietly();
            throw new IOException("the server did not start: " + e, e);
        }
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // already failing; the start's error is the one reported
        }
    }

    /** Returns the port listened on (the chosen one when the port was 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Returns the address bound. */
    public String host() {
        return connector.getHost();
    }

    /** Returns the service. */
    public EmbeddingService service() {
        return service;
    }

    /**
     * Stops gracefully: no new connections, requests in flight answered (up to the drain timeout),
     * then the forward worker stopped. The run and index stay open (their owner closes them).
     *
     * @throws IOException if the server does not stop cleanly
     */
    public void stop() throws IOException {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IOException("the server did not stop cleanly: " + e, e);
        } finally {
            service.close();
        }
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    /** Routes requests to the service. */
    private final class Router extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            long start = System.nanoTime();
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            String endpoint = switch (path) {
                case "/", "/index.html" -> "page";
                case "/health", "/metrics", "/embed", "/predict", "/search", "/verify" -> path.substring(1);
                default -> "other";
            };
            Exchange x = new Exchange(request, response, callback, endpoint, start);
            try {
                route(x, path, method);
            } catch (ServiceException e) {
                x.error(e.status(), e.getMessage());
            } catch (RuntimeException e) {
                x.error(500, "internal error: " + e);
            }
            return true;
        }

        private void route(Exchange x, String path, String method) {
            boolean get = method.equals("GET") || method.equals("HEAD");
            switch (x.endpoint) {
                case "page" -> {
                    requireMethod(get, "GET");
                    x.send(200, "text/html; charset=utf-8", page);
                }
                case "health" -> {
                    requireMethod(get, "GET");
                    JsonObject h = service.health();
                    h.addProperty("auth", token != null);
                    x.json(200, h);
                }
                case "metrics" -> {
                    requireMethod(get, "GET");
                    authorize(x.request);
                    x.send(200, ServiceMetrics.CONTENT_TYPE, service.metrics().scrape());
                }
                case "embed" -> post(x, method, service::embed);
                case "predict" -> post(x, method, service::predict);
                case "search" -> {
                    Fields q = Request.extractQueryParameters(x.request);
                    int k = intParam(q, "k", 10);
                    boolean thumbnails = "true".equalsIgnoreCase(q.getValue("thumbnails"))
                            || "1".equals(q.getValue("thumbnails"));
                    post(x, method, body -> service.search(body, k, thumbnails));
                }
                case "verify" -> post(x, method, service::verify);
                default -> throw new ServiceException(404, "no endpoint " + path + "; see GET / for the page,"
                        + " POST /embed, /predict, /search, /verify, GET /health, /metrics");
            }
        }

        private void requireMethod(boolean ok, String expected) {
            if (!ok) {
                throw new ServiceException(405, "this endpoint answers " + expected + " only");
            }
        }

        private int intParam(Fields q, String name, int dflt) {
            String v = q.getValue(name);
            if (v == null) {
                return dflt;
            }
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new ServiceException(400, "query parameter " + name + "=" + v + " is not an integer");
            }
        }

        private void post(Exchange x, String method, Function<byte[], CompletableFuture<JsonObject>> work) {
            requireMethod(method.equals("POST"), "POST");
            authorize(x.request);
            long declared = x.request.getLength();
            if (declared > maxBodyBytes) {
                throw new ServiceException(413, "request body of " + declared + " bytes; at most " + maxBodyBytes
                        + " are accepted");
            }
            Content.Source.asByteArrayAsync(x.request, maxBodyBytes).whenComplete((body, failure) -> {
                if (failure != null) {
                    x.error(413, "request body larger than the " + maxBodyBytes + " bytes accepted, or cut short ("
                            + EmbeddingService.cause(failure).getMessage() + ")");
                    return;
                }
                try {
                    work.apply(body).whenComplete((json, err) -> {
                        if (err == null) {
                            x.json(200, json);
                        } else {
                            Throwable c = EmbeddingService.cause(err);
                            if (c instanceof ServiceException s) {
                                x.error(s.status(), s.getMessage());
                            } else if (c instanceof java.util.concurrent.RejectedExecutionException) {
                                x.error(503, "the server is shutting down");
                            } else {
                                x.error(500, "internal error: " + c);
                            }
                        }
                    });
                } catch (ServiceException e) {
                    x.error(e.status(), e.getMessage());
                } catch (RuntimeException e) {
                    x.error(500, "internal error: " + e);
                }
            });
        }

        private void authorize(Request request) {
            if (token == null) {
                return;
            }
            String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            String given = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8))) {
                throw new ServiceException(401, "this server requires the header 'Authorization: Bearer TOKEN'"
                        + (given == null ? "" : "; the token given is wrong"));
            }
        }
    }

    /** One request being answered: writes the response once and records it in the metrics. */
    private final class Exchange {
        final Request request;
        final Response response;
        final Callback callback;
        final String endpoint;
        final long start;
        private final java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();

        Exchange(Request request, Response response, Callback callback, String endpoint, long start) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.endpoint = endpoint;
            this.start = start;
        }

        void json(int status, JsonObject body) {
            send(status, "application/json; charset=utf-8", (GSON.toJson(body) + "\n").getBytes(StandardCharsets.UTF_8));
        }

        void error(int status, String message) {
            JsonObject o = new JsonObject();
            o.addProperty("status", status);
            o.addProperty("error", message);
            if (status == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            }
            json(status, o);
        }

        void send(int status, String contentType, byte[] body) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            service.metrics().request(endpoint, status, (System.nanoTime() - start) / 1e9);
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            if (status >= 400 && status != 401 && status != 404 && status != 405) {
                // The body may not have been read; close rather than leave unread bytes on a kept-alive connection.
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    /** Builds a {@link SearchServer}; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private EmbeddingService service;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String token;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private long drainMillis = DEFAULT_DRAIN_MILLIS;
        private int threads = DEFAULT_THREADS;

        /** Sets the service to expose (required). The server closes it when it stops. */
        public Builder setService(EmbeddingService service) {
            this.service = service;
            return this;
        }

        /** Sets the address to bind (default {@value SearchServer#DEFAULT_HOST}). */
        public Builder optHost(String host) {
            this.host = host;
            return this;
        }

        /** Sets the port (default {@value SearchServer#DEFAULT_PORT}; 0 picks a free one). */
        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /** Sets the bearer token clients must send (default none: no authentication). */
        public Builder optToken(String token) {
            this.token = token;
            return this;
        }

        /** Sets the largest request body, in bytes (default {@value SearchServer#DEFAULT_MAX_BODY_BYTES}). */
        public Builder optMaxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** Sets how long requests in flight get to finish on shutdown, in ms (default {@value SearchServer#DEFAULT_DRAIN_MILLIS}). */
        public Builder optDrainMillis(long drainMillis) {
            this.drainMillis = drainMillis;
            return this;
        }

        /** Sets the most HTTP threads (default {@value SearchServer#DEFAULT_THREADS}). */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * Validates and builds (without starting).
         *
         * @return the server
         * @throws IOException if the page resource cannot be read
         */
        public SearchServer build() throws IOException {
            if (service == null) {
                throw new IllegalArgumentException("the server needs setService");
            }
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("--host must name an address, e.g. 127.0.0.1");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
            }
            if (token != null && (token.isBlank() || token.length() < 8 || !token.matches("[\\x21-\\x7e]+"))) {
                throw new IllegalArgumentException("--token must be at least 8 printable characters without spaces");
            }
            if (maxBodyBytes < 1024 || maxBodyBytes > (1 << 30)) {
                throw new IllegalArgumentException("--max-body-bytes must be in 1024..1073741824, got " + maxBodyBytes);
            }
            if (drainMillis < 0) {
                throw new IllegalArgumentException("--drain-seconds must be >= 0");
            }
            if (threads < 8 || threads > 1024) {
                throw new IllegalArgumentException("--threads must be in 8..1024, got " + threads);
            }
            return new SearchServer(this);
        }
    }
}
