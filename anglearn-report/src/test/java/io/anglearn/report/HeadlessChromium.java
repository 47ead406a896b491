package io.anglearn.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Opens a page in headless Chromium for tests, with networking shut off (every host name resolves
 * to nothing), and returns the DOM after load or a screenshot. Tests using it are skipped, with the
 * reason, when no Chromium binary is on the PATH (Debian package {@code chromium}).
 */
final class HeadlessChromium {

    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

    private final String binary;

    private HeadlessChromium(String binary) {
        this.binary = binary;
    }

    /** Finds Chromium on the PATH, or skips the calling test. */
    static HeadlessChromium findOrSkip() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : NAMES) {
            for (String d : path.split(File.pathSeparator)) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return new HeadlessChromium(p.toString());
                }
            }
        }
        assumeTrue(false, "headless Chromium not found on PATH (tried " + NAMES
                + "); install the Debian package 'chromium' to run the browser rendering test");
        return null;
    }

    /** The DOM after the page's load event (and up to 10 s of virtual time). */
    String dumpDom(Path page, Path work) throws IOException, InterruptedException {
        return run(work, "--virtual-time-budget=10000", "--dump-dom", page.toUri().toString());
    }

    /** A screenshot of the page at the given window size. */
    BufferedImage screenshot(Path page, Path work, int width, int height) throws IOException, InterruptedException {
        Path png = work.resolve("screenshot.png");
        run(work, "--virtual-time-budget=10000", "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--screenshot=" + png, page.toUri().toString());
        if (!Files.isRegularFile(png)) {
            throw new IOException("Chromium wrote no screenshot to " + png);
        }
        return ImageIO.read(png.toFile());
    }

    private String run(Path work, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path out = work.resolve("chromium.out");
        Path err = work.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("Chromium did not finish in 120 s: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new IOException("Chromium exited with " + p.exitValue() + ": "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** The fraction of sampled pixels that are not (near) white. */
    static double inkFraction(BufferedImage img) {
        long ink = 0;
        long all = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r + g + b < 720) {
                    ink++;
                }
                all++;
            }
        }
        return (double) ink / all;
    }
}
