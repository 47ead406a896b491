package io.anglearn.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Any MNIST-style pair of IDX files per split: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and
 * {@code t10k-labels-idx1-ubyte}, each plain or {@code .gz}. Images are grey, of any size.
 */
public final class IdxDataset {

    /** The training images' file name (without {@code .gz}). */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** The training labels' file name. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** The test images' file name. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** The test labels' file name. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** The four file names, training first. */
    public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    static final PayloadReader.Layout LAYOUT = new PayloadReader.Layout(null, null);

    /** Labels are single bytes, so at most 256 classes. */
    private static final int MAX_CLASSES = 256;

    private IdxDataset() {}

    /**
     * Tells whether a folder holds the four files.
     *
     * @param dir the folder
     * @return true when all four are present, plain or compressed
     */
    public static boolean isComplete(Path dir) {
        return PayloadReader.present(dir, FILES, LAYOUT);
    }

    /**
     * Loads both splits of an MNIST-style folder with no known checksums; the classes are
     * {@code 0..K-1} where K is one more than the largest label in either split.
     *
     * @param name the dataset's name for messages
     * @param dir the folder
     * @return the splits
     * @throws IOException if a file is missing or malformed
     */
    public static LoadedDataset load(String name, Path dir) throws IOException {
        return load(name, dir, Map.of(), null, 0, true);
    }

    /**
     * Loads both splits.
     *
     * @param name the dataset's name for messages
     * @param dir the folder
     * @param checksums published digests of the decompressed files, by file name (may be empty)
     * @param classes the class names, or null to number the classes found
     * @param side the required image height and width, or 0 for any
     * @param verify compare digests with {@code checksums}
     * @return the splits, without augmentation
     * @throws IOException if a file is missing, malformed or has the wrong digest
     */
    static LoadedDataset load(String name, Path dir, Map<String, Checksum> checksums, List<String> classes, int side,
            boolean verify) throws IOException {
        List<PayloadReader.Member> members = new ArrayList<>();
        for (String f : FILES) {
            members.add(new PayloadReader.Member(f, IdxReader.MAX_PAYLOAD_BYTES, checksums.get(f)));
        }
        Map<String, PayloadReader.Payload> files = PayloadReader.read(dir, members, LAYOUT, verify);
        Decoded train = decode(files.get(TRAIN_IMAGES), files.get(TRAIN_LABELS), side, classes);
        Decoded test = decode(files.get(TEST_IMAGES), files.get(TEST_LABELS), side, classes);
        if (train.dims[1] != test.dims[1] || train.dims[2] != test.dims[2]) {
            throw new DatasetFormatException(files.get(TEST_IMAGES).file(), "test images are " + test.dims[1] + "x"
                    + test.dims[2] + ", expected " + train.dims[1] + "x" + train.dims[2] + " like the training images");
        }
        List<String> names = classes;
        if (names == null) {
            int k = Math.max(max(train.labels), max(test.labels)) + 1;
            names = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                names.add(Integer.toString(i));
            }
        }
        List<PayloadCheck> checks = new ArrayList<>();
        for (PayloadReader.Payload p : files.values()) {
            checks.add(p.check());
        }
        return new LoadedDataset(name, dir,
                new ImageDataset(name + "/train", train.pixels, train.labels, 1, train.dims[1], train.dims[2], names),
                new ImageDataset(name + "/test", test.pixels, test.labels, 1, test.dims[1], test.dims[2], names),
                Augmentation.NONE, checks);
    }

    private record Decoded(int[] dims, byte[] pixels, int[] labels) {}

    private static Decoded decode(PayloadReader.Payload images, PayloadReader.Payload labels, int side,
            List<String> classes) throws DatasetFormatException {
        IdxReader.IdxArray img = IdxReader.parse(images.file(), images.bytes(), 3);
        IdxReader.IdxArray lab = IdxReader.parse(labels.file(), labels.bytes(), 1);
        int[] d = img.dims();
        if (side > 0 && (d[1] != side || d[2] != side)) {
            throw new DatasetFormatException(images.file(), "images are " + d[1] + "x" + d[2] + ", expected "
                    + side + "x" + side);
        }
        if (d[0] != lab.dims()[0]) {
            throw new DatasetFormatException(labels.file(), lab.dims()[0] + " labels for " + d[0] + " images in "
                    + images.file().getFileName() + ", expected one label per image");
        }
        int limit = classes == null ? MAX_CLASSES : classes.size();
        int[] y = new int[lab.dims()[0]];
        for (int i = 0; i < y.length; i++) {
            y[i] = lab.data()[i] & 0xFF;
            if (y[i] >= limit) {
                throw new DatasetFormatException(labels.file(), "label " + y[i] + " at index " + i
                        + " is outside 0.." + (limit - 1));
            }
        }
        return new Decoded(d, img.data(), y);
    }

    private static int max(int[] a) {
        int m = 0;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
