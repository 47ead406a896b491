package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's first hour with the command: their own folder of images (PNG, BMP, GIF, with a
 * corrupt PNG and a zero-byte file among them), the start summary, the loss names, resuming and
 * extending, unseen-class retrieval from train/ and test/ folders of different classes, lr-find's
 * honesty about what its sweep can tell, and the inference commands on files and folders.
 */
class FirstHourTest {

    @TempDir
    static Path dir;
    static Path photos;
    static Path runs;
    static Path corrupt;
    static Path empty;
    static CliRun refused;
    static CliRun trained;
    static Path run;

    private static void image(Path file, String format, int shade) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(shade, shade, shade));
        g.fillRect(0, 0, 10, 10);
        g.setColor(Color.WHITE);
        g.fillRect(shade % 7, shade % 5, 3, 3);
        g.dispose();
        assertTrue(ImageIO.write(img, format, file.toFile()));
    }

    /** Four classes of six images in PNG, BMP and GIF, one corrupt PNG and one zero-byte file. */
    @BeforeAll
    static void trainOnAFolderOfOwnImages() throws Exception {
        photos = dir.resolve("photos");
        List<String> classes = List.of("ant", "bee", "cat", "dog");
        for (int c = 0; c < classes.size(); c++) {
            for (int i = 0; i < 6; i++) {
                String fmt = List.of("png", "bmp", "gif").get(i % 3);
                image(photos.resolve(classes.get(c)).resolve("img" + i + "." + fmt), fmt, 40 + 50 * c + i);
            }
        }
        byte[] png = Files.readAllBytes(photos.resolve("ant/img0.png"));
        corrupt = Files.write(photos.resolve("bee/broken.png"), java.util.Arrays.copyOf(png, png.length / 2));
        empty = Files.write(photos.resolve("cat/empty.jpg"), new byte[0]);
        runs = dir.resolve("runs");
        String[] common = {"--dataset", "folder:" + photos, "--image-size", "8", "--channels", "1", "--epochs", "1",
            "--batch-size", "6", "--test-fraction", "0.34", "--runs-dir", runs.toString(), "--no-progress"};
        refused = CliRun.of(concat(new String[] {"train", "--name", "refused"}, common));
        trained = CliRun.of(concat(new String[] {"train", "--bad-images", "skip", "--loss", "ArcFace"}, common));
        try (Stream<Path> s = Files.list(runs)) {
            run = s.filter(p -> !p.getFileName().toString().equals("refused")).findFirst().orElseThrow();
        }
    }

    static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    @Test
    void unreadableImagesAreAllNamedBeforeAnythingIsPrinted() {
        assertEquals(2, refused.code(), refused.err());
        assertEquals("", refused.out(), "no summary or table header before the error");
        String err = refused.err();
        assertTrue(err.contains("2 of 26 image files cannot be read:"), err);
        assertTrue(err.contains(corrupt.toString()) && err.contains(empty + " is empty"), err);
        assertTrue(err.contains("--bad-images skip"), err);
        assertFalse(Files.exists(runs.resolve("refused")), "nothing is written for a refused dataset");
    }

    @Test
    void trainingSaysWhatItLoadedAndRecordsTheSkippedFiles() throws Exception {
        assertEquals(0, trained.code(), trained.err());
        String out = trained.out();
        // The split is drawn from the listed files, so the two unreadable ones fall where the seed puts them.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("data      folder:" + java.util.regex.Pattern.quote(
                photos.toString()) + " from " + java.util.regex.Pattern.quote(photos.toAbsolutePath().normalize()
                .toString()) + "\n          34% of each class held out for testing \\(seed 42\\)\n"
                + "classes   4 to train on: ant, bee, cat, dog\n"
                + "          test split: the same classes, evaluated by classification\n"
                + "images    (\\d+) for training, (\\d+) for testing; 1x8x8 \\(grey\\); augmentation none\n"
                + "          2 unreadable files left out \\(--bad-images skip\\), listed in config.json and train.log\n"
                + "steps     (\\d+) per epoch \\(batch 6, sampler shuffle\\), 1 epoch, \\3 steps in all; adam, one-cycle"
                + " to lr 0.00300\n"
                // 16 or so training images in batches of 6: the summary warns that the batch is too large for them.
                + "warning   the batch of 6 is more than a quarter of the \\1 training images: \\3 steps? per epoch"
                + " barely trains; try --batch-size \\d+\n"
                + "model     resnet20, [0-9,]+ parameters, loss arcface, on cpu\n").matcher(out);
        assertTrue(m.lookingAt(), out);
        int train = Integer.parseInt(m.group(1));
        assertEquals(24, train + Integer.parseInt(m.group(2)), "every readable image in one split or the other");
        int steps = Integer.parseInt(m.group(3));
        assertTrue(steps == train / 6 || steps == (train + 5) / 6, "steps " + steps + " for " + train + " images");
        assertTrue(out.contains(", loss arcface, on cpu\nrun       " + run), out);
        assertTrue(run.getFileName().toString().startsWith("photos-arcface-"), "the loss name in lower case: " + run);
        List<String> lines = out.lines().toList();
        String row = lines.get(lines.size() - 2);
        // Four classes: top-5 error says nothing and is shown as n/a.
        assertTrue(row.matches("\\s+1\\s+\\S+\\s+\\S+%\\s+\\S+%\\s+n/a\\s+.*"), row);
        JsonObject doc = JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject();
        assertEquals("arcface", doc.getAsJsonObject("config").get("loss").getAsString());
        JsonObject resolved = doc.getAsJsonObject("resolved");
        assertEquals(2, resolved.get("skippedImages").getAsInt());
        JsonArray files = resolved.getAsJsonArray("skippedImageFiles");
        assertEquals(2, files.size());
        assertTrue(files.toString().contains(corrupt + ": the png ")
                && files.toString().contains(empty + " is empty"), files.toString());
        assertEquals(io.anglearn.util.Version.current(), resolved.get("anglearnVersion").getAsString());
        assertTrue(Files.readString(run.resolve("train.log")).contains("left out 2 unreadable image files"));
    }

    @Test
    void lossesAreListedWithWhatTheyAreAndTheirPaper() {
        CliRun r = CliRun.of("train", "--list-losses");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("losses (--loss NAME; parameters -p NAME=VALUE, defaults shown):\n  soft: "), r.out());
        assertTrue(r.out().contains("\n  arc: k=4, epsilon=1e-6 -- the angular loss, logits k·(π/2 − θ_j): this"
                + " project's method and the default, not ArcFace (Wu & Wang, arXiv:1912.07819)\n"), r.out());
        assertTrue(r.out().contains("\n  arcface: s=64, m=0.5, easy_margin=0, epsilon=1e-6 -- ArcFace, an additive"
                + " angular margin s·cos(θ_y + m) (Deng et al., CVPR 2019)\n"), r.out());
    }

    @Test
    void resumingAFinishedRunSaysSoAndMoreEpochsExtendIt() throws Exception {
        Path copy = dir.resolve("extend");
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.toList()) {
                Path t = copy.resolve(run.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().equals(".lock")) {
                    Files.copy(p, t);
                }
            }
        }
        CliRun done = CliRun.of("train", "--resume", copy.toString());
        assertEquals(0, done.code(), done.err());
        assertTrue(done.out().startsWith(copy + " has finished: its 1 epoch is trained (epoch 1: test top-1 error "),
                done.out());
        assertTrue(done.out().contains("; there is nothing to resume.\nTo train it for more epochs: anglearn train"
                + " --resume " + copy + " --epochs N, with N > 1.\n"), done.out());
        assertFalse(done.out().contains("epoch       loss"), "no table header");

        CliRun more = CliRun.of("train", "--resume", copy.toString(), "--epochs", "2", "--no-progress");
        assertEquals(0, more.code(), more.err());
        assertTrue(more.out().startsWith("extending " + copy + " from 1 to 2 epochs; the one-cycle schedule runs again"
                + " over the added epochs\n"), more.out());
        assertTrue(more.out().contains("run       " + copy + " (resuming at epoch "), more.out());
        assertTrue(more.out().lines().anyMatch(l -> l.matches("\\s+2\\s+\\d.*")), more.out());

        CliRun other = CliRun.of("train", "--resume", copy.toString(), "--epochs", "3", "--lr", "0.1");
        assertEquals(2, other.code());
        assertTrue(other.err().contains("give no other training option but --epochs"), other.err());

        CliRun notARun = CliRun.of("train", "--resume", photos.toString());
        assertEquals(2, notARun.code());
        assertTrue(notARun.err().contains("--resume " + photos + " is not a run directory: config.json is missing"),
                notARun.err());
    }

    @Test
    void foldersOfDifferentTrainAndTestClassesAreEvaluatedByRetrieval() throws Exception {
        Path split = dir.resolve("split");
        for (String c : List.of("ant", "bee", "cat")) {
            for (int i = 0; i < 4; i++) {
                image(split.resolve("train").resolve(c).resolve(i + ".png"), "png", 30 + 60 * i + c.length() * 9);
            }
        }
        for (String c : List.of("dog", "eel")) {
            for (int i = 0; i < 3; i++) {
                image(split.resolve("test").resolve(c).resolve(i + ".bmp"), "bmp", 20 + 70 * i + c.hashCode() % 13);
            }
        }
        CliRun r = CliRun.of("train", "--dataset", "folder:" + split, "--image-size", "8", "--epochs", "1",
                "--batch-size", "6", "--runs-dir", runs.toString(), "--name", "unseen", "--no-progress");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("          splits from its train/ and test/ sub-folders, whose classes differ\n"
                + "classes   3 to train on: ant, bee, cat\n"
                + "          test split: 2 classes, none of them trained on: dog, eel\n"
                + "          evaluated by retrieval (the network has no class weights for classes it was not trained"
                + " on): P@1, R-precision, MAP@R, NMI, C-Inter\n"), r.out());
        assertTrue(r.out().contains("epoch       loss      P@1   R-prec    MAP@R      NMI"), r.out());
        CliRun e = CliRun.of("evaluate", "--run", runs.resolve("unseen").toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("MAP@R") && e.out().contains("not applicable"), e.out());
    }

    @Test
    void anExplicitDataDirWithoutTheDatasetIsAnError() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        CliRun r = CliRun.of("train", "--dataset", "fashion-mnist", "--data-dir", data.toString(), "--runs-dir",
                runs.toString(), "--no-progress");
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains("dataset 'fashion-mnist' is not in --data-dir " + data + ": ")
                && r.err().contains("does not exist"), r.err());
    }

    @Test
    void lrFindTakesOnlyItsOptionsAndSaysWhenItCannotSuggest() {
        CliRun help = CliRun.of("lr-find", "--help");
        for (String gone : List.of("--epochs", "--schedule", "--lr ", "--warmup", "--limit-test", "--eval-every")) {
            assertFalse(help.out().contains(gone), gone + " is not an lr-find option:\n" + help.out());
        }
        assertTrue(help.out().contains("--min-lr") && help.out().contains("--momentum"), help.out());
        CliRun bad = CliRun.of("lr-find", "--epochs", "3");
        assertEquals(2, bad.code());
        // A relative --out (as the default lr-find.png is): the output names the full path of what was written.
        Path plot = Path.of("target", "first-hour-lr.png");
        CliRun r = CliRun.of("lr-find", "--dataset", "folder:" + photos, "--bad-images", "skip", "--image-size", "8",
                "--channels", "1", "--batch-size", "6", "--iterations", "4", "--max-lr", "1e-3", "--out",
                plot.toString(), "--no-progress");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("warning: the loss did not diverge"), r.out());
        assertTrue(r.out().contains("no peak rate suggested"), r.out());
        assertFalse(r.out().contains("suggested one-cycle peak rate"), r.out());
        Path csv = Path.of("target", "first-hour-lr.csv");
        assertTrue(Files.exists(plot) && Files.exists(csv));
        assertTrue(r.out().endsWith("plot: " + plot.toAbsolutePath().normalize() + "\ncurve: "
                + csv.toAbsolutePath().normalize() + "\n"), r.out());
    }

    @Test
    void predictAndEmbedTakeFilesAndFolders() throws Exception {
        CliRun p = CliRun.of("predict", "--run", run.toString(), "--top-k", "2", photos.resolve("dog").toString(),
                photos.resolve("ant/img1.bmp").toString());
        assertEquals(0, p.code(), p.err());
        List<String> lines = p.out().lines().toList();
        assertEquals(14, lines.size(), "6 dog images and 1 ant, two lines each:\n" + p.out());
        assertTrue(lines.get(0).startsWith(photos.resolve("dog/img0.png") + ": "), lines.get(0));
        assertTrue(lines.get(0).matches(java.util.regex.Pattern.quote(photos.resolve("dog/img0.png").toString())
                + ": \\d \\w+ \\(probability \\d\\.\\d{4}, cosine -?\\d\\.\\d{4}\\)"), lines.get(0));
        assertTrue(lines.get(1).matches("  top: \\w+=\\d\\.\\d{4} \\(cos -?\\d\\.\\d{4}\\) \\w+=\\d\\.\\d{4}"
                + " \\(cos -?\\d\\.\\d{4}\\)"), lines.get(1));

        CliRun json = CliRun.of("predict", "--run", run.toString(), "--json", "--top-k", "3",
                photos.resolve("ant/img1.bmp").toString());
        assertEquals(0, json.code(), json.err());
        JsonArray a = JsonParser.parseString(json.out()).getAsJsonArray();
        assertEquals(1, a.size());
        JsonObject o = a.get(0).getAsJsonObject();
        assertEquals(photos.resolve("ant/img1.bmp").toString(), o.get("source").getAsString());
        JsonArray top = o.getAsJsonArray("top");
        assertEquals(3, top.size());
        assertEquals(o.get("className").getAsString(), top.get(0).getAsJsonObject().get("className").getAsString(),
                "the predicted class is the most probable");
        assertTrue(top.get(0).getAsJsonObject().get("probability").getAsDouble()
                >= top.get(1).getAsJsonObject().get("probability").getAsDouble());

        // The same image through POST /predict: the same object, field for field, but the source.
        byte[] bytes = Files.readAllBytes(photos.resolve("ant/img1.bmp"));
        try (io.anglearn.run.TrainedRun r = io.anglearn.run.TrainedRun.open(run);
                io.anglearn.serve.EmbeddingService service = io.anglearn.serve.EmbeddingService.builder().setRun(r)
                        .build()) {
            JsonObject http = service.predict(bytes, 3).get();
            JsonObject cli = o.deepCopy();
            cli.remove("source");
            assertEquals(List.copyOf(cli.keySet()), List.copyOf(http.keySet()));
            assertEquals(cli.get("classIndex"), http.get("classIndex"));
            assertEquals(cli.get("className"), http.get("className"));
            for (int i = 0; i < 3; i++) {
                JsonObject fromCli = cli.getAsJsonArray("top").get(i).getAsJsonObject();
                JsonObject fromHttp = http.getAsJsonArray("top").get(i).getAsJsonObject();
                assertEquals(fromCli.keySet(), fromHttp.keySet());
                assertEquals(fromCli.get("classIndex"), fromHttp.get("classIndex"));
                assertEquals(fromCli.get("probability").getAsDouble(), fromHttp.get("probability").getAsDouble(), 1e-5);
                assertEquals(fromCli.get("cosine").getAsDouble(), fromHttp.get("cosine").getAsDouble(), 1e-5);
            }
        }

        Path out = dir.resolve("emb/mine.npy");
        Files.createDirectories(out.getParent());
        CliRun e = CliRun.of("embed", "--run", run.toString(), "--out", out.toString(), photos.resolve("dog").toString(),
                photos.resolve("ant/img1.bmp").toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().startsWith("7 features of dimension 64 from 7 image files"), e.out());
        List<String> meta = Files.readAllLines(dir.resolve("emb/mine-metadata.tsv"));
        assertEquals("label\tclass\tsource", meta.get(0));
        assertEquals("1\tdog\t" + photos.resolve("dog/img0.png"), meta.get(1));
        assertEquals("0\tant\t" + photos.resolve("ant/img1.bmp"), meta.get(7));

        CliRun both = CliRun.of("embed", "--run", run.toString(), "--out", out.toString(), "--split", "test",
                photos.resolve("dog").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("either --split or IMAGE"), both.err());

        CliRun split = CliRun.of("embed", "--run", run.toString(), "--out", dir.resolve("emb/test.npy").toString());
        assertEquals(0, split.code(), split.err());
        List<String> testMeta = Files.readAllLines(dir.resolve("emb/test-metadata.tsv"));
        assertTrue(testMeta.get(1).matches("\\d\t\\w+\t" + java.util.regex.Pattern.quote(photos.toString()) + "/.*"),
                "a folder dataset's images are named by their files: " + testMeta.get(1));
    }

    @Test
    void evaluateSaysTopFiveDoesNotApplyToFourClasses() {
        CliRun e = CliRun.of("evaluate", "--run", run.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("top-5 error n/a (4 classes: all are in the top five)"), e.out());
        // The folder has no test split of its own: the output says what was evaluated instead of naming one.
        assertTrue(e.out().lines().findFirst().orElseThrow().matches(java.util.regex.Pattern.quote("run " + run)
                + ", checkpoint at step \\d+, split test of " + java.util.regex.Pattern.quote("folder:" + photos)
                + " \\(\\d images; 34% of each class held out for testing \\(seed 42\\)\\)"), e.out());
        assertFalse(e.out().contains("photos/test"), e.out());
    }

    @Test
    void theVersionIsTheBuildsVersion() {
        CliRun v = CliRun.of("--version");
        assertEquals("anglearn " + io.anglearn.util.Version.current() + "\n", v.out());
        assertFalse(v.out().contains("development build") || v.out().contains("unknown"));
    }
}
