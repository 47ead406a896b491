package io.anglearn.train;

import io.anglearn.data.ImageDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Tiny generated image sets for fast tests: each class a bright square at its own place, plus noise. */
public final class SyntheticData {

    private SyntheticData() {}

    /**
     * Generates a dataset.
     *
     * @param name its name
     * @param n images
     * @param classes C
     * @param size side of the square grey images
     * @param seed generator seed
     * @return the dataset
     */
    public static ImageDataset images(String name, int n, int classes, int size, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[n * size * size];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int y = i % classes;
            labels[i] = y;
            int cx = (y * 5) % (size - 3);
            int cy = (y * 3) % (size - 3);
            for (int p = 0; p < size * size; p++) {
                int row = p / size;
                int col = p % size;
                boolean on = row >= cy && row < cy + 3 && col >= cx && col < cx + 3;
                int v = (on ? 200 : 30) + r.nextInt(50);
                px[i * size * size + p] = (byte) v;
            }
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class" + c);
        }
        return new ImageDataset(name, px, labels, 1, size, size, names);
    }

    /**
     * Writes a dataset as a {@code folder:} dataset: one sub-folder per class ({@code class0},
     * {@code class1}, ...), each image a grey PNG.
     *
     * @param root the folder to write into
     * @param d the images, 1 channel
     * @return the root
     * @throws java.io.IOException if writing fails
     */
    public static java.nio.file.Path writeFolder(java.nio.file.Path root, ImageDataset d) throws java.io.IOException {
        byte[] px = new byte[d.imageSize()];
        for (int i = 0; i < d.size(); i++) {
            java.nio.file.Path dir = root.resolve(d.classNames().get(d.label(i)));
            java.nio.file.Files.createDirectories(dir);
            d.copyImage(i, px, 0);
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(d.width(), d.height(),
                    java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, d.width(), d.height(), px);
            javax.imageio.ImageIO.write(img, "png", dir.resolve(String.format("img%03d.png", i)).toFile());
        }
        return root;
    }

    /**
     * A configuration for a folder of grey 8×8 images written by {@link #writeFolder}: a quarter of
     * each class held out for testing, batches of 12, one epoch.
     *
     * @param folder the image folder
     * @param runsDir where the run goes
     * @param name the run's name
     * @return the configuration, for the test to adjust
     */
    public static TrainingConfig folderConfig(java.nio.file.Path folder, java.nio.file.Path runsDir, String name) {
        TrainingConfig c = new TrainingConfig();
        c.dataset = "folder:" + folder;
        c.imageChannels = 1;
        c.imageSize = 8;
        c.testFraction = 0.25;
        c.batchSize = 12;
        c.epochs = 1;
        c.runsDir = runsDir.toString();
        c.name = name;
        return c;
    }

    /** A train/test pair of 64 and 32 images of 4 classes, 8×8. */
    public static TrainingData small() {
        return new TrainingData(images("synthetic/train", 64, 4, 8, 1), images("synthetic/test", 32, 4, 8, 2));
    }

    /** A configuration for {@link #small()}: ResNet20, 3 epochs of 4 steps. */
    public static TrainingConfig smallConfig(String runsDir, String name) {
        TrainingConfig c = new TrainingConfig();
        // Recorded only: the runs get their data in memory; the name must still be one the data layer knows.
        c.dataset = "fashion-mnist";
        c.epochs = 3;
        c.batchSize = 16;
        c.learningRate = 3e-3;
        c.runsDir = runsDir;
        c.name = name;
        return c;
    }
}
