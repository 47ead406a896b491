package io.anglearn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Users' own images: a folder with one sub-folder per class holding PNG, JPEG, BMP or GIF files of
 * any size, each decoded by {@link ImageDecoder} (size limits checked before any pixel is decoded)
 * and resized (stretched, bilinear) to {@code size×size} with 1 (grey) or 3 (RGB) channels. Other
 * files are ignored.
 *
 * <p>If the folder has {@code train/} and {@code test/} sub-folders, each laid out that way, they
 * are the splits. Their classes may differ: a test split of classes never trained on is how the
 * metric-learning protocol is laid out, and such a run is evaluated by retrieval. Otherwise every
 * class is split on its own: its files are sorted by name, shuffled with the split seed, and the
 * first {@code round(testFraction × n)} go to the test split, so the split is the same on every
 * machine and keeps the class proportions (a test fraction of 0 keeps every image for training).
 *
 * <p>Every file is decoded before anything is decided, so one pass finds every unreadable file
 * (damaged, empty, not an image, or too large): by default ({@link BadImagePolicy#STOP}) the
 * folder is refused with all of them listed; with {@link BadImagePolicy#SKIP} they are left out
 * and listed in {@link LoadedDataset#skipped()}. Each image's file is its
 * {@link ImageDataset#source source}.
 *
 * <p>Options: image size (default 32), channels (default 3), test fraction (default 0.2), split
 * seed (default 0), bad-image policy (default {@link BadImagePolicy#STOP}).
 */
public final class ImageFolder {

    /** Largest decoded source image accepted, in pixels (guards against forged headers). */
    public static final long MAX_SOURCE_PIXELS = 100_000_000L;

    /** Largest source image side accepted, in pixels (JPEG's own limit; a decoder's row buffer grows with it). */
    public static final long MAX_SOURCE_SIDE = 65_535L;

    /** The file name endings read as images, in any case. */
    public static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    /** Unreadable files a refusal names one by one; the rest are counted. */
    public static final int MAX_LISTED = 20;

    private final Path root;
    private final int size;
    private final int channels;
    private final double testFraction;
    private final long splitSeed;
    private final BadImagePolicy badImages;

    private ImageFolder(Builder b) {
        root = b.root;
        size = b.size;
        channels = b.channels;
        testFraction = b.testFraction;
        splitSeed = b.splitSeed;
        badImages = b.badImages;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The files of one split with their labels, in the order they will be held. */
    private record Listing(List<Path> files, List<Integer> labels, List<String> classes) {
        Listing(List<String> classes) {
            this(new ArrayList<>(), new ArrayList<>(), classes);
        }

        void addAll(List<Path> found, int label) {
            for (Path f : found) {
                files.add(f);
                labels.add(label);
            }
        }
    }

    /**
     * Reads, resizes and splits the images.
     *
     * @param name the dataset's name for messages
     * @return both splits, without augmentation
     * @throws IOException if the folder is malformed or (unless skipped) an image cannot be decoded;
     *     the message names every such file
     */
    public LoadedDataset load(String name) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new DatasetFormatException(root, (Files.exists(root) ? "is not a folder" : "does not exist")
                    + "; expected a folder with one sub-folder of images per class");
        }
        Listing train;
        Listing test;
        String layout;
        Path trainDir = root.resolve("train");
        Path testDir = root.resolve("test");
        if (Files.isDirectory(trainDir) && Files.isDirectory(testDir)) {
            train = new Listing(classFolders(trainDir));
            test = new Listing(classFolders(testDir));
            for (int c = 0; c < train.classes().size(); c++) {
                train.addAll(images(trainDir.resolve(train.classes().get(c))), c);
            }
            for (int c = 0; c < test.classes().size(); c++) {
                test.addAll(images(testDir.resolve(test.classes().get(c))), c);
            }
            layout = train.classes().equals(test.classes()) ? "splits from its train/ and test/ sub-folders"
                    : "splits from its train/ and test/ sub-folders, whose classes differ";
        } else {
            List<String> classes = classFolders(root);
            train = new Listing(classes);
            test = new Listing(classes);
            for (int c = 0; c < classes.size(); c++) {
                List<Path> files = images(root.resolve(classes.get(c)));
                Collections.shuffle(files, new Random(splitSeed * 31 + c));
                int nTest = (int) Math.round(testFraction * files.size());
                if (testFraction > 0 && files.size() - nTest < 1) {
                    throw new DatasetFormatException(root.resolve(classes.get(c)), "has " + files.size()
                            + " images, too few to keep one for training after a " + testFraction + " test split");
                }
                test.addAll(files.subList(0, nTest), c);
                train.addAll(files.subList(nTest, files.size()), c);
            }
            if (testFraction > 0 && test.files().isEmpty()) {
                throw new DatasetFormatException(root, "a test fraction of " + testFraction + " holds out no image:"
                        + " every class has too few (round(" + testFraction + " × images) = 0); raise --test-fraction,"
                        + " add images, or lay the folder out as train/ and test/");
            }
            layout = testFraction > 0 ? String.format(Locale.ROOT, "%s%% of each class held out for testing (seed %d)",
                    percent(testFraction), splitSeed) : "every image in the training split (none held out)";
        }
        ImageDecoder decoder = ImageDecoder.builder().setImageSize(size).setChannels(channels)
                .optMaxSide((int) MAX_SOURCE_SIDE).optMaxPixels(MAX_SOURCE_PIXELS).build();
        String[] trainFailures = new String[train.files().size()];
        String[] testFailures = new String[test.files().size()];
        byte[] trainPixels = decodeAll(decoder, name + "/train", train.files(), trainFailures);
        byte[] testPixels = decodeAll(decoder, name + "/test", test.files(), testFailures);
        List<String> failures = new ArrayList<>();
        Stream.of(trainFailures, testFailures).flatMap(Stream::of).filter(f -> f != null).forEach(failures::add);
        if (!failures.isEmpty() && badImages == BadImagePolicy.STOP) {
            int total = trainFailures.length + testFailures.length;
            StringBuilder m = new StringBuilder().append(failures.size()).append(" of ").append(total)
                    .append(" image files cannot be read:");
            failures.stream().limit(MAX_LISTED).forEach(f -> m.append("\n  ").append(f));
            if (failures.size() > MAX_LISTED) {
                m.append("\n  and ").append(failures.size() - MAX_LISTED).append(" more");
            }
            m.append("\nRepair or remove them, or leave them out with --bad-images skip");
            throw new DatasetFormatException(root, m.toString());
        }
        ImageDataset trainSet = dataset(name + "/train", train, trainPixels, trainFailures);
        ImageDataset testSet = dataset(name + "/test", test, testPixels, testFailures);
        int[] perClass = trainSet.classHistogram();
        for (int c = 0; c < perClass.length; c++) {
            if (perClass[c] == 0) {
                throw new DatasetFormatException(root, "class '" + train.classes().get(c) + "' has no readable"
                        + " training image left after leaving out " + failures.size() + " unreadable files");
            }
        }
        if (testSet.size() == 0 && testPixels.length > 0) {
            throw new DatasetFormatException(root, "no readable test image is left after leaving out "
                    + failures.size() + " unreadable files");
        }
        return new LoadedDataset(name, root, trainSet, testSet, Augmentation.NONE, List.of(), failures, layout);
    }

    private static String percent(double fraction) {
        double p = 100 * fraction;
        return p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%.3g", p);
    }

    /** Decodes every file into one array, in parallel; a file that fails leaves its reason in {@code failures}. */
    private static byte[] decodeAll(ImageDecoder decoder, String name, List<Path> files, String[] failures) {
        int img = decoder.channels() * decoder.imageSize() * decoder.imageSize();
        if ((long) files.size() * img > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(name + ": " + files.size() + " images of " + decoder.channels() + "x"
                    + decoder.imageSize() + "x" + decoder.imageSize() + " do not fit in memory as one array;"
                    + " lower --image-size");
        }
        byte[] pixels = new byte[files.size() * img];
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            Path file = files.get(i);
            try {
                System.arraycopy(decoder.decode(file), 0, pixels, i * img, img);
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                failures[i] = why.contains(file.toString()) ? why : file + ": " + why;
            }
        });
        return pixels;
    }

    /** The split's images, leaving out the files that failed. */
    private ImageDataset dataset(String name, Listing listing, byte[] pixels, String[] failures) {
        int n = failures.length;
        int kept = (int) Stream.of(failures).filter(f -> f == null).count();
        int img = channels * size * size;
        byte[] px = kept == n ? pixels : new byte[kept * img];
        int[] labels = new int[kept];
        List<String> sources = new ArrayList<>(kept);
        int at = 0;
        for (int i = 0; i < n; i++) {
            if (failures[i] != null) {
                continue;
            }
            if (px != pixels) {
                System.arraycopy(pixels, i * img, px, at * img, img);
            }
            labels[at++] = listing.labels().get(i);
            sources.add(listing.files().get(i).toString());
        }
        return new ImageDataset(name, px, labels, channels, size, size, listing.classes(), sources);
    }

    private static List<String> classFolders(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
        }
        Collections.sort(names);
        if (names.size() < 2) {
            throw new DatasetFormatException(dir, "has " + names.size() + " class sub-folders, expected at least 2"
                    + " (one sub-folder of PNG, JPEG, BMP or GIF images per class)");
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
            throw new DatasetFormatException(classDir, "holds no .png, .jpg, .jpeg, .bmp or .gif files");
        }
        return files;
    }

    /**
     * Returns whether a file's name ends like an image this folder reads.
     *
     * @param p the file
     * @return true for {@code .png}, {@code .jpg}, {@code .jpeg}, {@code .bmp} and {@code .gif}, in any case
     */
    public static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /** Builds an {@link ImageFolder}; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private Path root;
        private int size = 32;
        private int channels = 3;
        private double testFraction = 0.2;
        private long splitSeed;
        private BadImagePolicy badImages = BadImagePolicy.STOP;

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

        /**
         * Sets the share of each class held out for testing when there is no train/test layout, in
         * [0, 1); 0 keeps every image for training (default 0.2).
         */
        public Builder optTestFraction(double testFraction) {
            this.testFraction = testFraction;
            return this;
        }

        /** Sets the seed of the train/test split (default 0). */
        public Builder optSplitSeed(long splitSeed) {
            this.splitSeed = splitSeed;
            return this;
        }

        /** Sets what an undecodable image does (default {@link BadImagePolicy#STOP}). */
        public Builder optBadImages(BadImagePolicy badImages) {
            this.badImages = badImages;
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
            if (badImages == null) {
                throw new IllegalArgumentException("--bad-images must be stop or skip");
            }
            return new ImageFolder(this);
        }
    }
}
