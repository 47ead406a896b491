package io.anglearn.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The service's counters, exposed at {@code GET /metrics} in the Prometheus text format:
 * <ul>
 *   <li>{@code anglearn_requests_total{endpoint, status}} — requests answered;
 *   <li>{@code anglearn_request_duration_seconds{endpoint}} — a histogram of the time from the
 *       request's arrival to its answer;
 *   <li>{@code anglearn_forward_passes_total} and {@code anglearn_forward_images_total} — forward
 *       passes of the network and the images they held (their ratio is the mean batch size).
 * </ul>
 * Each service has its own registry, so tests and several servers in one JVM do not mix counts.
 */
public final class ServiceMetrics {

    /** The content type of {@link #scrape()}. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("anglearn_requests_total")
            .help("Requests answered, by endpoint and HTTP status").labelNames("endpoint", "status").register(registry);
    private final Histogram latency = Histogram.builder().name("anglearn_request_duration_seconds")
            .help("Time from a request's arrival to its answer").labelNames("endpoint").classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
    private final Counter forwardPasses = Counter.builder().name("anglearn_forward_passes_total")
            .help("Forward passes of the network").register(registry);
    private final Counter forwardImages = Counter.builder().name("anglearn_forward_images_total")
            .help("Images embedded by the forward passes").register(registry);

    /**
     * Records an answered request.
     *
     * @param endpoint e.g. {@code search}
     * @param status the HTTP status
     * @param seconds time from arrival to answer
     */
    public void request(String endpoint, int status, double seconds) {
        requests.labelValues(endpoint, Integer.toString(status)).inc();
        latency.labelValues(endpoint).observe(seconds);
    }

    /**
     * Records one forward pass.
     *
     * @param images the images it held
     */
    public void forwardPass(int images) {
        forwardPasses.inc();
        forwardImages.inc(images);
    }

    /** Returns the number of forward passes so far. */
    public long forwardPasses() {
        return (long) forwardPasses.get();
    }

    /** Returns the number of images embedded so far. */
    public long forwardImages() {
        return (long) forwardImages.get();
    }

    /**
     * Writes every metric in the Prometheus text format.
     *
     * @return the text, UTF-8
     */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }
}
