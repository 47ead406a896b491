package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each inference command, in a process of its own as a user runs it, writes nothing to standard
 * error: in particular not libtorch's "AutoNonVariableTypeMode is deprecated" warning, which it
 * prints straight to file descriptor 2 the first time host data is copied into a tensor.
 */
class InferenceStderrIT {

    private static String[] run(Path work, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_interop_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "io.anglearn.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(work.toFile())
                .redirectOutput(work.resolve("out.txt").toFile()).redirectError(work.resolve("err.txt").toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), String.join(" ", args) + " must not hang");
        return new String[] {Integer.toString(p.exitValue()), Files.readString(work.resolve("out.txt"), StandardCharsets.UTF_8),
            Files.readString(work.resolve("err.txt"), StandardCharsets.UTF_8)};
    }

    @Test
    void evaluateEmbedPredictIndexAndSearchPrintNoNativeWarnings(@TempDir Path dir) throws Exception {
        for (int c = 0; c < 3; c++) {
            Path d = Files.createDirectories(dir.resolve("pics").resolve("c" + c));
            for (int i = 0; i < 10; i++) {
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(new Color(60 * c + 5 * i, 40, 200 - 50 * c));
                g.fillRect(0, 0, 8, 8);
                g.dispose();
                ImageIO.write(img, "png", d.resolve(i + ".png").toFile());
            }
        }
        String[] t = run(dir, "train", "--dataset", "folder:pics", "--image-size", "8", "--epochs", "1",
                "--batch-size", "4", "--runs-dir", "runs", "--name", "r", "--no-progress");
        assertEquals("0", t[0], t[2]);
        Path pic = dir.resolve("pics/c1/0.png");
        List<String[]> commands = List.of(new String[] {"evaluate", "--run", "runs/r"},
                new String[] {"embed", "--run", "runs/r", "--out", "e.npy"},
                new String[] {"embed", "--run", "runs/r", "--out", "f.npy", "pics" + File.separator + "c0"},
                new String[] {"predict", "--run", "runs/r", pic.toString()},
                new String[] {"index", "build", "--run", "runs/r", "--images", "test"},
                // One query image is one forward pass of one image: the case libtorch used to warn about.
                new String[] {"search", "--index", "runs/r/index/test", "--query", pic.toString()});
        for (String[] c : commands) {
            String[] r = run(dir, c);
            assertEquals("0", r[0], String.join(" ", c) + ": " + r[2]);
            assertFalse(r[2].contains("AutoNonVariableTypeMode"), String.join(" ", c) + ":\n" + r[2]);
            assertEquals("", r[2].strip(), String.join(" ", c) + " writes nothing to standard error");
        }
    }
}
