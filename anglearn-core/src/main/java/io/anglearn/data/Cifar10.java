package io.anglearn.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CIFAR-10, binary version (Krizhevsky, "Learning Multiple Layers of Features from Tiny Images",
 * 2009): 32×32 colour images of 10 classes, five training files of 10000 and one test file of
 * 10000, each record {@code <label><1024 R><1024 G><1024 B>}.
 *
 * <p>Found as the official {@code cifar-10-binary.tar.gz}, its extracted
 * {@code cifar-10-batches-bin/} folder, or the {@code .bin} files plain or gzip-compressed one by
 * one. Each file is checked against the SHA-256 of the official decompressed file.
 */
public final class Cifar10 {

    /** The dataset's folder name. */
    public static final String NAME = "cifar-10";

    /** The class names in label order. */
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    /** The training files, in order. */
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");

    /** The test file. */
    public static final String TEST_FILE = "test_batch.bin";

    /** Records in every file. */
    public static final int RECORDS_PER_FILE = 10000;

    /** SHA-256 of the official decompressed files. */
    public static final Map<String, Checksum> CHECKSUMS = Map.of(
            "data_batch_1.bin", Checksum.sha256("cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5"),
            "data_batch_2.bin", Checksum.sha256("a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed"),
            "data_batch_3.bin", Checksum.sha256("bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67"),
            "data_batch_4.bin", Checksum.sha256("014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48"),
            "data_batch_5.bin", Checksum.sha256("755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add"),
            TEST_FILE, Checksum.sha256("8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b"));

    /** The official archive and the MD5 its authors publish. */
    public static final List<RemoteFile> DOWNLOADS = List.of(new RemoteFile(
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), "cifar-10-binary.tar.gz",
            Checksum.md5("c32a1d4ab5d03f1284b67883e8d87530"), true));

    /** How to get the files when they are not found. */
    public static final String HOW_TO_GET = "Run 'anglearn data fetch cifar10', or put cifar-10-binary.tar.gz"
            + " (from https://www.cs.toronto.edu/~kriz/cifar.html) or its extracted cifar-10-batches-bin/ in a"
            + " folder named cifar-10 in one of those places, or pass --data-dir.";

    static final PayloadReader.Layout LAYOUT = new PayloadReader.Layout("cifar-10-batches-bin", "cifar-10-binary.tar.gz");

    private Cifar10() {}

    /**
     * Tells whether a folder holds the dataset in any supported form.
     *
     * @param dir the folder
     * @return true when every file (or the archive) is there
     */
    public static boolean isComplete(Path dir) {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        return PayloadReader.present(dir, all, LAYOUT);
    }

    /**
     * Finds the dataset's folder.
     *
     * @param locator the search order
     * @return the folder
     * @throws IOException if no folder holds it
     */
    public static Path locate(DatasetLocator locator) throws IOException {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        return locator.locate(NAME, Cifar10::isComplete, dir -> PayloadReader.missing(dir, all, LAYOUT), HOW_TO_GET);
    }

    /**
     * Loads both splits from a folder.
     *
     * @param dir the folder
     * @param verify compare the files' digests with {@link #CHECKSUMS}
     * @return 50000 training and 10000 test images (3×32×32), without augmentation
     * @throws IOException if a file is missing, malformed or not the official one
     */
    public static LoadedDataset load(Path dir, boolean verify) throws IOException {
        return load(dir, CHECKSUMS, RECORDS_PER_FILE, verify);
    }

    /**
     * Loads both splits from files in the CIFAR-10 format.
     *
     * @param dir the folder
     * @param checksums digests to check, by file name (may be empty)
     * @param recordsPerFile the records every file must hold
     * @param verify compare the digests with {@code checksums}
     * @return the splits, without augmentation
     * @throws IOException if a file is missing, malformed or has the wrong digest
     */
    static LoadedDataset load(Path dir, Map<String, Checksum> checksums, int recordsPerFile, boolean verify)
            throws IOException {
        List<PayloadReader.Member> members = new ArrayList<>();
        long bytes = (long) recordsPerFile * (1 + CifarReader.IMAGE_BYTES);
        for (String f : TRAIN_FILES) {
            members.add(new PayloadReader.Member(f, bytes, checksums.get(f)));
        }
        members.add(new PayloadReader.Member(TEST_FILE, bytes, checksums.get(TEST_FILE)));
        Map<String, PayloadReader.Payload> files = PayloadReader.read(dir, members, LAYOUT, verify);
        List<PayloadReader.Payload> train = new ArrayList<>();
        List<PayloadCheck> checks = new ArrayList<>();
        for (String f : TRAIN_FILES) {
            train.add(files.get(f));
        }
        for (PayloadReader.Payload p : files.values()) {
            checks.add(p.check());
        }
        int[] limits = {CLASSES.size()};
        ImageDataset trainSet = CifarReader.decode(NAME + "/train", train, limits, 0, recordsPerFile, CLASSES);
        train.clear();
        ImageDataset testSet = CifarReader.decode(NAME + "/test", List.of(files.get(TEST_FILE)), limits, 0,
                recordsPerFile, CLASSES);
        return new LoadedDataset(NAME, dir, trainSet, testSet, Augmentation.NONE, checks);
    }
}
