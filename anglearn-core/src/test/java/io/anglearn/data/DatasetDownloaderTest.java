package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads from an HTTP server on 127.0.0.1 started by the test (plain HTTP is allowed only on
 * loopback, through the downloader's test option): success, a wrong checksum, a truncated
 * transfer, an error status, and an archive fetched and extracted.
 */
class DatasetDownloaderTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final byte[] payload = TestFiles.images(50, 28);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/good", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(200, payload.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(payload);
            }
        });
        server.createContext("/truncated", ex -> {
            ex.sendResponseHeaders(200, payload.length);
            OutputStream out = ex.getResponseBody();
            out.write(payload, 0, payload.length / 3);
            out.flush();
            // Close the connection without sending the rest.
            ex.close();
        });
        server.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private DatasetDownloader downloader() {
        return DatasetDownloader.builder().optAllowLoopbackHttp(true).build();
    }

    private void assertNothingStored(String name) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.contains(name)).toList());
        }
    }

    @Test
    void downloadsVerifiesAndStoresAtomically() throws Exception {
        RemoteFile f = new RemoteFile(uri("/good"), "good.bin", Checksum.md5(TestFiles.md5(payload)), false);
        List<long[]> progress = new java.util.ArrayList<>();
        DatasetDownloader d = DatasetDownloader.builder().optAllowLoopbackHttp(true).optListener(new DownloadListener() {
            @Override
            public void onStart(RemoteFile file, long total) {
                progress.add(new long[] {total});
            }

            @Override
            public void onProgress(RemoteFile file, long bytes) {
                progress.add(new long[] {bytes});
            }
        }).build();
        Path p = d.download(f, dir);
        assertArrayEquals(payload, Files.readAllBytes(p));
        assertEquals(payload.length, progress.get(0)[0]);
        assertEquals(payload.length, progress.get(progress.size() - 1)[0]);
        // Present with the right checksum: not downloaded again.
        d.download(f, dir);
        assertEquals(1, requests.get());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("good.bin"), s.map(x -> x.getFileName().toString()).toList());
        }
    }

    @Test
    void aWrongChecksumStoresNothingAndKeepsTheOldFile() throws Exception {
        Files.write(dir.resolve("good.bin"), "previous".getBytes());
        RemoteFile f = new RemoteFile(uri("/good"), "good.bin", Checksum.sha256("ab".repeat(32)), false);
        IOException e = assertThrows(IOException.class, () -> downloader().download(f, dir));
        assertTrue(e.getMessage().contains("expected the published " + "ab".repeat(32))
                && e.getMessage().contains(TestFiles.sha256(payload)), e.getMessage());
        assertEquals("previous", Files.readString(dir.resolve("good.bin")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "no partial file left behind");
        }
    }

    @Test
    void aTruncatedTransferStoresNothing() throws Exception {
        RemoteFile f = new RemoteFile(uri("/truncated"), "cut.bin", Checksum.md5(TestFiles.md5(payload)), false);
        IOException e = assertThrows(IOException.class, () -> downloader().download(f, dir));
        assertTrue(e.getMessage().contains(f.uri().toString()) && e.getMessage().contains("nothing was stored"),
                e.getMessage());
        assertNothingStored("cut");
    }

    @Test
    void anHttpErrorIsReported() throws Exception {
        RemoteFile f = new RemoteFile(uri("/missing"), "m.bin", Checksum.md5(TestFiles.md5(payload)), false);
        IOException e = assertThrows(IOException.class, () -> downloader().download(f, dir));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertNothingStored("m.bin");
    }

    @Test
    void plainHttpIsRefusedUnlessAllowedAndOnLoopback() throws Exception {
        RemoteFile local = new RemoteFile(uri("/good"), "g.bin", Checksum.md5(TestFiles.md5(new byte[0])), false);
        IOException e = assertThrows(IOException.class, () -> DatasetDownloader.builder().build().download(local, dir));
        assertTrue(e.getMessage().contains("only https downloads are allowed"), e.getMessage());
        RemoteFile remote = new RemoteFile(URI.create("http://192.0.2.1/x"), "x", Checksum.md5(TestFiles.md5(new byte[0])),
                false);
        e = assertThrows(IOException.class, () -> downloader().download(remote, dir));
        assertTrue(e.getMessage().contains("only https downloads are allowed"), e.getMessage());
    }

    @Test
    void fetchesAnArchiveExtractsItAndTheDatasetLoads() throws Exception {
        int[][] train = {{1, 2}, {3, 4}};
        int[][] test = {{5, 6}};
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-100-binary/train.bin", TestFiles.cifarRecords(train));
        entries.put("cifar-100-binary/test.bin", TestFiles.cifarRecords(test));
        Path archive = TestFiles.tarGz(Files.createTempFile("archive", ".tar.gz"), entries);
        byte[] bytes = Files.readAllBytes(archive);
        Files.delete(archive);
        server.createContext("/cifar-100-binary.tar.gz", ex -> {
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        RemoteFile f = new RemoteFile(uri("/cifar-100-binary.tar.gz"), "cifar-100-binary.tar.gz",
                Checksum.md5(TestFiles.md5(bytes)), true);
        Path target = dir.resolve("cifar-100");
        List<Path> written = downloader().fetch(List.of(f), target);
        assertEquals(List.of(target.resolve("cifar-100-binary")), written);
        assertFalse(Files.exists(target.resolve("cifar-100-binary.tar.gz")), "archive removed after extraction");
        LoadedDataset d = Cifar100.load(target, LabelKind.FINE, Map.of(), 2, 1, true);
        assertEquals(4, d.train().label(1));
    }
}
