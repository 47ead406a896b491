package io.anglearn.solr;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A SolrCloud collection named by a URL, as the commands take it:
 * {@code http://HOST:PORT/solr/COLLECTION} (or {@code https}). The last path segment is the
 * collection; what comes before it is the Solr node's base URL (usually ending in {@code /solr}).
 * A user name and password in the URL ({@code http://user:secret@host:8983/solr/images}) are sent
 * as HTTP basic authentication and never shown in messages.
 *
 * @param base the node's base URL, without credentials, e.g. {@code http://127.0.0.1:8983/solr}
 * @param collection the collection's name
 * @param authorization the {@code Authorization} header value, or null without credentials
 */
public record SolrLocation(URI base, String collection, String authorization) {

    /** Solr's rule for collection names: letters, digits, '.', '_' and '-', not starting with '-' or '.'. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    /** Checks the fields. */
    public SolrLocation {
        if (base == null || collection == null) {
            throw new IllegalArgumentException("a Solr location needs a base URL and a collection");
        }
    }

    /**
     * Whether a command-line value names a collection by URL rather than a local index folder.
     *
     * @param value the value
     * @return true if it starts with {@code http://} or {@code https://}
     */
    public static boolean isUrl(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.startsWith("http://") || v.startsWith("https://");
    }

    /**
     * Parses a collection URL.
     *
     * @param url {@code http(s)://HOST:PORT/solr/COLLECTION}
     * @return the location
     * @throws IllegalArgumentException naming the URL and what was expected
     */
    public static SolrLocation parse(String url) {
        String expected = "; expected http://HOST:PORT/solr/COLLECTION";
        URI u;
        try {
            u = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + redact(url) + "' is not a URL (" + e.getReason() + ")" + expected, e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + redact(url) + "' is not an http or https URL" + expected);
        }
        if (u.getHost() == null) {
            throw new IllegalArgumentException("'" + redact(url) + "' names no host" + expected);
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + redact(url) + "' has a query or fragment" + expected);
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        int slash = path.lastIndexOf('/');
        String collection = slash < 0 ? "" : URLDecoder.decode(path.substring(slash + 1), StandardCharsets.UTF_8);
        if (slash <= 0 || !NAME.matcher(collection).matches()) {
            throw new IllegalArgumentException("'" + redact(url) + "' does not end with a collection name (letters,"
                    + " digits, '.', '_', '-')" + expected);
        }
        String authorization = null;
        if (u.getRawUserInfo() != null) {
            String info = URLDecoder.decode(u.getRawUserInfo(), StandardCharsets.UTF_8);
            authorization = "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8));
        }
        URI base;
        try {
            base = new URI(scheme, null, u.getHost(), u.getPort(), path.substring(0, slash), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + redact(url) + "': " + e.getReason() + expected, e);
        }
        return new SolrLocation(base, collection, authorization);
    }

    /** Returns the collection's URL without credentials, for messages. */
    public String url() {
        return base + "/" + collection;
    }

    @Override
    public String toString() {
        return url();
    }

    /** The URL with any user information removed, for an error message about it. */
    private static String redact(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1");
    }
}
