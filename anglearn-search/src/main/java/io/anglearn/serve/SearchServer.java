package io.anglearn.serve;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The HTTP face of an {@link EmbeddingService}, on an embedded Jetty server:
 * <ul>
 *   <li>{@code GET /} — the search page (one self-contained HTML file, no network resources);
 *   <li>{@code GET /health} — {@code {status, ready}} for anyone (load balancers); with the token
 *       (or when there is none) also the run's and index's names, checkpoint, classes;
 *   <li>{@code GET /metrics} — request counts, latencies and forward passes, Prometheus text format;
 *   <li>{@code POST /embed}, {@code /predict?top=K}, {@code /search?k=K&thumbnails=true&top=K} — an
 *       image as the body (PNG, JPEG, BMP or GIF bytes, not a multipart form) → JSON;
 *   <li>{@code POST /verify} — {@code {"a": base64 image, "b": base64 image}} → JSON.
 * </ul>
 * Errors are JSON too, {@code {"status": 4xx, "error": message}}, Jetty's own protocol errors
 * included, and never carry class names or paths: 400 malformed request, 401 missing or wrong
 * token, 403 a {@code Host} not allowed, 404 unknown path or no index, 405 wrong method (with
 * {@code Allow}), 408 body not received in time, 413 body or image too large, 415 not an image
 * (a multipart form upload included: the error says to send the image's bytes as the body),
 * 422 damaged image, 500 internal error (details on the server's stderr only), 503 busy or
 * stopping (with {@code Retry-After}).
 *
 * <p>Requests wait for their forward pass asynchronously, holding no thread. Request bodies are
 * limited (Content-Length checked before reading, and the read itself capped); with a token set,
 * every endpoint but {@code /health} and the page requires {@code Authorization: Bearer TOKEN}.
 * {@link #stop()} drains gracefully: the server stops accepting connections, requests in flight
 * are answered (up to the drain timeout), then the service's forward worker ends.
 *
 * <p>Exposure: every request's {@code Host} must name an allowed host (loopback names and the bound
 * address by default, more with {@link Builder#optAllowedHosts}), which stops DNS rebinding;
 * binding an address other than loopback without a token is refused unless
 * {@link Builder#optInsecure} is set.
 *
 * <p>Limits: at most {@value #DEFAULT_MAX_CONNECTIONS} connections (more wait in the accept
 * queue), a connection's first request must arrive within {@value #DEFAULT_HEADER_MILLIS} ms, a
 * connection idle for {@value #DEFAULT_IDLE_MILLIS} ms is closed, a body must arrive within
 * {@value #DEFAULT_BODY_MILLIS} ms (else 408), and a request is answered within
 * {@value #DEFAULT_REQUEST_MILLIS} ms of its body (else 503).
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
    /** Default most open connections. */
    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    /** Default time a connection may stay idle, in ms. */
    public static final long DEFAULT_IDLE_MILLIS = 10_000;
    /** Default time a new connection gets to send its first request's headers, in ms. */
    public static final long DEFAULT_HEADER_MILLIS = 10_000;
    /** Default time a request body gets to arrive, in ms. */
    public static final long DEFAULT_BODY_MILLIS = 30_000;
    /** Default time from a request's body to its answer, in ms. */
    public static final long DEFAULT_REQUEST_MILLIS = 30_000;
    /** Seconds a client is asked to wait after a 503. */
    static final int RETRY_AFTER_SECONDS = 1;
    /** The host names every server answers to. */
    static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final EmbeddingService service;
    private final String token;
    private final int maxBodyBytes;
    private final Set<String> allowedHosts;
    private final boolean anyHost;
    private final long bodyMillis;
    private final long requestMillis;
    private final long headerMillis;
    private final Server server;
    private final ServerConnector connector;
    private final byte[] page;

    private SearchServer(Builder b) throws IOException {
        service = b.service;
        token = b.token;
        maxBodyBytes = b.maxBodyBytes;
        bodyMillis = b.bodyMillis;
        requestMillis = b.requestMillis;
        headerMillis = b.headerMillis;
        Set<String> hosts = new LinkedHashSet<>(LOOPBACK_NAMES);
        boolean any = false;
        for (String h : b.allowedHosts) {
            if (h.equals("*")) {
                any = true;
            } else {
                hosts.add(h.toLowerCase(Locale.ROOT));
            }
        }
        if (!isWildcard(b.host)) {
            hosts.add(b.host.toLowerCase(Locale.ROOT));
        }
        allowedHosts = Set.copyOf(hosts);
        anyHost = any;
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
        connector.setIdleTimeout(b.idleMillis);
        connector.addBean(new FirstRequestDeadline());
        server.addConnector(connector);
        // Past the limit Jetty stops accepting: further clients wait in the kernel's accept queue
        // instead of each holding a file descriptor here.
        server.addBean(new NetworkConnectionLimit(b.maxConnections, connector));
        server.setErrorHandler(new JsonErrors());
        server.setHandler(new GracefulHandler(new Router()));
        server.setStopTimeout(b.drainMillis);
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The query parameters of {@code /search} and {@code /predict}. */
    record SearchQuery(int k, boolean thumbnails, int top) {}

    /**
     * Reads the query string of {@code /search} and {@code /predict} strictly: percent-escapes must
     * be valid UTF-8, k and top integers (their ranges are the service's to check), thumbnails
     * true/false/1/0.
     *
     * @param query the raw query string, or null
     * @return k (default 10), whether thumbnails are asked, top (default: every class)
     * @throws ServiceException 400 naming the parameter
     */
    static SearchQuery searchQuery(String query) {
        Fields q = new Fields(true);
        if (query != null) {
            if (query.length() > 4096) {
                throw new ServiceException(400, "the query string is longer than 4096 characters");
            }
            try {
                org.eclipse.jetty.util.UrlEncoded.decodeUtf8To(query, q);
            } catch (RuntimeException e) {
                // Jetty's exceptions for %ZZ and invalid UTF-8: the client's fault, not worth a class name.
                throw new ServiceException(400, "the query string is malformed; expected ?k=K&thumbnails=true");
            }
        }
        int k = integer(q, "k", 10);
        int top = integer(q, "top", Integer.MAX_VALUE);
        String t = q.getValue("thumbnails");
        boolean thumbnails;
        if (t == null || t.equalsIgnoreCase("false") || t.equals("0")) {
            thumbnails = false;
        } else if (t.equalsIgnoreCase("true") || t.equals("1")) {
            thumbnails = true;
        } else {
            throw new ServiceException(400, "query parameter thumbnails must be true or false");
        }
        return new SearchQuery(k, thumbnails, top);
    }

    private static int integer(Fields q, String name, int absent) {
        String v = q.getValue(name);
        if (v == null) {
            return absent;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ServiceException(400, "query parameter " + name + " is not an integer");
        }
    }

    /** Whether the address is a wildcard (all interfaces). */
    static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /** Whether the address (a name or a literal) is loopback only; an unresolvable one is not. */
    public static boolean isLoopback(String host) {
        return LOOPBACK_NAMES.contains(host.toLowerCase(Locale.ROOT)) || io.anglearn.util.Hosts.isLoopback(host);
    }

    /** The host part of a Host header value, lower case, or null when malformed. */
    static String hostOf(String header) {
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) {
                return null;
            }
            String rest = h.substring(close + 1);
            if (!rest.isEmpty() && !rest.matches(":\\d{1,5}")) {
                return null;
            }
            return h.substring(0, close + 1);
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            if (!h.substring(colon).matches(":\\d{1,5}")) {
                return null;
            }
            h = h.substring(0, colon);
        }
        return h.isEmpty() ? null : h;
    }

    /** Closes connections that have not sent a complete request head within the deadline (slow headers). */
    private final class FirstRequestDeadline implements Connection.Listener {
        @Override
        public void onOpened(Connection connection) {
            Scheduler scheduler = connector.getScheduler();
            scheduler.schedule(() -> {
                if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) {
                    connection.getEndPoint().close(new TimeoutException("no request within " + headerMillis + " ms"));
                }
            }, headerMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Jetty's own error answers (bad request lines, headers too large, ...) as JSON, never HTML. */
    private static final class JsonErrors extends ErrorHandler {
        JsonErrors() {
            setShowStacks(false);
            setShowCauses(false);
            setShowMessageInTitle(false);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus() >= 400 ? response.getStatus() : 500;
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, ByteBuffer.wrap(body(status)), callback);
            return true;
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            return ByteBuffer.wrap(body(status));
        }

        private static byte[] body(int status) {
            JsonObject o = new JsonObject();
            o.addProperty("status", status);
            String reason = HttpStatus.getMessage(status);
            o.addProperty("error", "the HTTP request was refused: " + (reason == null ? "error " + status
                    : reason.toLowerCase(Locale.ROOT)));
            return (GSON.toJson(o) + "\n").getBytes(StandardCharsets.UTF_8);
        }
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
                checkHost(request);
                route(x, path, method);
            } catch (Throwable e) {
                x.fail(e);
            }
            return true;
        }

        private void checkHost(Request request) {
            if (anyHost) {
                return;
            }
            String header = request.getHeaders().get(HttpHeader.HOST);
            if (header == null) {
                return; // HTTP/1.0 without Host: no browser sends that, so no rebinding either
            }
            String host = hostOf(header);
            if (host == null || !allowedHosts.contains(host)) {
                throw new ServiceException(403, "this server does not answer to the host named in the Host header;"
                        + " start it with --allowed-host NAME to allow a name");
            }
        }

        private void route(Exchange x, String path, String method) {
            boolean get = method.equals("GET") || method.equals("HEAD");
            switch (x.endpoint) {
                case "page" -> {
                    requireMethod(x, get, "GET, HEAD");
                    x.send(200, "text/html; charset=utf-8", page);
                }
                case "health" -> {
                    requireMethod(x, get, "GET, HEAD");
                    if (authorized(x.request)) {
                        JsonObject h = service.health();
                        h.addProperty("auth", token != null);
                        x.json(200, h);
                    } else {
                        x.json(200, service.status());
                    }
                }
                case "metrics" -> {
                    requireMethod(x, get, "GET, HEAD");
                    authorize(x.request);
                    x.send(200, ServiceMetrics.CONTENT_TYPE, service.metrics().scrape());
                }
                case "embed" -> post(x, method, service::embed);
                case "predict" -> {
                    SearchQuery q = searchQuery(x.request.getHttpURI().getQuery());
                    post(x, method, body -> service.predict(body, q.top()));
                }
                case "search" -> {
                    SearchQuery q = searchQuery(x.request.getHttpURI().getQuery());
                    post(x, method, body -> service.search(body, q.k(), q.thumbnails(), q.top()));
                }
                case "verify" -> post(x, method, service::verify);
                default -> throw new ServiceException(404, "no endpoint " + path + "; see GET / for the page,"
                        + " POST /embed, /predict, /search, /verify, GET /health, /metrics");
            }
        }

        private void requireMethod(Exchange x, boolean ok, String allowed) {
            if (!ok) {
                x.response.getHeaders().put(HttpHeader.ALLOW, allowed);
                throw new ServiceException(405, "this endpoint answers " + allowed + " only");
            }
        }

        private void post(Exchange x, String method, Function<byte[], CompletableFuture<JsonObject>> work) {
            requireMethod(x, method.equals("POST"), "POST");
            authorize(x.request);
            String type = x.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            if (type != null && type.trim().toLowerCase(Locale.ROOT).startsWith("multipart/")
                    && !x.endpoint.equals("verify")) {
                // A form upload (curl -F, an HTML form): refused before its body is read, saying how to send the image.
                throw new ServiceException(415, "this endpoint takes the image's bytes as the request body, not a"
                        + " multipart form; send them with curl --data-binary @IMAGE -H 'Content-Type: image/png' URL");
            }
            long declared = x.request.getLength();
            if (declared > maxBodyBytes) {
                throw new ServiceException(413, "request body of " + declared + " bytes; at most " + maxBodyBytes
                        + " are accepted");
            }
            Content.Source.asByteArrayAsync(x.request, maxBodyBytes)
                    .orTimeout(bodyMillis, TimeUnit.MILLISECONDS)
                    .whenComplete((body, failure) -> {
                        if (failure != null) {
                            x.bodyFailed(EmbeddingService.cause(failure), declared);
                            return;
                        }
                        try {
                            work.apply(body).orTimeout(requestMillis, TimeUnit.MILLISECONDS).whenComplete((json, err) -> {
                                if (err == null) {
                                    x.json(200, json);
                                } else {
                                    x.fail(withHint(err, type));
                                }
                            });
                        } catch (Throwable e) {
                            x.fail(e);
                        }
                    });
        }

        /**
         * A body that is not an image, sent as a form (curl -d, which also drops a file's line
         * breaks): the refusal says how to send the bytes as they are.
         */
        private Throwable withHint(Throwable err, String type) {
            Throwable c = EmbeddingService.cause(err);
            if (c instanceof ServiceException s && s.status() == 415 && type != null
                    && type.trim().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                return new ServiceException(415, s.getMessage() + "; curl -d drops a file's line breaks: send the"
                        + " image with curl --data-binary @IMAGE -H 'Content-Type: image/png' URL", s);
            }
            return err;
        }

        private boolean authorized(Request request) {
            try {
                authorize(request);
                return true;
            } catch (ServiceException e) {
                return false;
            }
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

        /** Answers whatever a request failed with: a refusal with its status, anything else with 500. */
        void fail(Throwable failure) {
            Throwable c = EmbeddingService.cause(failure);
            if (c instanceof ServiceException s) {
                error(s.status(), s.getMessage());
            } else if (c instanceof java.util.concurrent.RejectedExecutionException) {
                error(503, "the server is shutting down");
            } else if (c instanceof TimeoutException) {
                error(503, "the request took longer than " + requestMillis + " ms; retry later");
            } else {
                // The details go to the operator, not to the client.
                System.err.println("anglearn serve: internal error answering /" + endpoint + ": " + c);
                error(500, "internal error; the server's log has the details");
            }
        }

        /** Answers a body that could not be read: too large, too slow or cut short. */
        void bodyFailed(Throwable c, long declared) {
            if (c instanceof TimeoutException || c.getCause() instanceof TimeoutException) {
                error(408, "the request body did not arrive within " + bodyMillis + " ms"
                        + (declared >= 0 ? " (Content-Length said " + declared + " bytes)" : ""));
            } else if (c instanceof EofException || c instanceof java.io.EOFException) {
                error(400, "the request body ended before its Content-Length of " + declared + " bytes");
            } else if (declared < 0 || c instanceof IllegalStateException || c instanceof IllegalArgumentException) {
                error(413, "request body larger than the " + maxBodyBytes + " bytes accepted");
            } else {
                error(400, "the request body could not be read");
            }
        }

        void error(int status, String message) {
            JsonObject o = new JsonObject();
            o.addProperty("status", status);
            o.addProperty("error", message);
            if (status == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            }
            if (status == 503) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
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
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private long idleMillis = DEFAULT_IDLE_MILLIS;
        private long headerMillis = DEFAULT_HEADER_MILLIS;
        private long bodyMillis = DEFAULT_BODY_MILLIS;
        private long requestMillis = DEFAULT_REQUEST_MILLIS;
        private Collection<String> allowedHosts = Set.of();
        private boolean insecure;

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

        /** Sets the most open connections (default {@value SearchServer#DEFAULT_MAX_CONNECTIONS}). */
        public Builder optMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** Sets how long a connection may stay idle, in ms (default {@value SearchServer#DEFAULT_IDLE_MILLIS}). */
        public Builder optIdleMillis(long idleMillis) {
            this.idleMillis = idleMillis;
            return this;
        }

        /** Sets how long a new connection gets to send a request head, in ms (default {@value SearchServer#DEFAULT_HEADER_MILLIS}). */
        public Builder optHeaderMillis(long headerMillis) {
            this.headerMillis = headerMillis;
            return this;
        }

        /** Sets how long a request body gets to arrive, in ms (default {@value SearchServer#DEFAULT_BODY_MILLIS}). */
        public Builder optBodyMillis(long bodyMillis) {
            this.bodyMillis = bodyMillis;
            return this;
        }

        /** Sets how long a request may take once its body is in, in ms (default {@value SearchServer#DEFAULT_REQUEST_MILLIS}). */
        public Builder optRequestMillis(long requestMillis) {
            this.requestMillis = requestMillis;
            return this;
        }

        /**
         * Sets host names, besides loopback names and the bound address, that requests' {@code Host}
         * may name ({@code *}: any).
         */
        public Builder optAllowedHosts(Collection<String> allowedHosts) {
            this.allowedHosts = allowedHosts == null ? Set.of() : allowedHosts;
            return this;
        }

        /** Allows binding an address other than loopback without a token (default refused). */
        public Builder optInsecure(boolean insecure) {
            this.insecure = insecure;
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
            if (maxConnections < 1 || maxConnections > 100_000) {
                throw new IllegalArgumentException("--max-connections must be in 1..100000, got " + maxConnections);
            }
            if (idleMillis < 100 || headerMillis < 100 || bodyMillis < 100 || requestMillis < 100) {
                throw new IllegalArgumentException("the idle, header, body and request timeouts must be at least 100 ms");
            }
            for (String h : allowedHosts) {
                if (h == null || !(h.equals("*") || h.matches("[A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]"))) {
                    throw new IllegalArgumentException("--allowed-host must be a host name, an IPv4 address, [IPv6]"
                            + " or *, got '" + h + "'");
                }
            }
            if (token == null && !insecure && !isLoopback(host)) {
                throw new IllegalArgumentException("--host " + host + " would let other machines use the server without"
                        + " a token; pass --token TOKEN (or set $ANGLEARN_TOKEN), or --insecure to serve without one");
            }
            return new SearchServer(this);
        }
    }
}
