package io.anglearn.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * CIFAR-100, binary version (Krizhevsky, "Learning Multiple Layers of Features from Tiny Images",
 * 2009): 32×32 colour images of 100 fine classes grouped into 20 coarse superclasses, 50000 for
 * training and 10000 for testing, each record {@code <coarse><fine><1024 R><1024 G><1024 B>}.
 *
 * <p>Found as the official {@code cifar-100-binary.tar.gz}, its extracted
 * {@code cifar-100-binary/} folder, or {@code train.bin}/{@code test.bin} plain or
 * gzip-compressed. The files are checked against the SHA-1 digests Apache MXNet publishes for
 * them (no SHA-256 is published).
 */
public final class Cifar100 {

    /** The dataset's folder name. */
    public static final String NAME = "cifar-100";

    /** The 100 fine class names in label order. */
    public static final List<String> FINE_CLASSES = List.of("apple", "aquarium_fish", "baby", "bear", "beaver",
            "bed", "bee", "beetle", "bicycle", "bottle", "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can",
            "castle", "caterpillar", "cattle", "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab",
            "crocodile", "cup", "dinosaur", "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster",
            "house", "kangaroo", "keyboard", "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man",
            "maple_tree", "motorcycle", "mountain", "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter",
            "palm_tree", "pear", "pickup_truck", "pine_tree", "plain", "plate", "poppy", "porcupine", "possum",
            "rabbit", "raccoon", "ray", "road", "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk",
            "skyscraper", "snail", "snake", "spider", "squirrel", "streetcar", "sunflower", "sweet_pepper", "table",
            "tank", "telephone", "television", "tiger", "tractor", "train", "trout", "tulip", "turtle", "wardrobe",
            "whale", "willow_tree", "wolf", "woman", "worm");

    /** The 20 coarse class names in label order. */
    public static final List<String> COARSE_CLASSES = List.of("aquatic_mammals", "fish", "flowers",
            "food_containers", "fruit_and_vegetables", "household_electrical_devices", "household_furniture",
            "insects", "large_carnivores", "large_man-made_outdoor_things", "large_natural_outdoor_scenes",
            "large_omnivores_and_herbivores", "medium_mammals", "non-insect_invertebrates", "people", "reptiles",
            "small_mammals", "trees", "vehicles_1", "vehicles_2");

    /** The training file. */
    public static final String TRAIN_FILE = "train.bin";

    /** The test file. */
    public static final String TEST_FILE = "test.bin";

    /** Training records. */
    public static final int TRAIN_RECORDS = 50000;

    /** Test records. */
    public static final int TEST_RECORDS = 10000;

    /** SHA-1 of the official decompressed files, as published by Apache MXNet. */
    public static final Map<String, Checksum> CHECKSUMS = Map.of(
            TRAIN_FILE, Checksum.sha1("e207cd2e05b73b1393c74c7f5e7bea451d63e08e"),
            TEST_FILE, Checksum.sha1("8fb6623e830365ff53cf14adec797474f5478006"));

    /** The official archive and the MD5 its authors publish. */
    public static final List<RemoteFile> DOWNLOADS = List.of(new RemoteFile(
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"), "cifar-100-binary.tar.gz",
            Checksum.md5("03b5dce01913d631647c71ecec9e9cb8"), true));

    /** How to get the files when they are not found. */
    public static final String HOW_TO_GET = "Run 'anglearn data fetch cifar100', or put cifar-100-binary.tar.gz"
            + " (from https://www.cs.toronto.edu/~kriz/cifar.html) or its extracted cifar-100-binary/ in a folder"
            + " named cifar-100 in one of those places, or pass --data-dir.";

    static final PayloadReader.Layout LAYOUT = new PayloadReader.Layout("cifar-100-binary", "cifar-100-binary.tar.gz");

    private static final int[] LABEL_LIMITS = {COARSE_CLASSES.size(), FINE_CLASSES.size()};

    private Cifar100() {}

    /**
     * Tells whether a folder holds the dataset in any supported form.
     *
     * @param dir the folder
     * @return true when both files (or the archive) are there
     */
    public static boolean isComplete(Path dir) {
        return PayloadReader.present(dir, List.of(TRAIN_FILE, TEST_FILE), LAYOUT);
    }

    /**
     * Finds the dataset's folder.
     *
     * @param locator the search order
     * @return the folder
     * @throws IOException if no folder holds it
     */
    public static Path locate(DatasetLocator locator) throws IOException {
        return locator.locate(NAME, Cifar100::isComplete,
                dir -> PayloadReader.missing(dir, List.of(TRAIN_FILE, TEST_FILE), LAYOUT), HOW_TO_GET);
    }

    /**
     * Loads both splits from a folder with the official record counts and checksums.
     *
     * @param dir the folder
     * @param labels fine (100 classes) or coarse (20 classes)
     * @param verify compare the files' digests with {@link #CHECKSUMS}
     * @return 50000 training and 10000 test images (3×32×32), without augmentation
     * @throws IOException if a file is missing, malformed or not the official one
     */
    public static LoadedDataset load(Path dir, LabelKind labels, boolean verify) throws IOException {
        return load(dir, labels, CHECKSUMS, TRAIN_RECORDS, TEST_RECORDS, verify);
    }

    /**
     * Loads both splits from files in the CIFAR-100 format with any number of records.
     *
     * @param dir the folder
     * @param labels fine or coarse
     * @param checksums digests to check, by file name (may be empty)
     * @param trainRecords the training records required, or -1 for any
     * @param testRecords the test records required, or -1 for any
     * @param verify compare the digests with {@code checksums}
     * @return the splits, without augmentation
     * @throws IOException if a file is missing, malformed or has the wrong digest
     */
    static LoadedDataset load(Path dir, LabelKind labels, Map<String, Checksum> checksums, int trainRecords,
            int testRecords, boolean verify) throws IOException {
        long record = 2 + CifarReader.IMAGE_BYTES;
        long trainCap = trainRecords >= 0 ? trainRecords * record : PayloadReader.DEFAULT_MAX_BYTES;
        long testCap = testRecords >= 0 ? testRecords * record : PayloadReader.DEFAULT_MAX_BYTES;
        Map<String, PayloadReader.Payload> files = PayloadReader.read(dir, List.of(
                new PayloadReader.Member(TRAIN_FILE, trainCap, checksums.get(TRAIN_FILE)),
                new PayloadReader.Member(TEST_FILE, testCap, checksums.get(TEST_FILE))), LAYOUT, verify);
        int index = labels == LabelKind.COARSE ? 0 : 1;
        List<String> classes = labels == LabelKind.COARSE ? COARSE_CLASSES : FINE_CLASSES;
        String suffix = labels == LabelKind.COARSE ? "-coarse" : "";
        ImageDataset train = CifarReader.decode(NAME + suffix + "/train", List.of(files.get(TRAIN_FILE)),
                LABEL_LIMITS, index, trainRecords, classes);
        ImageDataset test = CifarReader.decode(NAME + suffix + "/test", List.of(files.get(TEST_FILE)),
                LABEL_LIMITS, index, testRecords, classes);
        return new LoadedDataset(NAME + suffix, dir, train, test, Augmentation.NONE,
                List.of(files.get(TRAIN_FILE).check(), files.get(TEST_FILE).check()));
    }
}
