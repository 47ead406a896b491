package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code index push}, {@code index info}, {@code search} and {@code serve} on a SolrCloud
 * collection's URL, against a cluster of two Solr nodes in a JVM of its own (anglearn-solr's
 * {@code LocalSolrCloud}, started from the test classpath that module's build writes down): the
 * command line talks to it over HTTP as to any Solr. Skipped, with the reason, when anglearn-solr's
 * test classes have not been built.
 */
class SolrCommandsIT {

    private static final Path SOLR_MODULE = Path.of("..", "anglearn-solr", "target");

    @TempDir
    static Path work;
    static Process cluster;
    static String node;
    static Path images;

    @BeforeAll
    static void startCluster() throws Exception {
        Path cp = SOLR_MODULE.resolve("test-classpath.txt");
        assumeTrue(Files.isRegularFile(cp) && Files.isDirectory(SOLR_MODULE.resolve("test-classes")),
                "anglearn-solr's test classpath " + cp.toAbsolutePath().normalize() + " is not built (mvn verify builds it)");
        String classpath = SOLR_MODULE.resolve("test-classes").toAbsolutePath() + java.io.File.pathSeparator
                + SOLR_MODULE.resolve("classes").toAbsolutePath() + java.io.File.pathSeparator + Files.readString(cp).trim();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        cluster = new ProcessBuilder(java.toString(), "-Xmx1g", "-cp", classpath, "io.anglearn.solr.LocalSolrCloud", "2",
                work.resolve("solr").toString(), "stdin").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(cluster.getInputStream(), StandardCharsets.UTF_8));
        List<String> nodes = new ArrayList<>();
        for (String line = out.readLine(); line != null && !line.equals("ready"); line = out.readLine()) {
            if (line.startsWith("node ")) {
                nodes.add(line.substring(5));
            }
        }
        assertEquals(2, nodes.size(), "the cluster did not start");
        node = nodes.get(0);
        images = work.resolve("images");
        Random r = new Random(2);
        String[] classes = {"dark", "light"};
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 2; c++) {
                Path dir = Files.createDirectories(images.resolve(split).resolve(classes[c]));
                for (int i = 0; i < (split.equals("train") ? 12 : 5); i++) {
                    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                    for (int p = 0; p < 64; p++) {
                        int v = (c == 0 ? 40 : 200) + r.nextInt(40);
                        img.setRGB(p % 8, p / 8, v << 16 | v << 8 | (p * 3));
                    }
                    ImageIO.write(img, "png", dir.resolve(classes[c] + i + ".png").toFile());
                }
            }
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.getOutputStream().close(); // LocalSolrCloud ends when its standard input closes
            if (!cluster.waitFor(1, TimeUnit.MINUTES)) {
                cluster.destroyForcibly();
            }
        }
    }

    @Test
    void pushInfoSearchAndServeAnswerAsTheLocalIndexDoes() throws Exception {
        CliRun t = CliRun.of("train", "--dataset", "folder:" + images, "--image-size", "8", "--epochs", "1",
                "--batch-size", "8", "--runs-dir", work.resolve("runs").toString(), "--name", "a",
                "--no-tensorboard", "--no-progress");
        assertEquals(0, t.code(), t.err());
        String run = work.resolve("runs").resolve("a").toString();
        String url = node + "/gallery";

        CliRun push = CliRun.of("index", "push", "--run", run, "--images", "test", "--to", url, "--shards", "2",
                "--replicas", "2");
        assertEquals(0, push.code(), push.err());
        assertTrue(push.out().startsWith("pushed 10 images (split test) with run " + run + ", checkpoint at step 3, in "),
                push.out());
        assertTrue(push.out().contains("collection " + url + ": 10 items (0 before; created with 2 shards x 2 replicas),"
                + " dimension 64"), push.out());
        CliRun again = CliRun.of("index", "push", "--run", run, "--images", "test", "--to", url);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("pushed 0 images") && again.out().contains("skipped 10 images already in the"
                + " collection") && again.out().contains(": 10 items (10 before), dimension 64"), again.out());

        CliRun info = CliRun.of("index", "info", url);
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().startsWith("index       " + url + "\nitems       10\ndimension   64 (L2-normalised, cosine"
                + " similarity)\ncluster     SolrCloud, 2 shards, 4 of 4 replicas active, 2 nodes live\nrun         "
                + Path.of(run).toAbsolutePath().normalize() + "\ncheckpoint  step 3, model SHA-256 "), info.out());
        assertTrue(info.out().contains("images      split test\nitems per class:\n    0 dark                 5\n"
                + "    1 light                5\n"), info.out());

        // The same search through the local index and through the collection prints the same, but for the time taken.
        CliRun build = CliRun.of("index", "build", "--run", run, "--images", "test");
        assertEquals(0, build.code(), build.err());
        String query = images.resolve("test").resolve("light").resolve("light3.png").toString();
        CliRun local = CliRun.of("search", "--index", Path.of(run, "index", "test").toString(), query, "-k", "4");
        CliRun remote = CliRun.of("search", "--index", url, query, "-k", "4");
        assertEquals(0, remote.code(), remote.err());
        assertEquals(local.out().replaceAll("search, [0-9.]+ ms", "search"),
                remote.out().replaceAll("search, [0-9.]+ ms", "search"));
        assertTrue(remote.out().contains("     1    1.0000 ") && remote.out().contains("1 light          " + query + "\n     2"),
                remote.out());
        CliRun exactLocal = CliRun.of("search", "--index", Path.of(run, "index", "test").toString(), query, "--exact");
        CliRun exactRemote = CliRun.of("search", "--index", url, query, "--exact");
        assertEquals(exactLocal.out().replaceAll("search, [0-9.]+ ms", "search"),
                exactRemote.out().replaceAll("search, [0-9.]+ ms", "search"));

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String[] serve = {"serve", "--run", run, "--index", url, "--port", String.valueOf(port)};
        Thread server = new Thread(() -> CliRun.of(serve), "serve");
        server.setDaemon(true);
        server.start();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> answer = null;
        for (int i = 0; i < 600 && answer == null; i++) {
            try {
                answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                        + "/search?k=3")).POST(java.net.http.HttpRequest.BodyPublishers.ofFile(Path.of(query))).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException e) {
                Thread.sleep(100);
            }
        }
        assertTrue(answer != null, "serve did not start");
        assertEquals(200, answer.statusCode(), answer.body());
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(answer.body()).getAsJsonObject();
        assertEquals(3, o.getAsJsonArray("hits").size());
        assertEquals(query, o.getAsJsonArray("hits").get(0).getAsJsonObject().get("source").getAsString());
        java.net.http.HttpResponse<String> health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + port + "/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(health.body().contains("\"index\":{\"name\":\"gallery\",\"size\":10}"), health.body());
    }

    @Test
    void anUnreachableClusterOrAnotherRunsCollectionIsRefusedWithItsReason() throws Exception {
        CliRun t = CliRun.of("train", "--dataset", "folder:" + images, "--image-size", "8", "--epochs", "1",
                "--batch-size", "8", "--seed", "7", "--runs-dir", work.resolve("runs").toString(), "--name", "b",
                "--no-tensorboard", "--no-progress");
        assertEquals(0, t.code(), t.err());
        String run = work.resolve("runs").resolve("b").toString();
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        CliRun nowhere = CliRun.of("index", "push", "--run", run, "--images", "test", "--to", "http://127.0.0.1:" + free
                + "/solr/x");
        assertEquals(1, nowhere.code());
        assertTrue(nowhere.err().contains("cannot reach Solr at http://127.0.0.1:" + free + "/solr (connection refused)"),
                nowhere.err());
        CliRun notUrl = CliRun.of("index", "push", "--run", run, "--images", "test", "--to", "http://127.0.0.1:8983/");
        assertEquals(2, notUrl.code(), notUrl.err());
        assertTrue(notUrl.err().contains("--to 'http://127.0.0.1:8983/' does not end with a collection name"), notUrl.err());

        CliRun first = CliRun.of("index", "push", "--run", run, "--images", "test", "--to", node + "/mine");
        assertEquals(0, first.code(), first.err());
        CliRun retrained = CliRun.of("train", "--dataset", "folder:" + images, "--image-size", "8", "--epochs", "1",
                "--batch-size", "8", "--seed", "8", "--runs-dir", work.resolve("runs").toString(), "--name", "c",
                "--no-tensorboard", "--no-progress");
        assertEquals(0, retrained.code(), retrained.err());
        CliRun other = CliRun.of("index", "push", "--run", work.resolve("runs").resolve("c").toString(), "--images",
                "test", "--to", node + "/mine");
        assertEquals(1, other.code());
        assertTrue(other.err().contains("collection " + node + "/mine holds embeddings of run "
                + Path.of(run).toAbsolutePath().normalize()), other.err());
        assertTrue(CliRun.of("index", "info", node + "/mine").out().contains("items       10\n"));
    }
}
