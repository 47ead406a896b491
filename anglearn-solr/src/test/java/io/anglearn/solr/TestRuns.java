package io.anglearn.solr;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.anglearn.run.TrainingRun;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingListener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Trained runs for the tests: a tiny one on generated colour images (seconds), and one on a CIFAR-10 subset. */
final class TestRuns {

    static final String[] CLASSES = {"blue", "green", "red"};
    private static final int[] RGB = {0x2040e0, 0x20c040, 0xe03020};

    private TestRuns() {}

    /** Writes {@code perClass} noisy 8×8 PNGs of each colour under {@code dir/<class>/}; returns dir. */
    static Path colourImages(Path dir, int perClass, long seed) throws IOException {
        Random r = new Random(seed);
        for (int c = 0; c < CLASSES.length; c++) {
            Path d = Files.createDirectories(dir.resolve(CLASSES[c]));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                for (int p = 0; p < 64; p++) {
                    int base = RGB[c];
                    int rr = clamp(((base >> 16) & 0xff) + r.nextInt(121) - 60);
                    int gg = clamp(((base >> 8) & 0xff) + r.nextInt(121) - 60);
                    int bb = clamp((base & 0xff) + r.nextInt(121) - 60);
                    img.setRGB(p % 8, p / 8, rr << 16 | gg << 8 | bb);
                }
                ImageIO.write(img, "png", d.resolve(String.format("%s-%03d.png", CLASSES[c], i)).toFile());
            }
        }
        return dir;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** Trains a run for two epochs on generated colour images, in {@code work/runs/NAME}; returns its directory. */
    static Path tiny(Path work, String name) throws IOException {
        Path images = work.resolve("images-" + name);
        colourImages(images.resolve("train"), 10, 11);
        colourImages(images.resolve("test"), 4, 12);
        TrainingConfig c = new TrainingConfig();
        c.dataset = "folder:" + images;
        c.imageSize = 8;
        c.imageChannels = 3;
        c.epochs = 2;
        c.batchSize = 10;
        c.tensorBoard = false;
        c.runsDir = work.resolve("runs").toString();
        c.name = name;
        return new TrainingRun(c).execute(new TrainingListener() {}).runDir();
    }

    /** The folder holding cifar-10/, or skips the calling test with the reason. */
    static Path dataRoot() {
        String prop = System.getProperty("anglearn.test.data");
        Path p = prop == null ? Path.of("../shared/data") : Path.of(prop);
        assumeTrue(Files.isDirectory(p.resolve("cifar-10")), "integration data not found at "
                + p.toAbsolutePath().normalize().resolve("cifar-10")
                + " (set -Danglearn.test.data=DIR to a folder with cifar-10/)");
        return p;
    }

    /** Trains ResNet20 for one epoch on the first {@code train} CIFAR-10 training images; its test split is the first {@code test}. */
    static Path cifar(Path work, Path dataRoot, int train, int test) throws IOException {
        TrainingConfig c = new TrainingConfig();
        c.dataset = "cifar10";
        c.dataDir = dataRoot.toString();
        c.limitTrain = train;
        c.limitTest = test;
        c.epochs = 1;
        c.batchSize = 128;
        c.tensorBoard = false;
        c.runsDir = work.resolve("runs").toString();
        c.name = "cifar";
        return new TrainingRun(c).execute(new TrainingListener() {}).runDir();
    }
}
