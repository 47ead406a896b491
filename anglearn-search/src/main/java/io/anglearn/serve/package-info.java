/**
 * A trained run as an HTTP service: {@link io.anglearn.serve.EmbeddingService} embeds, classifies,
 * searches and verifies images (decoded defensively, batched onto the network by
 * {@link io.anglearn.serve.BatchingEmbedder}); {@link io.anglearn.serve.SearchServer} exposes it over
 * HTTP with an embedded Jetty server, a self-contained search page, bearer-token authentication,
 * request size limits, Prometheus metrics ({@link io.anglearn.serve.ServiceMetrics}) and graceful
 * draining on shutdown.
 */
package io.anglearn.serve;
