package io.anglearn.solr;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The nodes of one SolrCloud cluster, reached through Solr's JSON HTTP API with the JDK's client.
 * A request goes to the node that answered last; when a node cannot be reached, or answers that it
 * cannot serve the request now (429, 500, 502, 503, 504: a node stopping, a shard between leaders,
 * a replica recovering), the request goes to the next live node, and after a round of all of them
 * waits (100 ms, doubling to 2 s) and tries again, until the retry time has passed. Solr forwards
 * each request to the shards' replicas itself; the client only needs one node that answers.
 * Requests sent here are idempotent (searches, and updates of documents by fixed ids), so sending
 * one twice is harmless.
 */
final class SolrNodes {

    /** Statuses that say "not now" rather than "never". */
    private static boolean transientStatus(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final SolrLocation location;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final List<URI> nodes = new CopyOnWriteArrayList<>();
    private volatile int current;

    SolrNodes(SolrLocation location, Duration requestTimeout) {
        this.location = location;
        this.requestTimeout = requestTimeout;
        // HTTP/1.1: Solr's Jetty speaks it everywhere; the JDK's HTTP/2 upgrade attempt on plain http adds nothing.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
        nodes.add(location.base());
    }

    /** An error answer from Solr that retrying will not change (400, 401, 403, 404, ...). */
    static final class SolrError extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        SolrError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The node URLs known, the one given first. */
    List<URI> nodes() {
        return List.copyOf(nodes);
    }

    /**
     * Adds the cluster's live nodes (Solr's node names, {@code host:port_solr}) to those tried when
     * the current one fails.
     */
    void addLiveNodes(Iterable<JsonElement> names) {
        for (JsonElement e : names) {
            URI u = nodeUrl(e.getAsString());
            if (u != null && !nodes.contains(u)) {
                nodes.add(u);
            }
        }
    }

    /** A node name {@code host:port_context} as a base URL with the given URL's scheme. */
    private URI nodeUrl(String name) {
        int underscore = name.indexOf('_');
        if (underscore < 0) {
            return null;
        }
        String context = URLDecoder.decode(name.substring(underscore + 1), StandardCharsets.UTF_8);
        try {
            return URI.create(location.base().getScheme() + "://" + name.substring(0, underscore)
                    + (context.isEmpty() ? "" : "/" + context));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Encodes parameters as a query string or form body. */
    static String form(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** GET {@code base + path ? params}. */
    JsonObject get(String path, Map<String, String> params, Duration retryFor) throws IOException {
        String q = params.isEmpty() ? "" : "?" + form(params);
        return send(base -> request(base, path + q).GET().build(), retryFor);
    }

    /** POST the parameters as a form (searches: a long vector does not fit in a URL). */
    JsonObject postForm(String path, Map<String, String> params, Duration retryFor) throws IOException {
        String body = form(params);
        return send(base -> request(base, path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), retryFor);
    }

    /** POST a body of the given type to {@code base + path ? params}. */
    JsonObject post(String path, Map<String, String> params, String contentType, byte[] body, Duration retryFor)
            throws IOException {
        String q = params.isEmpty() ? "" : "?" + form(params);
        return send(base -> request(base, path + q).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), retryFor);
    }

    private HttpRequest.Builder request(URI base, String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(requestTimeout)
                .header("Accept", "application/json");
        if (location.authorization() != null) {
            b.header("Authorization", location.authorization());
        }
        return b;
    }

    /** Builds a request for one node. */
    private interface RequestFor {
        HttpRequest build(URI base);
    }

    private JsonObject send(RequestFor make, Duration retryFor) throws IOException {
        long deadline = System.nanoTime() + retryFor.toNanos();
        long backoffMillis = 100;
        IOException last = null;
        while (true) {
            List<URI> round = new ArrayList<>(nodes);
            int start = current;
            for (int i = 0; i < round.size(); i++) {
                int which = (start + i) % round.size();
                URI base = round.get(which);
                HttpResponse<String> r;
                try {
                    r = http.send(make.build(base), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for Solr at " + base);
                } catch (IOException e) {
                    last = unreachable(base, e);
                    continue;
                }
                if (transientStatus(r.statusCode())) {
                    last = new IOException("Solr at " + base + " answered " + r.statusCode() + ": " + message(r));
                    continue;
                }
                current = which;
                if (r.statusCode() >= 300) {
                    throw new SolrError(r.statusCode(), message(r));
                }
                try {
                    return JsonParser.parseString(r.body()).getAsJsonObject();
                } catch (JsonParseException | IllegalStateException e) {
                    throw new IOException(base + " did not answer with Solr's JSON (is it a Solr node?): "
                            + abbreviate(r.body()), e);
                }
            }
            if (System.nanoTime() >= deadline) {
                throw last;
            }
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for Solr");
            }
            backoffMillis = Math.min(2000, backoffMillis * 2);
        }
    }

    private static IOException unreachable(URI base, IOException e) {
        String why;
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            why = "connection refused";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer in time";
        } else {
            why = e.getMessage() != null ? e.getMessage() : String.valueOf(e.getCause() != null ? e.getCause() : e);
        }
        return new IOException("cannot reach Solr at " + base + " (" + why + ")", e);
    }

    /** Solr's error message from an error answer, or the start of the body. */
    private static String message(HttpResponse<String> r) {
        try {
            JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
            if (o.has("error") && o.getAsJsonObject("error").has("msg")) {
                return o.getAsJsonObject("error").get("msg").getAsString();
            }
        } catch (RuntimeException e) {
            // not JSON: an HTML error page of Jetty or a proxy
        }
        return "HTTP " + r.statusCode() + " " + abbreviate(r.body());
    }

    private static String abbreviate(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return t.length() <= 200 ? t : t.substring(0, 200) + "…";
    }
}
