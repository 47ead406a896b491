package io.anglearn.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anglearn.index.EmbeddingIndex;
import io.anglearn.run.TrainedRun;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The search page in headless Chromium, driven through Debian's chromedriver: an image uploaded
 * through the page's file input comes back as the predicted class and the nearest indexed images,
 * shown as decoded thumbnails with similarity and label. Skipped, with the reason, when Chromium
 * or chromedriver is not installed (Debian packages {@code chromium}, {@code chromium-driver}).
 */
class SearchPageChromiumIT {

    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

    @Test
    void anImageUploadedThroughThePageShowsItsNearestImages(@TempDir Path work) throws Exception {
        String driverPath = DRIVERS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        String browser = BROWSERS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        assumeTrue(driverPath != null && browser != null, "chromium and chromedriver are needed (Debian packages"
                + " chromium, chromium-driver); looked for " + DRIVERS + " and " + BROWSERS);
        Path runDir = TinyRun.train(work);
        try (TrainedRun run = TrainedRun.open(runDir)) {
            TinyRun.index(run, work.resolve("index"));
            try (EmbeddingIndex index = EmbeddingIndex.open(work.resolve("index"))) {
                SearchServer server = SearchServer.builder()
                        .setService(EmbeddingService.builder().setRun(run).optIndex(index).build()).optPort(0).build();
                server.start();
                Path profile = Files.createDirectories(work.resolve("profile"));
                ChromeOptions options = new ChromeOptions();
                options.setBinary(browser);
                options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-extensions", "--disable-dev-shm-usage", "--window-size=1200,1000",
                        "--user-data-dir=" + profile);
                ChromeDriverService service = new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File(driverPath)).usingAnyFreePort().build();
                ChromeDriver driver = new ChromeDriver(service, options);
                try {
                    driver.get("http://127.0.0.1:" + server.port() + "/");
                    waitFor(driver, d -> "ready".equals(d.findElement(By.tagName("body")).getAttribute("data-state")));
                    assertTrue(driver.findElement(By.id("about")).getText().contains("Index: 12 images"));
                    Path query = work.resolve("images").resolve("test").resolve("red").resolve("red-01.png");
                    driver.findElement(By.id("file")).sendKeys(query.toAbsolutePath().toString());
                    waitFor(driver, d -> {
                        String s = d.findElement(By.tagName("body")).getAttribute("data-state");
                        return "done".equals(s) || "error".equals(s);
                    });
                    assertEquals("done", driver.findElement(By.tagName("body")).getAttribute("data-state"),
                            driver.findElement(By.id("status")).getText());
                    List<WebElement> hits = driver.findElements(By.cssSelector("#results .hit"));
                    assertEquals(12, hits.size());
                    assertEquals("red", hits.get(0).findElement(By.className("label")).getText());
                    assertTrue(hits.get(0).findElement(By.className("cos")).getText().startsWith("cos 1.000"),
                            hits.get(0).getText());
                    assertTrue(hits.get(0).findElement(By.className("src")).getText().equals(query.toString()),
                            "red-01 finds itself, indexed by its file: " + hits.get(0).getText());
                    Object decoded = driver.executeScript("return Array.from(document.querySelectorAll('#results img'))"
                            + ".every(function(i){return i.complete && i.naturalWidth === 64;})");
                    assertEquals(Boolean.TRUE, decoded, "every thumbnail decoded");
                    assertTrue(driver.findElement(By.id("prediction")).getText().startsWith("Predicted: "));
                    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
                    Path keep = Path.of("target", "search-page.png");
                    Files.createDirectories(keep.toAbsolutePath().getParent());
                    Files.write(keep, png);
                    BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
                    assertTrue(ink(shot) > 0.03, "screenshot looks blank");
                } finally {
                    driver.quit();
                    server.stop();
                }
            }
        }
    }

    /** Polls the page until the condition holds, for at most 30 s. */
    private static void waitFor(ChromeDriver driver, Predicate<ChromeDriver> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.test(driver)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page did not reach the expected state in 30 s; status: "
                        + driver.findElement(By.id("status")).getText());
            }
            Thread.sleep(100);
        }
    }

    private static double ink(BufferedImage img) {
        long ink = 0;
        long all = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 720) {
                    ink++;
                }
                all++;
            }
        }
        return (double) ink / all;
    }
}
