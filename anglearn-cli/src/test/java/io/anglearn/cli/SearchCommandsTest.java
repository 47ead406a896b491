package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** index build, index info, search and evaluate's verification on a run trained for a few steps on a generated folder. */
class SearchCommandsTest {

    @TempDir
    static Path work;
    static Path images;

    @BeforeAll
    static void data() throws Exception {
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

    private static Path train(String name, String seed) {
        CliRun t = CliRun.of("train", "--dataset", "folder:" + images, "--image-size", "8", "--epochs", "1",
                "--batch-size", "8", "--seed", seed, "--runs-dir", work.resolve("runs").toString(), "--name", name,
                "--no-tensorboard", "--no-progress");
        assertEquals(0, t.code(), t.err());
        return work.resolve("runs").resolve(name);
    }

    @Test
    void buildInfoSearchAndEvaluate() throws Exception {
        Path run = train("a", "1");
        CliRun build = CliRun.of("index", "build", "--run", run.toString(), "--images", "test");
        assertEquals(0, build.code(), build.err());
        assertTrue(build.out().contains("indexed 10 images (split test)"), build.out());
        Path index = run.resolve("index").resolve("test");
        CliRun info = CliRun.of("index", "info", index.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("items       10") && info.out().contains("dark                 5")
                && info.out().contains("step 3"), info.out());
        CliRun verify = CliRun.of("index", "verify", index.toString());
        assertEquals(0, verify.code(), verify.err());
        assertTrue(verify.out().contains("is intact"), verify.out());

        Path query = images.resolve("test").resolve("light").resolve("light3.png");
        CliRun hnsw = CliRun.of("search", "--index", index.toString(), "--query", query.toString(), "-k", "3");
        CliRun exact = CliRun.of("search", "--index", index.toString(), "--query", query.toString(), "-k", "3", "--exact");
        assertEquals(0, hnsw.code(), hnsw.err());
        assertEquals(0, exact.code(), exact.err());
        // light3 is the test split's item 5 + 3 (classes in name order: dark, light); it finds itself at cosine 1.
        assertTrue(hnsw.out().contains("     1    1.0000    0.00°  1 light") && hnsw.out().contains("test#8"), hnsw.out());
        assertEquals(hnsw.out().lines().skip(2).toList(), exact.out().lines().skip(2).toList(), "same hits");

        // A folder of images is indexed too, with labels from the folder names.
        Path folderIndex = work.resolve("folder-index");
        CliRun folder = CliRun.of("index", "build", "--run", run.toString(), "--images", images.resolve("test").toString(),
                "--out", folderIndex.toString(), "--build-threads", "2");
        assertEquals(0, folder.code(), folder.err());
        CliRun finfo = CliRun.of("index", "info", folderIndex.toString());
        assertTrue(finfo.out().contains("light                5"), finfo.out());

        // Another run's embeddings are refused, and the index is left as it was.
        Path other = train("b", "2");
        CliRun mix = CliRun.of("index", "build", "--run", other.toString(), "--images", "test", "--out", index.toString());
        assertEquals(2, mix.code());
        assertTrue(mix.err().contains("holds embeddings of run " + run.toAbsolutePath().normalize()), mix.err());
        assertTrue(CliRun.of("index", "info", index.toString()).out().contains("items       10"));

        CliRun eval = CliRun.of("evaluate", "--run", run.toString());
        assertEquals(0, eval.code(), eval.err());
        // 2 classes of 5 test images: 2 x 10 positive pairs, as many negatives.
        assertTrue(eval.out().contains("verification on 20 positive and 20 negative pairs"), eval.out());
        assertTrue(eval.out().contains("ROC AUC") && eval.out().contains("TAR at FAR 1e-2   n/a"), eval.out());
        assertTrue(eval.out().contains("retrieval through the index"), eval.out());
        assertTrue(Files.isRegularFile(run.resolve("verification.json")));
        assertTrue(Files.isRegularFile(run.resolve("verification_roc.csv")));
        Path html = work.resolve("report.html");
        CliRun report = CliRun.of("report", "--run", run.toString(), "--out", html.toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.readString(html).contains("a: verification ROC") || Files.readString(html).contains("verification ROC"));
        assertTrue(Files.isRegularFile(work.resolve("report_figures").resolve("a_verification_roc.png")));
    }

    @Test
    void badArgumentsAreNamed() {
        CliRun missing = CliRun.of("index", "info", work.resolve("nope").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope") && missing.err().contains("does not exist"), missing.err());
        CliRun split = CliRun.of("index", "build", "--run", work.toString(), "--images", "split:valid");
        assertEquals(2, split.code());
        assertTrue(split.err().contains("unknown split 'valid'"), split.err());
        for (String n : new String[] {"0", "65"}) {
            CliRun threads = CliRun.of("index", "build", "--run", work.toString(), "--images", "test", "--build-threads", n);
            assertEquals(2, threads.code(), threads.err());
            assertTrue(threads.err().contains("--build-threads must be in 1..64, got " + n), threads.err());
        }
    }
}
