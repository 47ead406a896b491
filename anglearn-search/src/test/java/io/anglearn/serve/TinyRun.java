package io.anglearn.serve;

import io.anglearn.index.EmbeddingIndex;
import io.anglearn.index.ImageSet;
import io.anglearn.index.RunIndexer;
import io.anglearn.run.TrainedRun;
import io.anglearn.run.TrainingRun;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingListener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A run trained for a few steps on a generated image folder (three colours, 8×8 PNGs, train/ and
 * test/), with an index of its test split: enough for the service's tests, in seconds.
 */
final class TinyRun {

    static final String[] CLASSES = {"blue", "green", "red"};
    private static final int[] RGB = {0x2040e0, 0x20c040, 0xe03020};

    private TinyRun() {}

    /** Writes the image folder; returns its root. */
    static Path images(Path root) throws IOException {
        Random r = new Random(11);
        for (String split : new String[] {"train", "test"}) {
            int n = split.equals("train") ? 10 : 4;
            for (int c = 0; c < CLASSES.length; c++) {
                Path dir = Files.createDirectories(root.resolve(split).resolve(CLASSES[c]));
                for (int i = 0; i < n; i++) {
                    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                    for (int p = 0; p < 64; p++) {
                        int base = RGB[c];
                        int rr = clamp(((base >> 16) & 0xff) + r.nextInt(61) - 30);
                        int gg = clamp(((base >> 8) & 0xff) + r.nextInt(61) - 30);
                        int bb = clamp((base & 0xff) + r.nextInt(61) - 30);
                        img.setRGB(p % 8, p / 8, rr << 16 | gg << 8 | bb);
                    }
                    ImageIO.write(img, "png", dir.resolve(String.format("%s-%02d.png", CLASSES[c], i)).toFile());
                }
            }
        }
        return root;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** Trains the run in {@code work/runs/tiny}; returns its directory. */
    static Path train(Path work) throws IOException {
        Path data = images(work.resolve("images"));
        TrainingConfig c = new TrainingConfig();
        c.dataset = "folder:" + data;
        c.imageSize = 8;
        c.imageChannels = 3;
        c.epochs = 2;
        c.batchSize = 10;
        c.learningRate = 3e-3;
        c.tensorBoard = false;
        c.runsDir = work.resolve("runs").toString();
        c.name = "tiny";
        return new TrainingRun(c).execute(new TrainingListener() {}).runDir();
    }

    /** Builds the index of the run's test split at {@code dir}. */
    static void index(TrainedRun run, Path dir) throws IOException {
        try (EmbeddingIndex index = EmbeddingIndex.builder().setDirectory(dir).setProvenance(RunIndexer.provenance(run))
                .build()) {
            RunIndexer.of(run, 8).addTo(ImageSet.parse("test"), index, n -> { });
            index.commit(true);
        }
    }
}
