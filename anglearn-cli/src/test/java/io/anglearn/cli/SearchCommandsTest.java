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
        // --run DIR as evaluate takes it: the run's indexes, all of them or one by name.
        assertEquals(info.out(), CliRun.of("index", "info", "--run", run.toString()).out());
        CliRun byName = CliRun.of("index", "info", "--run", run.toString(), "test");
        assertEquals(0, byName.code(), byName.err());
        assertEquals(info.out(), byName.out());
        CliRun verifyRun = CliRun.of("index", "verify", "--run", run.toString());
        assertEquals(0, verifyRun.code(), verifyRun.err());
        assertTrue(verifyRun.out().startsWith("index " + index + " is intact"), verifyRun.out());
        CliRun noSuch = CliRun.of("index", "info", "--run", run.toString(), "train");
        assertEquals(2, noSuch.code(), noSuch.out());
        assertTrue(noSuch.err().contains("run " + run + " has no index 'train'; its indexes: test"), noSuch.err());

        Path query = images.resolve("test").resolve("light").resolve("light3.png");
        CliRun hnsw = CliRun.of("search", "--index", index.toString(), "--query", query.toString(), "-k", "3");
        CliRun exact = CliRun.of("search", "--index", index.toString(), "--query", query.toString(), "-k", "3", "--exact");
        assertEquals(0, hnsw.code(), hnsw.err());
        assertEquals(0, exact.code(), exact.err());
        // light3 finds itself at cosine 1, named by its file (a folder dataset's split keeps its files' names).
        assertTrue(hnsw.out().contains("     1    1.0000    0.00°  1 light") && hnsw.out().contains("light3.png\n"),
                hnsw.out());
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
    void rebuildingAnIndexAddsOnlyNewImagesOrReplacesIt() throws Exception {
        Path run = train("rebuild", "3");
        Path index = run.resolve("index").resolve("test");
        CliRun first = CliRun.of("index", "build", "--run", run.toString(), "--images", "test");
        assertEquals(0, first.code(), first.err());
        CliRun again = CliRun.of("index", "build", "--run", run.toString(), "--images", "test");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("indexed 0 images (split test)")
                && again.out().contains("skipped 10 images already in the index (--replace rebuilds it)")
                && again.out().contains(": 10 items (10 before)"), again.out());
        CliRun info = CliRun.of("index", "info", index.toString());
        assertTrue(info.out().contains("items       10") && info.out().contains("images      split test\n"), info.out());

        // A folder gains only the files it did not hold; an unreadable one is skipped when asked.
        Path gallery = work.resolve("gallery");
        Path red = Files.createDirectories(gallery.resolve("light"));
        Files.copy(images.resolve("test").resolve("light").resolve("light0.png"), red.resolve("a.png"));
        Path folderIndex = work.resolve("rebuild-folder");
        String[] build = {"index", "build", "--run", run.toString(), "--images", gallery.toString(), "--out",
            folderIndex.toString()};
        assertEquals(0, CliRun.of(build).code());
        Files.copy(images.resolve("test").resolve("light").resolve("light1.png"), red.resolve("b.png"));
        Files.writeString(red.resolve("c.png"), "not a png");
        CliRun stop = CliRun.of(build);
        assertEquals(2, stop.code(), stop.out());
        assertTrue(stop.err().contains("c.png") && stop.err().contains("--bad-images skip"), stop.err());
        String[] skip = java.util.stream.Stream.concat(java.util.Arrays.stream(build),
                java.util.stream.Stream.of("--bad-images", "skip")).toArray(String[]::new);
        CliRun skipped = CliRun.of(skip);
        assertEquals(0, skipped.code(), skipped.err());
        assertTrue(skipped.out().contains("indexed 1 image (folder") && skipped.out().contains("skipped 1 image already")
                && skipped.out().contains("skipped 1 image file that cannot be read:") && skipped.out().contains("c.png")
                && skipped.out().contains(": 2 items (1 before)"), skipped.out());

        // --replace rebuilds, even from another run's weights.
        Path other = train("rebuild-other", "4");
        CliRun replace = CliRun.of("index", "build", "--run", other.toString(), "--images", "test", "--out",
                index.toString(), "--replace");
        assertEquals(0, replace.code(), replace.err());
        assertTrue(replace.out().contains("indexed 10 images") && replace.out().contains(": 10 items (10 before, replaced)"),
                replace.out());
        assertTrue(CliRun.of("index", "info", index.toString()).out().contains(other.getFileName().toString()));
    }

    @Test
    void everyCommandThatReadsFoldersSkipsBadImagesWhenAskedAndSearchTakesFolders() throws Exception {
        Path run = train("bad", "5");
        Path folder = work.resolve("with-bad");
        Path light = Files.createDirectories(folder.resolve("light"));
        Files.copy(images.resolve("test").resolve("light").resolve("light0.png"), light.resolve("a.png"));
        Files.copy(images.resolve("test").resolve("light").resolve("light1.png"), light.resolve("b.png"));
        Files.writeString(light.resolve("broken.png"), "not a png");
        String npy = work.resolve("bad.npy").toString();
        for (String[] command : new String[][] {{"predict", "--run", run.toString(), folder.toString()},
            {"embed", "--run", run.toString(), "--out", npy, folder.toString()}}) {
            CliRun stop = CliRun.of(command);
            assertEquals(2, stop.code(), command[0] + ": " + stop.out());
            assertTrue(stop.err().contains("broken.png") && stop.err().contains("--bad-images skip"), stop.err());
            String[] skip = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
                    java.util.stream.Stream.of("--bad-images", "skip")).toArray(String[]::new);
            CliRun skipped = CliRun.of(skip);
            assertEquals(0, skipped.code(), skipped.err());
            String report = skipped.out() + skipped.err();
            assertTrue(report.contains("skipped 1 image file that cannot be read:") && report.contains("broken.png"), report);
        }
        CliRun json = CliRun.of("predict", "--run", run.toString(), folder.toString(), "--bad-images", "skip", "--json");
        assertTrue(json.out().strip().startsWith("[") && json.err().contains("broken.png"), json.out() + json.err());
        CliRun embedded = CliRun.of("embed", "--run", run.toString(), "--out", npy, folder.toString(), "--bad-images", "skip");
        assertTrue(embedded.out().contains("from 2 image files"), embedded.out());

        // search: folders and several images as arguments, and --query as before.
        CliRun build = CliRun.of("index", "build", "--run", run.toString(), "--images", "test");
        assertEquals(0, build.code(), build.err());
        String index = run.resolve("index").resolve("test").toString();
        CliRun search = CliRun.of("search", "--index", index, folder.toString(), "-k", "1", "--bad-images", "skip");
        assertEquals(0, search.code(), search.err());
        assertTrue(search.out().contains("a.png (predicted") && search.out().contains("b.png (predicted")
                && search.err().contains("broken.png"), search.out() + search.err());
        CliRun two = CliRun.of("search", "--index", index, light.resolve("a.png").toString(),
                light.resolve("b.png").toString(), "-k", "1");
        assertEquals(2, two.out().lines().filter(l -> l.contains("(predicted")).count(), two.out());
        CliRun stop = CliRun.of("search", "--index", index, folder.toString());
        assertEquals(2, stop.code(), stop.out());
        assertTrue(stop.err().contains("broken.png"), stop.err());

        // Another run's directory given with --run: the message names the run that built the index.
        CliRun wrong = CliRun.of("search", "--index", index, "--run", work.toString(), light.resolve("a.png").toString());
        assertTrue(wrong.code() != 0, wrong.out());
        assertTrue(wrong.err().contains("the index was built by run " + run.toAbsolutePath().normalize()), wrong.err());
    }

    @Test
    void withoutATerminalTrainPrintsAProgressLineEveryTenthOfAnEpochOrEveryNSteps() {
        CliRun every = CliRun.of("train", "--dataset", "folder:" + images, "--image-size", "8", "--epochs", "1",
                "--batch-size", "8", "--runs-dir", work.resolve("runs").toString(), "--name", "log-every",
                "--no-tensorboard", "--log-every", "2");
        assertEquals(0, every.code(), every.err());
        assertTrue(every.out().contains("epoch 1, batch 2 of 3, step 2: loss ") && !every.out().contains("step 1: loss")
                && !every.out().contains("step 3: loss"), every.out());
        CliRun byDefault = CliRun.of("train", "--dataset", "folder:" + images, "--image-size", "8", "--epochs", "1",
                "--batch-size", "8", "--runs-dir", work.resolve("runs").toString(), "--name", "log-default",
                "--no-tensorboard");
        assertEquals(0, byDefault.code(), byDefault.err());
        assertEquals(3, byDefault.out().lines().filter(l -> l.matches("epoch 1, batch \\d of 3, step \\d: loss .*")).count(),
                byDefault.out());
        CliRun never = CliRun.of("train", "--dataset", "folder:" + images, "--image-size", "8", "--epochs", "1",
                "--batch-size", "8", "--runs-dir", work.resolve("runs").toString(), "--name", "log-never",
                "--no-tensorboard", "--log-every", "0");
        assertTrue(!never.out().contains(": loss "), never.out());
    }

    @Test
    void badArgumentsAreNamed() {
        CliRun neither = CliRun.of("index", "info");
        assertEquals(2, neither.code(), neither.out());
        assertTrue(neither.err().contains("give an index folder (INDEX) or a run directory (--run DIR)"), neither.err());
        CliRun notARun = CliRun.of("index", "info", "--run", work.toString());
        assertEquals(2, notARun.code(), notARun.out());
        assertTrue(notARun.err().contains("--run " + work + " is not a run directory (it has no config.json)"),
                notARun.err());
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
