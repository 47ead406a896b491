package io.anglearn.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anglearn.data.BadImages;
import io.anglearn.data.ImageDecoder;
import io.anglearn.index.EmbeddingIndex;
import io.anglearn.run.TrainedRun;
import io.anglearn.train.Prediction;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP service on loopback: every endpoint's answer checked against the library, the token,
 * bad inputs answered with 4xx while the server keeps serving, 32 concurrent clients sharing
 * forward passes without an error, and a graceful stop that answers the request in flight.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SearchServerTest {

    static final String TOKEN = "test-token-1234";

    @TempDir
    static Path work;
    static Path runDir;
    static TrainedRun run;
    static EmbeddingIndex index;
    static SearchServer server;
    static HttpClient http;
    static List<Path> testImages;

    @BeforeAll
    static void start() throws Exception {
        runDir = TinyRun.train(work);
        run = TrainedRun.open(runDir);
        TinyRun.index(run, work.resolve("index"));
        index = EmbeddingIndex.open(work.resolve("index"));
        EmbeddingService service = EmbeddingService.builder().setRun(run).optIndex(index).optThreshold(0.5).build();
        server = SearchServer.builder().setService(service).optPort(0).optToken(TOKEN).optMaxBodyBytes(1 << 20)
                .optDrainMillis(10_000).build();
        server.start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (Stream<Path> s = Files.walk(work.resolve("images").resolve("test"))) {
            testImages = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        index.close();
        run.close();
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static HttpResponse<String> post(String path, byte[] body, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (auth) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    @Test
    @Order(1)
    void endpointsAnswerWhatTheLibraryComputes() throws Exception {
        HttpResponse<String> h = http.send(HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, h.statusCode(), "health needs no token");
        assertEquals("ok", json(h).get("status").getAsString());
        assertTrue(json(h).get("ready").getAsBoolean());
        JsonObject health = json(get("/health")); // the details need the token
        assertEquals(12, health.getAsJsonObject("index").get("size").getAsInt());
        assertTrue(health.get("auth").getAsBoolean());
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>anglearn search</title>") && !page.body().contains("http://")
                && !page.body().contains("https://"), "self-contained page");

        Path img = testImages.get(5);
        byte[] bytes = Files.readAllBytes(img);
        ImageDecoder decoder = ImageDecoder.builder().setImageSize(8).setChannels(3).build();
        float[] direct = run.forwardPixels(decoder.decode(img), 1)[0];
        double n = 0;
        for (float v : direct) {
            n += v * v;
        }
        JsonObject embed = json(post("/embed", bytes, true));
        JsonArray e = embed.getAsJsonArray("embedding");
        assertEquals(direct.length, embed.get("dimension").getAsInt());
        for (int i = 0; i < direct.length; i++) {
            assertEquals(direct[i] / Math.sqrt(n), e.get(i).getAsDouble(), 1e-4);
        }

        Prediction p = run.predict(List.of(img)).get(0);
        JsonObject predict = json(post("/predict", bytes, true));
        // PredictionJson's form, as anglearn predict --json writes it, without a source (a request body has no file).
        assertEquals(List.of("classIndex", "className", "probability", "cosine", "top"), List.copyOf(predict.keySet()));
        assertEquals(p.predicted(), predict.get("classIndex").getAsInt());
        assertEquals(TinyRun.CLASSES[p.predicted()], predict.get("className").getAsString());
        assertEquals(p.cosines()[p.predicted()], predict.get("cosine").getAsDouble(), 1e-4);
        assertEquals(p.probabilities()[p.predicted()], predict.get("probability").getAsDouble(), 1e-4);
        double sum = 0;
        // The run's loss is the angular loss with k = 4: probabilities softmax(4·(π/2 − θ_j)).
        double[] z = new double[3];
        double zSum = 0;
        for (int j = 0; j < 3; j++) {
            z[j] = Math.exp(4 * (Math.PI / 2 - Math.acos(p.cosines()[j])));
            zSum += z[j];
        }
        JsonArray top = predict.getAsJsonArray("top");
        assertEquals(3, top.size());
        double previous = 1;
        for (int i = 0; i < 3; i++) {
            JsonObject c = top.get(i).getAsJsonObject();
            int j = c.get("classIndex").getAsInt();
            assertEquals(TinyRun.CLASSES[j], c.get("className").getAsString());
            assertEquals(p.cosines()[j], c.get("cosine").getAsDouble(), 1e-4);
            assertEquals(z[j] / zSum, c.get("probability").getAsDouble(), 1e-4);
            assertEquals(p.probabilities()[j], c.get("probability").getAsDouble(), 1e-4);
            assertTrue(c.get("probability").getAsDouble() <= previous, "most probable first");
            previous = c.get("probability").getAsDouble();
            sum += previous;
        }
        assertEquals(1.0, sum, 1e-9);
        assertEquals(predict.get("classIndex"), top.get(0).getAsJsonObject().get("classIndex"));
        JsonArray top1 = json(post("/predict?top=1", bytes, true)).getAsJsonArray("top");
        assertEquals(List.of(top.get(0)), top1.asList());
        assertEquals("softmax(k·(π/2 − θ_j)), k = 4 of the loss arc", health.get("probabilities").getAsString());

        // Test image 5 is the index's item 5, indexed by its file: it finds itself first.
        JsonObject search = json(post("/search?k=4&thumbnails=true", bytes, true));
        JsonArray hits = search.getAsJsonArray("hits");
        assertEquals(4, hits.size());
        JsonObject first = hits.get(0).getAsJsonObject();
        assertEquals(testImages.get(5).toString(), first.get("source").getAsString());
        assertEquals(1.0, first.get("cosine").getAsDouble(), 1e-4);
        assertEquals(5 / 4, first.get("classIndex").getAsInt());
        assertEquals(TinyRun.CLASSES[5 / 4], first.get("className").getAsString());
        assertTrue(first.get("thumbnail").getAsString().startsWith("data:image/png;base64,"));
        assertEquals(predict.get("top"), search.get("top"), "search's prediction is /predict's");
        List<io.anglearn.index.SearchHit> expected = index.search(direct, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(expected.get(i).ordinal(), hits.get(i).getAsJsonObject().get("ordinal").getAsLong());
        }

        String b64 = Base64.getEncoder().encodeToString(bytes);
        JsonObject same = json(post("/verify", ("{\"a\":\"" + b64 + "\",\"b\":\"" + b64 + "\"}").getBytes(StandardCharsets.UTF_8), true));
        assertEquals(1.0, same.get("cosine").getAsDouble(), 1e-5);
        assertEquals(0.0, same.get("angleDegrees").getAsDouble(), 0.5);
        assertTrue(same.get("same").getAsBoolean());
        assertEquals(0.5, same.get("threshold").getAsDouble());

        String metrics = get("/metrics").body();
        assertTrue(metrics.contains("anglearn_requests_total{endpoint=\"search\",status=\"200\"} 1"), metrics);
        assertTrue(metrics.contains("anglearn_request_duration_seconds_bucket{endpoint=\"embed\""), metrics);
        assertTrue(metrics.contains("anglearn_forward_passes_total"), metrics);
    }

    @Test
    @Order(2)
    void badRequestsGetClear4xxAnswersAndTheServerKeepsServing() throws Exception {
        byte[] good = Files.readAllBytes(testImages.get(0));
        Object[][] cases = {
            {"/search", BadImages.bombPng(8000), 413, "declares 8000x8000"},
            {"/search", BadImages.forgedHeaderPng(20_000, 20_000), 413, "declares 20000x20000"},
            {"/predict", BadImages.truncatedPng(), 422, "truncated or corrupt"},
            {"/embed", BadImages.notAnImage(), 415, "not an image"},
            {"/embed", new byte[0], 415, "is empty"},
            {"/embed", new byte[(1 << 20) + 1], 413, "at most 1048576"},
            {"/search?k=0", good, 400, "k must be in"},
            {"/search?k=x", good, 400, "not an integer"},
            {"/predict?top=0", good, 400, "top must be >= 1"},
            {"/predict?top=two", good, 400, "query parameter top is not an integer"},
            {"/verify", "{\"a\": 1}".getBytes(StandardCharsets.UTF_8), 400, "field 'a'"},
            {"/verify", "not json".getBytes(StandardCharsets.UTF_8), 400, "not valid JSON"},
            {"/nothing", good, 404, "no endpoint"},
        };
        for (Object[] c : cases) {
            HttpResponse<String> r = post((String) c[0], (byte[]) c[1], true);
            assertEquals(c[2], r.statusCode(), c[0] + ": " + r.body());
            String error = json(r).get("error").getAsString();
            assertTrue(error.contains((String) c[3]), c[0] + ": " + error);
            assertEquals(200, post("/predict", good, true).statusCode(), "still serving after " + c[3]);
        }
        // A form upload (curl -F) and a form-encoded body that is no image (curl -d) are told how to send the bytes.
        String boundary = "b0undary";
        byte[] form = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n" + new String(good, StandardCharsets.ISO_8859_1) + "\r\n--" + boundary
                + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        for (String path : new String[] {"/predict", "/embed", "/search"}) {
            HttpResponse<String> multipart = http.send(HttpRequest.newBuilder(uri(path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(415, multipart.statusCode(), multipart.body());
            assertEquals("this endpoint takes the image's bytes as the request body, not a multipart form; send them"
                    + " with curl --data-binary @IMAGE -H 'Content-Type: image/png' URL",
                    json(multipart).get("error").getAsString());
        }
        byte[] stripped = new String(good, StandardCharsets.ISO_8859_1).replace("\r", "").replace("\n", "")
                .getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> curlD = http.send(HttpRequest.newBuilder(uri("/predict"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(stripped)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, curlD.statusCode(), curlD.body());
        assertTrue(json(curlD).get("error").getAsString().endsWith("; curl -d drops a file's line breaks: send the image"
                + " with curl --data-binary @IMAGE -H 'Content-Type: image/png' URL"), curlD.body());
        HttpResponse<String> binary = http.send(HttpRequest.newBuilder(uri("/predict"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded") // what curl --data-binary sends by default
                .POST(HttpRequest.BodyPublishers.ofByteArray(good)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, binary.statusCode(), binary.body());

        HttpResponse<String> noToken = post("/predict", good, false);
        assertEquals(401, noToken.statusCode());
        assertTrue(json(noToken).get("error").getAsString().contains("Authorization: Bearer"));
        assertEquals(405, get("/predict").statusCode());
        assertEquals(401, http.send(HttpRequest.newBuilder(uri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    @Order(3)
    void thirtyTwoConcurrentClientsShareForwardPassesWithoutErrors() throws Exception {
        int n = testImages.size();
        byte[][] bodies = new byte[n][];
        String[] expectedTop = new String[n];
        for (int i = 0; i < n; i++) {
            bodies[i] = Files.readAllBytes(testImages.get(i));
            expectedTop[i] = testImages.get(i).toString();
        }
        long passesBefore = server.service().metrics().forwardPasses();
        long imagesBefore = server.service().metrics().forwardImages();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        long deadline = System.nanoTime() + 3_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 32; c++) {
            int client = c;
            clients.add(pool.submit(() -> {
                int i = client % n;
                while (System.nanoTime() < deadline) {
                    try {
                        HttpResponse<String> r = post("/search?k=3", bodies[i], true);
                        if (r.statusCode() != 200) {
                            errors.add(r.statusCode() + " " + r.body());
                        } else if (json(r).getAsJsonArray("hits").get(0).getAsJsonObject().get("source").getAsString()
                                .equals(expectedTop[i])) {
                            ok.incrementAndGet();
                        } else {
                            wrong.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.add(e.toString());
                    }
                    i = (i + 1) % n;
                }
                return null;
            }));
        }
        for (Future<?> f : clients) {
            f.get();
        }
        pool.shutdown();
        assertEquals(List.of(), errors.subList(0, Math.min(5, errors.size())));
        assertEquals(0, wrong.get(), "every answer's nearest item is the query image itself");
        assertTrue(ok.get() >= 32, "each client was answered: " + ok.get());
        long passes = server.service().metrics().forwardPasses() - passesBefore;
        long images = server.service().metrics().forwardImages() - imagesBefore;
        assertEquals(ok.get(), images, "one image embedded per request");
        assertTrue(passes < images, "concurrent requests share forward passes: " + passes + " passes for " + images);
    }

    @Test
    @Order(4)
    void stoppingAnswersTheRequestInFlightThenRefusesConnections() throws Exception {
        byte[] body = Files.readAllBytes(testImages.get(2));
        int port = server.port();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            String head = "POST /search?k=2 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: image/png\r\nContent-Length: " + body.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            Thread.sleep(300); // the server has the request and waits for the rest of its body
            Thread stopper = new Thread(() -> {
                try {
                    server.stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            stopper.start();
            Thread.sleep(500);
            out.write(body, body.length / 2, body.length - body.length / 2);
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.contains("\"source\":\"" + testImages.get(2) + "\""), response);
            stopper.join(20_000);
        }
        boolean refused;
        try (Socket s = new Socket("127.0.0.1", port)) {
            refused = false;
        } catch (java.net.ConnectException e) {
            refused = true;
        }
        assertTrue(refused, "no new connections after the stop");
    }
}
