package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code anglearn serve} as a real process drains on SIGTERM: requests in flight when the signal
 * arrives are answered 200, new connections are refused from then on, and the process exits with
 * code 0.
 *
 * <p>"In flight" is made exact rather than timed: each request announces its body with
 * {@code Expect: 100-continue} and sends only half of it; the server's {@code 100 Continue} proves
 * the request is inside the handler, reading its body. Only after SIGTERM, and after a new
 * connection has been refused, does each client send the rest of its body.
 *
 * <p>Needs the anglearn jar (built by the package phase); skipped otherwise. The run is trained
 * in-process for a few steps on generated 8×8 images.
 */
class ServeSigtermIT {

    private static final int IN_FLIGHT = 4;
    private static final long WAIT_MS = 120_000;

    @Test
    void sigtermAnswersRequestsInFlightRefusesNewConnectionsAndExitsZero(@TempDir Path work) throws Exception {
        Path jar = Path.of("target", "anglearn.jar");
        assumeTrue(Files.isRegularFile(jar), "the anglearn jar is not built");
        Path images = work.resolve("images");
        byte[] png = null;
        Random r = new Random(5);
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 2; c++) {
                Path dir = Files.createDirectories(images.resolve(split).resolve(c == 0 ? "dark" : "light"));
                for (int i = 0; i < 8; i++) {
                    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                    for (int p = 0; p < 64; p++) {
                        int v = (c == 0 ? 40 : 200) + r.nextInt(40);
                        img.setRGB(p % 8, p / 8, v << 16 | v << 8 | (p * 3));
                    }
                    Path f = dir.resolve(i + ".png");
                    ImageIO.write(img, "png", f.toFile());
                    png = Files.readAllBytes(f);
                }
            }
        }
        CliRun train = CliRun.of("train", "--dataset", "folder:" + images, "--image-size", "8", "--epochs", "1",
                "--batch-size", "8", "--seed", "3", "--runs-dir", work.resolve("runs").toString(), "--name", "tiny",
                "--no-tensorboard", "--no-progress");
        assertEquals(0, train.code(), train.err());

        Path output = work.resolve("serve.txt");
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-jar", jar.toAbsolutePath().toString(), "serve",
                "--run", work.resolve("runs").resolve("tiny").toString(), "--port", "0", "--drain-seconds", "60")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        List<Socket> clients = new ArrayList<>();
        try {
            int port = awaitPort(serve, output);
            String head = "POST /embed HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: image/png\r\n"
                    + "Content-Length: " + png.length + "\r\nExpect: 100-continue\r\n\r\n";
            int half = png.length / 2;
            for (int i = 0; i < IN_FLIGHT; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout((int) WAIT_MS);
                clients.add(s);
                s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String interim = readHead(s.getInputStream());
                assertTrue(interim.startsWith("HTTP/1.1 100"), "the server reads the body: " + interim);
                s.getOutputStream().write(png, 0, half);
                s.getOutputStream().flush();
            }

            serve.destroy(); // SIGTERM on Linux
            long end = System.currentTimeMillis() + WAIT_MS;
            boolean refused = false;
            while (!refused && System.currentTimeMillis() < end) {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    Thread.sleep(20);
                } catch (ConnectException e) {
                    refused = true;
                }
            }
            assertTrue(refused, "a new connection is refused after SIGTERM:\n" + Files.readString(output));
            assertTrue(serve.isAlive(), "the server waits for the requests in flight");

            for (Socket s : clients) {
                OutputStream out = s.getOutputStream();
                out.write(png, half, png.length - half);
                out.flush();
                String response = readResponse(s.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
                assertTrue(response.contains("\"dimension\":") && response.contains("\"embedding\":["), response);
            }
            assertTrue(serve.waitFor(WAIT_MS, TimeUnit.MILLISECONDS), "the server exited after draining");
            String log = Files.readString(output);
            assertEquals(0, serve.exitValue(), log);
            assertTrue(log.contains("server stopped"), log);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            serve.destroyForcibly();
        }
    }

    private static int awaitPort(Process serve, Path output) throws Exception {
        Pattern listening = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/");
        long end = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < end) {
            String log = Files.readString(output);
            Matcher m = listening.matcher(log);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertTrue(serve.isAlive(), "serve exited before listening:\n" + log);
            Thread.sleep(50);
        }
        throw new AssertionError("serve did not start listening in " + WAIT_MS + " ms:\n" + Files.readString(output));
    }

    /** Reads a response's status line and headers (up to the blank line). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
            byte[] sofar = b.toByteArray();
            int n = sofar.length;
            if (n >= 4 && sofar[n - 4] == '\r' && sofar[n - 3] == '\n' && sofar[n - 2] == '\r' && sofar[n - 1] == '\n') {
                break;
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads a whole response whose body has a Content-Length. */
    private static String readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        Matcher m = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
        assertTrue(m.find(), "a response with a length: " + head);
        byte[] body = in.readNBytes(Integer.parseInt(m.group(1)));
        return head + new String(Arrays.copyOf(body, body.length), StandardCharsets.UTF_8);
    }
}
