package io.anglearn.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, arXiv:1708.07747): 28×28 grey images of 10 clothing
 * classes, 60000 for training and 10000 for testing, in IDX files.
 *
 * <p>The files are checked against the SHA-256 of their decompressed content, so the official
 * {@code .gz} files, Debian's recompressed ones and plain decompressed copies are all accepted.
 */
public final class FashionMnist {

    /** The dataset's folder name. */
    public static final String NAME = "fashion-mnist";

    /** The class names in label order. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** How to get the files when they are not found. */
    public static final String HOW_TO_GET = "Run 'anglearn data fetch fashion-mnist', or put"
            + " train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and"
            + " t10k-labels-idx1-ubyte.gz (from https://github.com/zalandoresearch/fashion-mnist) in one of those"
            + " folders, pass --data-dir, or on Debian install the package dataset-fashion-mnist.";

    /** SHA-256 of the decompressed official files (the same for every faithful copy). */
    public static final Map<String, Checksum> CHECKSUMS = Map.of(
            IdxDataset.TRAIN_IMAGES, Checksum.sha256("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
            IdxDataset.TRAIN_LABELS, Checksum.sha256("bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
            IdxDataset.TEST_IMAGES, Checksum.sha256("5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
            IdxDataset.TEST_LABELS, Checksum.sha256("0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"));

    /**
     * The official compressed files, with the MD5s the authors publish. Downloaded from the
     * project's repository, which serves them over HTTPS.
     */
    public static final List<RemoteFile> DOWNLOADS = List.of(
            remote("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            remote("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
            remote("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
            remote("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"));

    private FashionMnist() {}

    /** Which half of the dataset. */
    public enum Split {
        /** The 60000 training images. */
        TRAIN,
        /** The 10000 test images. */
        TEST
    }

    /**
     * Finds the dataset's folder.
     *
     * @param locator the search order
     * @return the folder holding the four IDX files
     * @throws IOException if no folder holds them
     */
    public static Path locate(DatasetLocator locator) throws IOException {
        return locator.locate(NAME, IdxDataset::isComplete, dir -> PayloadReader.missing(dir, IdxDataset.FILES,
                IdxDataset.LAYOUT), HOW_TO_GET);
    }

    /**
     * Loads and verifies both splits from a folder.
     *
     * @param dir the folder
     * @param verify compare the files' digests with {@link #CHECKSUMS}
     * @return the splits (1×28×28 images), without augmentation
     * @throws IOException if a file is missing, malformed or not the official one
     */
    public static LoadedDataset load(Path dir, boolean verify) throws IOException {
        return IdxDataset.load(NAME, dir, CHECKSUMS, CLASSES, 28, verify);
    }

    /**
     * Loads one split from a folder, verifying both splits' files.
     *
     * @param dir the folder
     * @param split train or test
     * @return the images (1×28×28) and labels
     * @throws IOException if a file is missing, malformed or not the official one
     */
    public static ImageDataset load(Path dir, Split split) throws IOException {
        LoadedDataset d = load(dir, true);
        return split == Split.TRAIN ? d.train() : d.test();
    }

    private static RemoteFile remote(String file, String md5) {
        return new RemoteFile(URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"
                + file), file, Checksum.md5(md5), false);
    }
}
