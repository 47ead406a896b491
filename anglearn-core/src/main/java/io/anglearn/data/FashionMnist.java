package io.anglearn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, arXiv:1708.07747): 28×28 grey images of 10 clothing
 * classes, 60000 for training and 10000 for testing, in IDX files.
 */
public final class FashionMnist {

    /** The dataset's folder name. */
    public static final String NAME = "fashion-mnist";

    /** The class names in label order. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** How to get the files when they are not found. */
    public static final String HOW_TO_GET = "Put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
            + " t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (from"
            + " https://github.com/zalandoresearch/fashion-mnist) in one of those folders, pass --data-dir,"
            + " or on Debian install the package dataset-fashion-mnist.";

    private FashionMnist() {}

    /** Which half of the dataset. */
    public enum Split {
        /** The 60000 training images. */
        TRAIN("train"),
        /** The 10000 test images. */
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    /**
     * Finds the dataset's folder.
     *
     * @param locator the search order
     * @return the folder holding the four IDX files
     * @throws IOException if no folder holds them
     */
    public static Path locate(DatasetLocator locator) throws IOException {
        return locator.locate(NAME, dir -> find(dir, Split.TRAIN, "images") != null
                && find(dir, Split.TEST, "labels") != null, HOW_TO_GET);
    }

    /**
     * Loads one split from a folder.
     *
     * @param dir the folder
     * @param split train or test
     * @return the images (1×28×28) and labels
     * @throws IOException if a file is missing or malformed
     */
    public static ImageDataset load(Path dir, Split split) throws IOException {
        Path images = find(dir, split, "images");
        Path labels = find(dir, split, "labels");
        if (images == null || labels == null) {
            throw new DatasetFormatException(dir, "missing " + split.prefix + "-images-idx3-ubyte[.gz] or "
                    + split.prefix + "-labels-idx1-ubyte[.gz]");
        }
        IdxReader.IdxArray img = IdxReader.read(images, 3);
        IdxReader.IdxArray lab = IdxReader.read(labels, 1);
        if (img.dims()[1] != 28 || img.dims()[2] != 28) {
            throw new DatasetFormatException(images, "images are " + img.dims()[1] + "x" + img.dims()[2]
                    + ", expected 28x28");
        }
        if (img.dims()[0] != lab.dims()[0]) {
            throw new DatasetFormatException(labels, lab.dims()[0] + " labels for " + img.dims()[0]
                    + " images in " + images.getFileName());
        }
        int[] y = new int[lab.dims()[0]];
        for (int i = 0; i < y.length; i++) {
            y[i] = lab.data()[i] & 0xFF;
            if (y[i] >= CLASSES.size()) {
                throw new DatasetFormatException(labels, "label " + y[i] + " at index " + i
                        + " is outside [0, " + CLASSES.size() + ")");
            }
        }
        return new ImageDataset(NAME + "/" + split.name().toLowerCase(java.util.Locale.ROOT),
                img.data(), y, 1, 28, 28, CLASSES);
    }

    private static Path find(Path dir, Split split, String kind) {
        String base = split.prefix + "-" + kind + "-idx" + (kind.equals("images") ? 3 : 1) + "-ubyte";
        for (String name : List.of(base + ".gz", base, split.prefix + "-" + kind + ".idx"
                + (kind.equals("images") ? 3 : 1) + "-ubyte")) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
