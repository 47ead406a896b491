package io.anglearn.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Users' own images: a folder with one sub-folder per class holding PNG or JPEG files of any
 * size, each resized (stretched, bilinear) to {@code size×size} with 1 (grey) or 3 (RGB) channels.
 *
 * <p>If the folder has {@code train/} and {@code test/} sub-folders, each laid out that way, they
 * are the splits. Otherwise every class is split on its own: its files are sorted by name,
 * shuffled with the split seed, and the first {@code round(testFraction × n)} go to the test
 * split, so the split is the same on every machine and keeps the class proportions.
 */
public final class ImageFolder {

    /** Largest decoded source image accepted, in pixels (guards against forged headers). */
    public static final long MAX_SOURCE_PIXELS = 100_000_000L;

    /** Largest source image side accepted, in pixels (JPEG's own limit; a decoder's row buffer grows with it). */
    public static final long MAX_SOURCE_SIDE = 65_535L;

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private final Path root;
    private final int size;
    private final int channels;
    private final double testFraction;
    private final long splitSeed;

    private ImageFolder(Builder b) {
        root = b.root;
        size = b.size;
        channels = b.channels;
        testFraction = b.testFraction;
        splitSeed = b.splitSeed;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads, resizes and splits the images.
     *
     * @param name the dataset's name for messages
     * @return both splits, without augmentation
     * @throws IOException if the folder is malformed or an image cannot be decoded; the message names it
     */
    public LoadedDataset load(String name) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new DatasetFormatException(root, "is not a folder; expected one sub-folder of images per class");
        }
        List<Path> trainFiles = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        List<Path> testFiles = new ArrayList<>();
        List<Integer> testLabels = new ArrayList<>();
        List<String> classes;
        Path trainDir = root.resolve("train");
        Path testDir = root.resolve("test");
        if (Files.isDirectory(trainDir) && Files.isDirectory(testDir)) {
            classes = classFolders(trainDir);
            List<String> testClasses = classFolders(testDir);
            if (!classes.equals(testClasses)) {
                throw new DatasetFormatException(testDir, "has classes " + testClasses + ", expected the same as "
                        + trainDir + ": " + classes);
            }
            for (int c = 0; c < classes.size(); c++) {
                addAll(images(trainDir.resolve(classes.get(c))), c, trainFiles, trainLabels);
                addAll(images(testDir.resolve(classes.get(c))), c, testFiles, testLabels);
            }
        } else {
            classes = classFolders(root);
            for (int c = 0; c < classes.size(); c++) {
                List<Path> files = images(root.resolve(classes.get(c)));
                Collections.shuffle(files, new Random(splitSeed * 31 + c));
                int nTest = (int) Math.round(testFraction * files.size());
                if (testFraction > 0 && files.size() - nTest < 1) {
                    throw new DatasetFormatException(root.resolve(classes.get(c)), "has " + files.size()
                            + " images, too few to keep one for training after a " + testFraction + " test split");
                }
                addAll(files.subList(0, nTest), c, testFiles, testLabels);
                addAll(files.subList(nTest, files.size()), c, trainFiles, trainLabels);
            }
        }
        if (trainFiles.isEmpty()) {
            throw new DatasetFormatException(root, "holds no training images (PNG or JPEG)");
        }
        ImageDataset train = decode(name + "/train", trainFiles, trainLabels, classes);
        ImageDataset test = decode(name + "/test", testFiles, testLabels, classes);
        return new LoadedDataset(name, root, train, test, Augmentation.NONE, List.of());
    }

    private ImageDataset decode(String name, List<Path> files, List<Integer> labels, List<String> classes)
            throws IOException {
        int img = channels * size * size;
        if ((long) files.size() * img > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(name + ": " + files.size() + " images of " + channels + "x" + size
                    + "x" + size + " do not fit in memory as one array; lower --image-size");
        }
        byte[] pixels = new byte[files.size() * img];
        int[] y = new int[files.size()];
        try {
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                try {
                    readInto(files.get(i), pixels, i * img);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                y[i] = labels.get(i);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new ImageDataset(name, pixels, y, channels, size, size, classes);
    }

    private void readInto(Path file, byte[] out, int offset) throws IOException {
        BufferedImage src;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DatasetFormatException(file, "is not a PNG or JPEG image this JVM can decode");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || w > MAX_SOURCE_SIDE || h > MAX_SOURCE_SIDE || w * h > MAX_SOURCE_PIXELS) {
                    throw new DatasetFormatException(file, "declares " + w + "x" + h + " pixels, expected at most "
                            + MAX_SOURCE_SIDE + " on a side and " + MAX_SOURCE_PIXELS + " in all");
                }
                // Decode only every k-th row and column of a large image: the decoded copy is then
                // between 2 and 4 times the target size on each axis, which the bilinear resize needs,
                // instead of the full image a header may declare (and a few bytes can claim).
                ImageReadParam param = reader.getDefaultReadParam();
                int kx = (int) Math.max(1, w / (2L * size));
                int ky = (int) Math.max(1, h / (2L * size));
                if (kx > 1 || ky > 1) {
                    param.setSourceSubsampling(kx, ky, 0, 0);
                }
                src = reader.read(0, param);
            } catch (IOException | RuntimeException e) {
                if (e instanceof DatasetFormatException d) {
                    throw d;
                }
                throw new DatasetFormatException(file, "cannot be decoded as an image (" + e.getMessage() + ")", e);
            } finally {
                reader.dispose();
            }
        }
        BufferedImage dst = new BufferedImage(size, size,
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, size, size, null);
        } finally {
            g.dispose();
        }
        int plane = size * size;
        if (channels == 1) {
            byte[] grey = (byte[]) dst.getRaster().getDataElements(0, 0, size, size, null);
            System.arraycopy(grey, 0, out, offset, plane);
        } else {
            int[] rgb = dst.getRGB(0, 0, size, size, null, 0, size);
            for (int p = 0; p < plane; p++) {
                int v = rgb[p];
                out[offset + p] = (byte) (v >>> 16);
                out[offset + plane + p] = (byte) (v >>> 8);
                out[offset + 2 * plane + p] = (byte) v;
            }
        }
    }

    private static List<String> classFolders(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
        }
        Collections.sort(names);
        if (names.size() < 2) {
            throw new DatasetFormatException(dir, "has " + names.size() + " class sub-folders, expected at least 2"
                    + " (one sub-folder of PNG/JPEG images per class)");
        }
        return names;
    }

    private static List<Path> images(Path classDir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(classDir)) {
            s.filter(p -> Files.isRegularFile(p) && isImage(p)).forEach(files::add);
        }
        Collections.sort(files);
        if (files.isEmpty()) {
            throw new DatasetFormatException(classDir, "holds no .png, .jpg or .jpeg files");
        }
        return files;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    private static void addAll(List<Path> files, int label, List<Path> outFiles, List<Integer> outLabels) {
        for (Path f : files) {
            outFiles.add(f);
            outLabels.add(label);
        }
    }

    /** Builds an {@link ImageFolder}; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private Path root;
        private int size = 32;
        private int channels = 3;
        private double testFraction = 0.2;
        private long splitSeed;

        /** Sets the folder with one sub-folder per class (required). */
        public Builder setRoot(Path root) {
            this.root = root;
            return this;
        }

        /** Sets the side images are resized to (default 32). */
        public Builder optImageSize(int size) {
            this.size = size;
            return this;
        }

        /** Sets the channels: 1 for grey, 3 for RGB (default 3). */
        public Builder optChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** Sets the share of each class held out for testing when there is no train/test layout (default 0.2). */
        public Builder optTestFraction(double testFraction) {
            this.testFraction = testFraction;
            return this;
        }

        /** Sets the seed of the train/test split (default 0). */
        public Builder optSplitSeed(long splitSeed) {
            this.splitSeed = splitSeed;
            return this;
        }

        /** Validates and builds. */
        public ImageFolder build() {
            if (root == null) {
                throw new IllegalArgumentException("ImageFolder needs setRoot");
            }
            if (size < 4 || size > 1024) {
                throw new IllegalArgumentException("--image-size must be in 4..1024, got " + size);
            }
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("--channels must be 1 or 3, got " + channels);
            }
            if (!(testFraction >= 0 && testFraction < 1)) {
                throw new IllegalArgumentException("--test-fraction must be in [0, 1), got " + testFraction);
            }
            return new ImageFolder(this);
        }
    }
}
