package io.anglearn.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.ImageDecodeException;
import io.anglearn.data.ImageDecoder;
import io.anglearn.engine.ThreadNice;
import io.anglearn.index.RunIndexer;
import io.anglearn.index.SearchHit;
import io.anglearn.loss.ClassProbabilities;
import io.anglearn.index.SearchableIndex;
import io.anglearn.run.TrainedRun;
import io.anglearn.train.Prediction;
import io.anglearn.train.PredictionJson;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * What the HTTP service does, without HTTP: embeds, classifies, searches and verifies images sent
 * as bytes, answering with JSON objects. Images are decoded defensively ({@link ImageDecoder}:
 * forged headers, decompression bombs, truncated or non-image data are refused with a
 * {@link ServiceException} carrying a 4xx status) and embedded through a {@link BatchingEmbedder},
 * so concurrent requests share forward passes.
 *
 * <p>Answers:
 * <ul>
 *   <li>embed: {@code {dimension, embedding}}, the embedding L2-normalised;
 *   <li>predict: the head's class and the most probable classes, each with its index, name,
 *       probability and cosine similarity, in {@link PredictionJson}'s form (the one of
 *       {@code anglearn predict --json}); the probability is the softmax of the run's loss's own
 *       logits without the margin ({@link ClassProbabilities}; for the angular loss
 *       {@code softmax(k·(π/2 − θ_j))}), or {@code softmax(s·cos θ_j)} when a softmax scale s is given;
 *   <li>search: the prediction and the k nearest indexed items ({@code hits}: ordinal, classIndex,
 *       className, source, cosine, angle in degrees, optionally a PNG thumbnail as a data URI);
 *   <li>verify: the cosine similarity and angle of two images' embeddings and, when the service has
 *       a threshold (the run's best-accuracy threshold from {@code anglearn evaluate}), whether
 *       they are the same class.
 * </ul>
 *
 * <p>Decoding, the costly part of a request for a large compressed image, runs on pools of its own,
 * in two lanes chosen by the pixels the image's header declares: images up to 16 times the
 * network's input side per axis on as many threads as cores, larger ones on half as many (at
 * least one), each lane with a bounded queue: the ordinary lane's is the decode queue, the large
 * lane's holds one image per thread, so that large images beyond what the lane can start soon are
 * refused at once. A flood of large images thus stays in its own lane and leaves ordinary
 * requests their threads; on Linux the large lane's threads also run at nice
 * {@value #LARGE_DECODE_NICE}, so they get the CPU that ordinary requests leave. When a lane's queue is full the request is refused
 * at once with 503 rather than left to wait, and a decode still queued after the decode wait is
 * dropped. Images larger than {@value ImageDecoder#SERVER_SIDE_FACTOR} times the network's input
 * per side are refused (413) as well as those over the absolute limits.
 *
 * <p>Options: the index (default none: search answers 404), the verification threshold (default
 * none), the softmax scale s (default none: the run's loss decides, see {@link ClassProbabilities}), the batch size and delay
 * of the {@link BatchingEmbedder}, the image limits of the {@link ImageDecoder}, the executor that
 * runs searches after their forward pass (default the common pool).
 */
public final class EmbeddingService implements AutoCloseable {

    /** Largest k a search may ask for. */
    public static final int MAX_K = 1000;
    /** Largest k a search with thumbnails may ask for (each thumbnail is a few KB of PNG). */
    public static final int MAX_K_THUMBNAILS = 50;
    /** Default decode threads: the cores. */
    public static final int DEFAULT_DECODE_THREADS = Runtime.getRuntime().availableProcessors();
    /** Default most decodes waiting for a thread. */
    public static final int DEFAULT_DECODE_QUEUE = 64;
    /** Nice value of the threads that decode large images: they get the CPU ordinary requests leave. */
    static final int LARGE_DECODE_NICE = 10;
    /** Default longest a decode may wait in the queue, in ms. */
    public static final long DEFAULT_DECODE_WAIT_MILLIS = 10_000;
    /** Side of the thumbnails, in pixels. */
    static final int THUMBNAIL = 64;

    private static final Pattern SPLIT_SOURCE = Pattern.compile("(test|train)#(\\d+)");

    private final TrainedRun run;
    private final SearchableIndex index;
    private final Double threshold;
    private final ClassProbabilities probabilities;
    private final ImageDecoder decoder;
    private final ImageDecoder thumbnailDecoder;
    private final BatchingEmbedder embedder;
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final Executor executor;
    private final double[][] unitWeights;
    private final Map<String, ImageDataset> splits = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor decodePool;
    private final ThreadPoolExecutor largeDecodePool;
    private final long largePixels;
    private final long decodeWaitNanos;
    private volatile boolean closed;

    private EmbeddingService(Builder b) {
        run = b.run;
        index = b.index;
        threshold = b.threshold;
        probabilities = b.softmaxScale != null ? ClassProbabilities.ofScale(b.softmaxScale)
                : ClassProbabilities.of(run.loss(), run.classNames().size());
        executor = b.executor;
        int[] shape = run.imageShape();
        decoder = ImageDecoder.builder().setImageSize(shape[1]).setChannels(shape[0]).optMaxSide(b.maxImageSide)
                .optMaxPixels(b.maxImagePixels).optSideFactor(b.sideFactor).build();
        AtomicInteger threadNumber = new AtomicInteger();
        decodePool = pool(b.decodeThreads, b.decodeQueue, "anglearn-decode-", threadNumber, 0);
        // Expensive decodes are admitted only while a thread is free or about to be: one waiting
        // per thread. The rest are refused at once (503), not queued for seconds, so that they
        // cannot pile up CPU and memory in front of the cheap requests.
        int largeThreads = Math.max(1, b.decodeThreads / 2);
        largeDecodePool = pool(largeThreads, largeThreads, "anglearn-decode-large-", threadNumber, LARGE_DECODE_NICE);
        long side = 16L * shape[1];
        largePixels = side * side;
        decodeWaitNanos = TimeUnit.MILLISECONDS.toNanos(b.decodeWaitMillis);
        thumbnailDecoder = ImageDecoder.builder().setImageSize(THUMBNAIL).setChannels(3).build();
        double[][] w = run.inference().classWeights();
        unitWeights = new double[w.length][];
        for (int j = 0; j < w.length; j++) {
            unitWeights[j] = unit(w[j]);
        }
        embedder = BatchingEmbedder.start(run, b.maxBatch, b.batchDelayMicros, metrics::forwardPass);
    }

    private static ThreadPoolExecutor pool(int threads, int queue, String name, AtomicInteger number, int nice) {
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Runnable body = nice == 0 ? r : () -> {
                        ThreadNice.set(nice);
                        r.run();
                    };
                    Thread t = new Thread(body, name + number.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the service's metrics. */
    public ServiceMetrics metrics() {
        return metrics;
    }

    /** Returns the trained run it serves. */
    public TrainedRun run() {
        return run;
    }

    /** Returns the index searched, or null. */
    public SearchableIndex index() {
        return index;
    }

    /** Returns the verification threshold on the cosine similarity, or null. */
    public Double threshold() {
        return threshold;
    }

    /**
     * Says whether the service answers: what a load balancer needs, and nothing about the run.
     *
     * @return {@code {status: "ok" or "stopping", ready}}
     */
    public JsonObject status() {
        JsonObject o = new JsonObject();
        o.addProperty("status", closed ? "stopping" : "ok");
        o.addProperty("ready", !closed);
        return o;
    }

    /**
     * Describes the service: run, checkpoint, classes, index. Only names, no paths: the run's and
     * the index's directory names.
     *
     * @return {@code {status, ready, run, checkpointStep, checkpointDigest, classes, dimension, index, threshold}}
     */
    public JsonObject health() {
        JsonObject o = status();
        o.addProperty("run", String.valueOf(run.runDir().toAbsolutePath().normalize().getFileName()));
        o.addProperty("checkpointStep", run.checkpointStep());
        o.addProperty("checkpointDigest", run.checkpointDigest());
        JsonArray classes = new JsonArray();
        run.classNames().forEach(classes::add);
        o.add("classes", classes);
        o.addProperty("dimension", unitWeights[0].length);
        if (index != null) {
            JsonObject i = new JsonObject();
            i.addProperty("name", index.name());
            try {
                i.addProperty("size", index.size());
            } catch (IOException e) {
                // A search engine that cannot be reached now: the health answer says so by the missing size.
                System.err.println("anglearn serve: " + e.getMessage());
            }
            o.add("index", i);
        }
        if (threshold != null) {
            o.addProperty("threshold", threshold);
        }
        o.addProperty("probabilities", probabilities.describe());
        return o;
    }

    /**
     * Embeds one image.
     *
     * @param image the encoded image
     * @return completes with {@code {dimension, embedding}}
     * @throws ServiceException if the image is refused
     */
    public CompletableFuture<JsonObject> embed(byte[] image) {
        return forward(image, "the request body").thenApply(out -> {
            JsonObject o = new JsonObject();
            float[] u = unit(out.embedding());
            o.addProperty("dimension", u.length);
            JsonArray a = new JsonArray();
            for (float v : u) {
                a.add(v);
            }
            o.add("embedding", a);
            return o;
        });
    }

    /**
     * Classifies one image, listing every class.
     *
     * @param image the encoded image
     * @return completes with the prediction in {@link PredictionJson}'s form
     * @throws ServiceException if the image is refused
     */
    public CompletableFuture<JsonObject> predict(byte[] image) {
        return predict(image, Integer.MAX_VALUE);
    }

    /**
     * Classifies one image.
     *
     * @param image the encoded image
     * @param top how many classes the answer's {@code top} lists, most probable first (at least 1;
     *     more than the classes: every class)
     * @return completes with the prediction in {@link PredictionJson}'s form: {@code {classIndex,
     *     className, probability, cosine, top: [{classIndex, className, probability, cosine}]}}
     * @throws ServiceException if top is below 1 or the image is refused
     */
    public CompletableFuture<JsonObject> predict(byte[] image, int top) {
        checkTop(top);
        return forward(image, "the request body").thenApply(out -> prediction(out, top));
    }

    private static void checkTop(int top) {
        if (top < 1) {
            throw new ServiceException(400, "top must be >= 1, got " + top);
        }
    }

    /**
     * Searches the index for the images nearest to one image.
     *
     * @param image the encoded image
     * @param k how many, 1..{@value #MAX_K}
     * @param thumbnails whether to add each hit's thumbnail as a PNG data URI
     * @return completes with the prediction and {@code hits}
     * @throws ServiceException if there is no index, k is out of range or the image is refused
     */
    public CompletableFuture<JsonObject> search(byte[] image, int k, boolean thumbnails) {
        return search(image, k, thumbnails, Integer.MAX_VALUE);
    }

    /**
     * Searches the index for the images nearest to one image.
     *
     * @param image the encoded image
     * @param k how many, 1..{@value #MAX_K}
     * @param thumbnails whether to add each hit's thumbnail as a PNG data URI
     * @param top how many classes the prediction's {@code top} lists (at least 1)
     * @return completes with the prediction ({@link PredictionJson}) and {@code hits}
     * @throws ServiceException if there is no index, k or top is out of range or the image is refused
     */
    public CompletableFuture<JsonObject> search(byte[] image, int k, boolean thumbnails, int top) {
        checkTop(top);
        if (index == null) {
            throw new ServiceException(404, "this server has no index; start it with --index INDEX to search");
        }
        if (k < 1 || k > MAX_K) {
            throw new ServiceException(400, "k must be in 1.." + MAX_K + ", got " + k);
        }
        if (thumbnails && k > MAX_K_THUMBNAILS) {
            throw new ServiceException(400, "k must be in 1.." + MAX_K_THUMBNAILS + " with thumbnails=true, got " + k);
        }
        return forward(image, "the request body").thenApplyAsync(out -> {
            JsonObject o = prediction(out, top);
            List<SearchHit> hits;
            try {
                hits = index.search(out.embedding(), k);
            } catch (IOException e) {
                // A damaged index: the operator sees why, the client that the search failed.
                System.err.println("anglearn serve: " + e.getMessage());
                throw new ServiceException(500, "the index could not be searched; the server's log has the details", e);
            }
            JsonArray a = new JsonArray();
            for (SearchHit h : hits) {
                JsonObject j = new JsonObject();
                j.addProperty("ordinal", h.ordinal());
                // A class as PredictionJson names one; both null for an item indexed without a class.
                boolean labelled = h.label() >= 0 && h.label() < run.classNames().size();
                j.addProperty(PredictionJson.CLASS_INDEX, labelled ? h.label() : null);
                j.addProperty(PredictionJson.CLASS_NAME, labelled ? run.classNames().get(h.label()) : null);
                j.addProperty("source", h.source());
                j.addProperty("cosine", h.cosine());
                j.addProperty("angleDegrees", h.angleDegrees());
                if (thumbnails) {
                    String t = thumbnail(h.source());
                    if (t != null) {
                        j.addProperty("thumbnail", t);
                    }
                }
                a.add(j);
            }
            o.add("hits", a);
            return o;
        }, executor);
    }

    /**
     * Compares two images: {@code {"a": base64, "b": base64}} in, similarity and decision out.
     *
     * @param json the request body, UTF-8 JSON with the two images base64-encoded
     * @return completes with {@code {cosine, angleDegrees, threshold?, same?}}
     * @throws ServiceException if the body or an image is refused
     */
    public CompletableFuture<JsonObject> verify(byte[] json) {
        byte[][] ab = parseVerify(json);
        byte[] a = ab[0];
        byte[] b = ab[1];
        CompletableFuture<BatchingEmbedder.Output> fa = forward(a, "image a");
        CompletableFuture<BatchingEmbedder.Output> fb = forward(b, "image b");
        return fa.thenCombine(fb, (x, y) -> {
            float[] ux = unit(x.embedding());
            float[] uy = unit(y.embedding());
            double cos = 0;
            for (int i = 0; i < ux.length; i++) {
                cos += (double) ux[i] * uy[i];
            }
            cos = Math.max(-1, Math.min(1, cos));
            JsonObject o = new JsonObject();
            o.addProperty("cosine", cos);
            o.addProperty("angleDegrees", Math.toDegrees(Math.acos(cos)));
            if (threshold != null) {
                o.addProperty("threshold", threshold);
                o.addProperty("same", cos >= threshold);
            } else {
                o.addProperty("note", "no verification threshold: run 'anglearn evaluate' on the run, or start the"
                        + " server with --threshold");
            }
            return o;
        });
    }

    private static final String VERIFY_SHAPE = "expected {\"a\": base64 image, \"b\": base64 image}";

    /**
     * Reads {@code {"a": "...", "b": "..."}} strictly: RFC 8259 JSON only (no comments, unquoted
     * names or single quotes), exactly the two fields, each once, each a string of RFC 4648
     * base64 without line breaks or other characters.
     *
     * @param json the request body
     * @return the decoded bytes of a and b
     * @throws ServiceException 400 naming what is wrong
     */
    static byte[][] parseVerify(byte[] json) {
        byte[][] out = new byte[2][];
        try (JsonReader r = new JsonReader(new StringReader(utf8(json)))) {
            r.setStrictness(Strictness.STRICT);
            r.setNestingLimit(4);
            if (r.peek() != JsonToken.BEGIN_OBJECT) {
                throw new ServiceException(400, "the body is not a JSON object; " + VERIFY_SHAPE);
            }
            r.beginObject();
            java.util.Set<String> seen = new HashSet<>();
            while (r.hasNext()) {
                String name = r.nextName();
                int i = switch (name) {
                    case "a" -> 0;
                    case "b" -> 1;
                    // The name is not echoed: error messages carry no client data.
                    default -> throw new ServiceException(400, "unexpected field; " + VERIFY_SHAPE);
                };
                if (!seen.add(name)) {
                    throw new ServiceException(400, "field '" + name + "' appears twice; " + VERIFY_SHAPE);
                }
                if (r.peek() != JsonToken.STRING) {
                    throw new ServiceException(400, "field '" + name + "' is not a string; " + VERIFY_SHAPE);
                }
                String v = r.nextString();
                try {
                    out[i] = Base64.getDecoder().decode(v);
                } catch (IllegalArgumentException ex) {
                    throw new ServiceException(400, "field '" + name + "' is not base64 (RFC 4648, no line breaks): "
                            + ex.getMessage());
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new ServiceException(400, "the body has more after its JSON object; " + VERIFY_SHAPE);
            }
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            // Gson reports syntax errors as MalformedJsonException (an IOException) and a wrong
            // token as IllegalStateException; its messages quote a JSON path, never the data.
            throw new ServiceException(400, "the body is not valid JSON; " + VERIFY_SHAPE);
        }
        for (int i = 0; i < 2; i++) {
            if (out[i] == null) {
                throw new ServiceException(400, "field '" + (i == 0 ? "a" : "b") + "' is missing; " + VERIFY_SHAPE);
            }
        }
        return out;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ServiceException(400, "the body is not UTF-8; " + VERIFY_SHAPE);
        }
    }

    /**
     * Decodes on the decode pool, then queues the pixels for a forward pass. A full decode queue
     * fails the future at once with 503; so does a decode that waited past the decode wait.
     */
    private CompletableFuture<BatchingEmbedder.Output> forward(byte[] image, String name) {
        CompletableFuture<byte[]> decoded = new CompletableFuture<>();
        long queued = System.nanoTime();
        // Reading the header costs microseconds; decoding a large image can cost seconds.
        long declared = ImageDecoder.declaredPixels(image);
        if (declared > decoder.maxPixels()) {
            // Refused at the header without queueing: forged sizes must not fill a lane.
            try {
                decoded.complete(decode(image, name));
            } catch (Throwable t) {
                decoded.completeExceptionally(t);
            }
            return decoded.thenCompose(embedder::submit);
        }
        ThreadPoolExecutor lane = declared > largePixels ? largeDecodePool : decodePool;
        try {
            lane.execute(() -> {
                if (System.nanoTime() - queued > decodeWaitNanos) {
                    decoded.completeExceptionally(busy("waited longer than "
                            + TimeUnit.NANOSECONDS.toMillis(decodeWaitNanos) + " ms to be decoded"));
                    return;
                }
                try {
                    decoded.complete(decode(image, name));
                } catch (Throwable t) {
                    decoded.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            decoded.completeExceptionally(closed ? e : busy("too many images are being decoded"));
        }
        return decoded.thenCompose(embedder::submit);
    }

    private static ServiceException busy(String why) {
        return new ServiceException(503, "the server is busy: " + why + "; retry later");
    }

    private byte[] decode(byte[] image, String name) {
        try {
            return decoder.decode(image, name);
        } catch (ImageDecodeException e) {
            int status = switch (e.reason()) {
                case TOO_LARGE -> 413;
                case NOT_AN_IMAGE -> 415;
                case DAMAGED -> 422;
            };
            throw new ServiceException(status, e.getMessage(), e);
        }
    }

    private JsonObject prediction(BatchingEmbedder.Output out, int top) {
        float[] u = unit(out.embedding());
        int c = unitWeights.length;
        double[] cos = new double[c];
        for (int j = 0; j < c; j++) {
            double s = 0;
            for (int i = 0; i < u.length; i++) {
                s += u[i] * unitWeights[j][i];
            }
            cos[j] = s;
        }
        double[] p = probabilities.probabilities(out.scores(), out.embedding());
        int best = 0;
        for (int j = 1; j < c; j++) {
            if (out.scores()[j] > out.scores()[best]) {
                best = j;
            }
        }
        // The same form as anglearn predict --json, written by the same class; a request body has no file name.
        return PredictionJson.toJson(new Prediction(null, best, run.classNames().get(best), cos, p), run.classNames(), top);
    }

    /** A PNG data URI of an indexed item's image, or null when its image cannot be found. */
    private String thumbnail(String source) {
        try {
            BufferedImage img;
            Matcher m = SPLIT_SOURCE.matcher(source);
            if (m.matches()) {
                ImageDataset d = splits.computeIfAbsent(m.group(1), s -> {
                    try {
                        synchronized (run) { // the run loads its dataset lazily, once
                            return run.split(s);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                int i = Integer.parseInt(m.group(2));
                if (i >= d.size()) {
                    return null;
                }
                img = render(d, i);
            } else {
                Path p = Path.of(source);
                if (!Files.isRegularFile(p)) {
                    return null;
                }
                byte[] px = thumbnailDecoder.decode(p);
                img = new BufferedImage(THUMBNAIL, THUMBNAIL, BufferedImage.TYPE_INT_RGB);
                int plane = THUMBNAIL * THUMBNAIL;
                for (int q = 0; q < plane; q++) {
                    img.setRGB(q % THUMBNAIL, q / THUMBNAIL,
                            (px[q] & 0xFF) << 16 | (px[plane + q] & 0xFF) << 8 | (px[2 * plane + q] & 0xFF));
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
        } catch (IOException | RuntimeException e) {
            return null; // a missing thumbnail is shown as such; the hit itself is still answered
        }
    }

    /** A dataset image enlarged to the thumbnail size (nearest neighbour: the pixels stay sharp). */
    private static BufferedImage render(ImageDataset d, int i) {
        byte[] px = new byte[d.imageSize()];
        d.copyImage(i, px, 0);
        int h = d.height();
        int w = d.width();
        int plane = h * w;
        BufferedImage img = new BufferedImage(THUMBNAIL, THUMBNAIL, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < THUMBNAIL; y++) {
            for (int x = 0; x < THUMBNAIL; x++) {
                int q = (y * h / THUMBNAIL) * w + x * w / THUMBNAIL;
                int r = px[q] & 0xFF;
                int g = d.channels() == 3 ? px[plane + q] & 0xFF : r;
                int b = d.channels() == 3 ? px[2 * plane + q] & 0xFF : r;
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    private static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        float[] u = new float[v.length];
        if (n == 0) {
            return u;
        }
        double inv = 1 / Math.sqrt(n);
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] * inv);
        }
        return u;
    }

    private static double[] unit(double[] v) {
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        double[] u = new double[v.length];
        double inv = n == 0 ? 0 : 1 / Math.sqrt(n);
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] * inv;
        }
        return u;
    }

    /**
     * Unwraps the failure of a future: the {@link ServiceException} or other cause inside a
     * {@link CompletionException}.
     *
     * @param t what the future failed with
     * @return the underlying failure
     */
    public static Throwable cause(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Stops the decode pool and the forward worker after the images already queued; the run and index stay open. */
    @Override
    public void close() {
        closed = true;
        decodePool.shutdown();
        largeDecodePool.shutdown();
        try {
            decodePool.awaitTermination(60, TimeUnit.SECONDS);
            largeDecodePool.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        embedder.close();
    }

    /** Builds an {@link EmbeddingService}; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private TrainedRun run;
        private SearchableIndex index;
        private Double threshold;
        private Double softmaxScale;
        private int maxBatch = BatchingEmbedder.DEFAULT_MAX_BATCH;
        private long batchDelayMicros = BatchingEmbedder.DEFAULT_MAX_DELAY_MICROS;
        private int maxImageSide = ImageDecoder.DEFAULT_MAX_SIDE;
        private long maxImagePixels = ImageDecoder.DEFAULT_MAX_PIXELS;
        private Executor executor = ForkJoinPool.commonPool();
        private int sideFactor = ImageDecoder.SERVER_SIDE_FACTOR;
        private int decodeThreads = DEFAULT_DECODE_THREADS;
        private int decodeQueue = DEFAULT_DECODE_QUEUE;
        private long decodeWaitMillis = DEFAULT_DECODE_WAIT_MILLIS;

        /** Sets the trained run (required). */
        public Builder setRun(TrainedRun run) {
            this.run = run;
            return this;
        }

        /** Sets the index to search (default none): a local index or a search engine's collection. It must hold this run's embeddings. */
        public Builder optIndex(SearchableIndex index) {
            this.index = index;
            return this;
        }

        /** Sets the verification threshold on the cosine similarity (default none). */
        public Builder optThreshold(Double threshold) {
            this.threshold = threshold;
            return this;
        }

        /**
         * Sets the scale s of predict's probabilities {@code softmax(s·cos θ_j)} (default null: the
         * softmax of the run's loss's own logits, see {@link ClassProbabilities}).
         */
        public Builder optSoftmaxScale(Double softmaxScale) {
            this.softmaxScale = softmaxScale;
            return this;
        }

        /** Sets the most images per forward pass (default {@value BatchingEmbedder#DEFAULT_MAX_BATCH}). */
        public Builder optMaxBatch(int maxBatch) {
            this.maxBatch = maxBatch;
            return this;
        }

        /** Sets the longest wait for a batch to fill, in µs (default {@value BatchingEmbedder#DEFAULT_MAX_DELAY_MICROS}). */
        public Builder optBatchDelayMicros(long batchDelayMicros) {
            this.batchDelayMicros = batchDelayMicros;
            return this;
        }

        /** Sets the largest image side accepted (default {@value ImageDecoder#DEFAULT_MAX_SIDE}). */
        public Builder optMaxImageSide(int maxImageSide) {
            this.maxImageSide = maxImageSide;
            return this;
        }

        /** Sets the most image pixels accepted (default {@value ImageDecoder#DEFAULT_MAX_PIXELS}). */
        public Builder optMaxImagePixels(long maxImagePixels) {
            this.maxImagePixels = maxImagePixels;
            return this;
        }

        /**
         * Sets the largest image side as a multiple of the network's input side (default
         * {@value ImageDecoder#SERVER_SIDE_FACTOR}; 0 for the absolute limits only).
         */
        public Builder optSideFactor(int sideFactor) {
            this.sideFactor = sideFactor;
            return this;
        }

        /** Sets the decode threads for ordinary images (default the cores); large images get half as many. */
        public Builder optDecodeThreads(int decodeThreads) {
            this.decodeThreads = decodeThreads;
            return this;
        }

        /**
         * Sets the most ordinary decodes waiting for a thread (default {@value #DEFAULT_DECODE_QUEUE});
         * more are refused with 503. Large images may wait one per large-lane thread.
         */
        public Builder optDecodeQueue(int decodeQueue) {
            this.decodeQueue = decodeQueue;
            return this;
        }

        /** Sets the longest a decode may wait for a thread, in ms (default {@value #DEFAULT_DECODE_WAIT_MILLIS}). */
        public Builder optDecodeWaitMillis(long decodeWaitMillis) {
            this.decodeWaitMillis = decodeWaitMillis;
            return this;
        }

        /** Sets the executor that runs searches after their forward pass (default the common pool). */
        public Builder optExecutor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /** Validates and starts the service's forward worker. */
        public EmbeddingService build() {
            if (run == null) {
                throw new IllegalArgumentException("the service needs setRun");
            }
            if (index != null && !index.provenance().sameWeights(RunIndexer.provenance(run))) {
                throw new IllegalArgumentException("--index " + index.location() + " holds embeddings of "
                        + index.provenance().describe() + ", not of the served " + RunIndexer.provenance(run).describe());
            }
            if (threshold != null && !(threshold >= -1 && threshold <= 1)) {
                throw new IllegalArgumentException("--threshold must be a cosine in [-1, 1], got " + threshold);
            }
            if (softmaxScale != null && !(softmaxScale > 0 && softmaxScale <= 1000)) {
                throw new IllegalArgumentException("--softmax-scale must be in (0, 1000], got " + softmaxScale);
            }
            if (executor == null) {
                throw new IllegalArgumentException("the executor must not be null");
            }
            if (decodeThreads < 1 || decodeThreads > 256) {
                throw new IllegalArgumentException("--decode-threads must be in 1..256, got " + decodeThreads);
            }
            if (decodeQueue < 1 || decodeQueue > 100_000) {
                throw new IllegalArgumentException("--decode-queue must be in 1..100000, got " + decodeQueue);
            }
            if (decodeWaitMillis < 1) {
                throw new IllegalArgumentException("the decode wait must be at least 1 ms, got " + decodeWaitMillis);
            }
            return new EmbeddingService(this);
        }
    }
}
