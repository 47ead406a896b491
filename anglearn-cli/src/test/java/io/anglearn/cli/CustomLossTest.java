package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user adds a loss in one file of their own and trains it by name from the command line: the
 * file is compiled here against anglearn's jars, registered through
 * {@code META-INF/services/io.anglearn.loss.LossProvider}, and {@code anglearn} runs in a JVM of
 * its own with it on the class path. No anglearn file knows the loss.
 */
class CustomLossTest {

    /** The user's file: a normalised softmax with its own scale, its provider nested in it. */
    private static final String SOURCE = """
            package example;

            import ai.djl.ndarray.NDArray;
            import io.anglearn.loss.EmbeddingLoss;
            import io.anglearn.loss.HeadKind;
            import io.anglearn.loss.InferenceLogits;
            import io.anglearn.loss.LossArguments;
            import io.anglearn.loss.LossParameter;
            import io.anglearn.loss.LossProvider;
            import io.anglearn.loss.miners.Miner;
            import java.util.List;

            public final class ScaledCosineLoss extends EmbeddingLoss {
                private final double scale;

                public ScaledCosineLoss(double scale) {
                    super("scaled-cosine");
                    if (!(scale > 0)) {
                        throw new IllegalArgumentException("scaled-cosine: s must be > 0, got " + scale);
                    }
                    this.scale = scale;
                }

                @Override
                public HeadKind headKind() {
                    return HeadKind.COSINE;
                }

                @Override
                public NDArray logits(NDArray cos, NDArray features, NDArray labels) {
                    return cos.mul(scale);
                }

                @Override
                public InferenceLogits inferenceLogits(int numClasses) {
                    return InferenceLogits.scaledCosine(scale, "s of the loss scaled-cosine");
                }

                public static final class Provider implements LossProvider {
                    public String name() {
                        return "scaled-cosine";
                    }

                    public String description() {
                        return "a user's normalised softmax s*cos(theta_j)";
                    }

                    public List<LossParameter> parameters() {
                        return List.of(LossParameter.real("s", 10, "scale of the cosine logits"));
                    }

                    public EmbeddingLoss create(LossArguments arguments, Miner miner) {
                        return new ScaledCosineLoss(arguments.real("s"));
                    }
                }
            }
            """;

    private static String run(Path plugin, Path work, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path") + File.pathSeparator + plugin, "io.anglearn.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = work.resolve("out-" + args[0] + ".txt");
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "anglearn " + String.join(" ", args) + " finished");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text;
    }

    @Test
    void aUsersLossInOneFileTrainsByName(@TempDir Path tmp) throws Exception {
        Path plugin = tmp.resolve("plugin");
        Path src = plugin.resolve("example/ScaledCosineLoss.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-cp", System.getProperty("java.class.path"), "-d",
                plugin.toString(), src.toString()), "the user's file compiles against anglearn");
        Path services = plugin.resolve("META-INF/services/io.anglearn.loss.LossProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, "example.ScaledCosineLoss$Provider\n");

        Path images = tmp.resolve("images");
        Random r = new Random(5);
        for (String c : List.of("dark", "light")) {
            Files.createDirectories(images.resolve(c));
            for (int i = 0; i < 20; i++) {
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                for (int p = 0; p < 64; p++) {
                    int v = (c.equals("dark") ? 40 : 200) + r.nextInt(40);
                    img.setRGB(p % 8, p / 8, v << 16 | v << 8 | v);
                }
                ImageIO.write(img, "png", images.resolve(c).resolve(i + ".png").toFile());
            }
        }
        String listed = run(plugin, tmp, "train", "--list-losses");
        assertTrue(listed.contains("scaled-cosine: s=10 -- a user's normalised softmax"), listed);

        run(plugin, tmp, "train", "--dataset", "folder:" + images, "--image-size", "8", "--epochs", "1",
                "--batch-size", "8", "--loss", "scaled-cosine", "-p", "s=8", "--name", "mine", "--no-progress");
        Path runDir = tmp.resolve("runs/mine");
        assertEquals(2, Files.readAllLines(runDir.resolve("metrics.csv")).size(), "one epoch trained");
        assertTrue(Files.readString(runDir.resolve("config.json")).contains("\"loss\": \"scaled-cosine\""));

        // Its inference logits are its own: predict uses s = 8, not a fallback.
        String predicted = run(plugin, tmp, "predict", "--run", runDir.toString(), images.resolve("dark/0.png").toString(),
                "--json");
        assertTrue(predicted.contains("dark") || predicted.contains("light"), predicted);

        // A value of the wrong kind or an unknown parameter is refused by name, as for the shipped losses.
        Path bad = tmp.resolve("out-bad.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path") + File.pathSeparator
                        + plugin, "io.anglearn.cli.Main", "train", "--dataset", "folder:" + images, "--loss",
                "scaled-cosine", "-p", "scale=8"));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(bad.toFile())
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String err = Files.readString(bad);
        assertEquals(2, p.exitValue(), err);
        assertTrue(err.contains("loss 'scaled-cosine' has no parameter 'scale'") && err.contains("s"), err);
    }
}
