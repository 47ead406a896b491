package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.util.Digests;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code anglearn export}: writes the model and its card, and refuses every bad option, target and
 * checkpoint with a message naming it, never touching the run directory.
 */
class ExportCommandTest {

    @TempDir
    static Path work;
    static Path run;
    static Map<String, String> runBefore;

    @BeforeAll
    static void train() throws Exception {
        Path images = work.resolve("images");
        Random r = new Random(4);
        String[] classes = {"dark", "light"};
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 2; c++) {
                Path dir = Files.createDirectories(images.resolve(split).resolve(classes[c]));
                for (int i = 0; i < (split.equals("train") ? 8 : 3); i++) {
                    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                    for (int p = 0; p < 64; p++) {
                        int v = (c == 0 ? 40 : 200) + r.nextInt(40);
                        img.setRGB(p % 8, p / 8, v << 16 | v << 8 | (p * 3));
                    }
                    ImageIO.write(img, "png", dir.resolve(classes[c] + i + ".png").toFile());
                }
            }
        }
        CliRun t = CliRun.of("train", "--dataset", "folder:" + images, "--image-size", "8", "--epochs", "1",
                "--batch-size", "8", "--runs-dir", work.resolve("runs").toString(), "--name", "tiny",
                "--no-tensorboard", "--no-progress");
        assertEquals(0, t.code(), t.err());
        run = work.resolve("runs").resolve("tiny");
        runBefore = tree(run);
    }

    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Digests.sha256Hex(p));
            }
        }
        return out;
    }

    @AfterAll
    static void theRunIsUnchanged() throws IOException {
        assertEquals(runBefore, tree(run), "export changed the run directory");
    }

    @Test
    void writesTheModelAndItsCard(@TempDir Path out) throws Exception {
        Path model = out.resolve("tiny.onnx");
        CliRun e = CliRun.of("export", "--run", run.toString(), "--format", "onnx", "--out", model.toString(),
                "--outputs", "normalized,cosines,logits", "--include-preprocessing", "--checkpoint", "last");
        assertEquals(0, e.code(), e.err());
        assertTrue(Files.size(model) > 1000);
        Path card = out.resolve("tiny.card.json");
        assertTrue(Files.isRegularFile(card));
        assertTrue(e.out().contains(model.toString()) && e.out().contains(card.toString()), e.out());
        assertTrue(e.out().contains("input pixels, outputs embedding, embedding_normalized, cosines, logits"), e.out());
        assertTrue(e.out().contains(Digests.sha256Hex(model)), e.out());
        String json = Files.readString(card);
        assertTrue(json.contains("\"class_names\"") && json.contains("\"light\"") && json.contains("\"NHWC\""), json);
    }

    @Test
    void anExistingFileNeedsForce(@TempDir Path out) throws Exception {
        Path model = Files.writeString(out.resolve("model.onnx"), "mine");
        CliRun e = CliRun.of("export", "--run", run.toString(), "--out", model.toString());
        assertEquals(2, e.code(), e.err());
        assertTrue(e.err().contains("--out") && e.err().contains(model.toString()) && e.err().contains("--force"), e.err());
        assertEquals("mine", Files.readString(model));
        CliRun forced = CliRun.of("export", "--run", run.toString(), "--out", model.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertFalse(Files.readString(model, java.nio.charset.StandardCharsets.ISO_8859_1).equals("mine"));
    }

    @Test
    void aMissingFolderIsNamed(@TempDir Path out) {
        Path model = out.resolve("no/such/model.onnx");
        CliRun e = CliRun.of("export", "--run", run.toString(), "--out", model.toString());
        assertEquals(2, e.code(), e.err());
        assertTrue(e.err().contains("--out") && e.err().contains("does not exist"), e.err());
        assertFalse(Files.exists(out.resolve("no")));
    }

    @Test
    void badOptionsAreNamed(@TempDir Path out) {
        String model = out.resolve("m.onnx").toString();
        CliRun format = CliRun.of("export", "--run", run.toString(), "--out", model, "--format", "tflite");
        assertEquals(2, format.code());
        assertTrue(format.err().contains("--format tflite") && format.err().contains("onnx"), format.err());
        CliRun outputs = CliRun.of("export", "--run", run.toString(), "--out", model, "--outputs", "probabilities");
        assertEquals(2, outputs.code());
        assertTrue(outputs.err().contains("--outputs") && outputs.err().contains("probabilities"), outputs.err());
        CliRun name = CliRun.of("export", "--run", run.toString(), "--out", model, "--checkpoint", "newest");
        assertEquals(2, name.code());
        assertTrue(name.err().contains("--checkpoint"), name.err());
        assertFalse(Files.exists(out.resolve("m.onnx")));
    }

    @Test
    void checkpointsThatAreNotThereAreNamed(@TempDir Path out) throws Exception {
        String model = out.resolve("m.onnx").toString();
        CliRun step = CliRun.of("export", "--run", run.toString(), "--out", model, "--checkpoint", "step-99999");
        assertEquals(1, step.code());
        assertTrue(step.err().contains("99999"), step.err());
        Path unfinished = Files.createDirectories(out.resolve("unfinished"));
        Files.copy(run.resolve("config.json"), unfinished.resolve("config.json"));
        CliRun none = CliRun.of("export", "--run", unfinished.toString(), "--out", model);
        assertEquals(1, none.code());
        assertTrue(none.err().contains("checkpoint"), none.err());
        CliRun notRun = CliRun.of("export", "--run", out.resolve("nothing").toString(), "--out", model);
        assertEquals(2, notRun.code());
        assertTrue(notRun.err().contains("--run") && notRun.err().contains("nothing"), notRun.err());
        assertFalse(Files.exists(out.resolve("m.onnx")));
    }
}
