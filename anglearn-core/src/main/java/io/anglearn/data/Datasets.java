package io.anglearn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Loads any supported dataset from a {@link DatasetSpec}: the one entry point training uses. */
public final class Datasets {

    private Datasets() {}

    /**
     * Finds, reads and checks a dataset.
     *
     * @param spec what to load
     * @param locator where known datasets are searched for ({@code idx:} and {@code folder:} give their own path)
     * @return the splits and the augmentation the spec asks for
     * @throws IOException if the dataset is not found or a file is malformed; the message says which and why
     */
    public static LoadedDataset load(DatasetSpec spec, DatasetLocator locator) throws IOException {
        Path dir = locate(spec, locator);
        LoadedDataset d = switch (spec.kind()) {
            case FASHION_MNIST -> FashionMnist.load(dir, spec.verify());
            case CIFAR10 -> Cifar10.load(dir, spec.verify());
            case CIFAR100 -> Cifar100.load(dir, spec.labels(), spec.verify());
            case IDX -> IdxDataset.load(spec.name(), dir);
            case FOLDER -> ImageFolder.builder().setRoot(dir).optImageSize(spec.imageSize())
                    .optChannels(spec.channels()).optTestFraction(spec.testFraction())
                    .optSplitSeed(spec.splitSeed()).optBadImages(spec.badImages()).build().load(spec.name());
        };
        return d.as(spec.name(), spec.augmentation());
    }

    /**
     * Finds a dataset's folder without reading it.
     *
     * @param spec the dataset
     * @param locator the search order for known datasets
     * @return the folder
     * @throws IOException if it is not found
     */
    public static Path locate(DatasetSpec spec, DatasetLocator locator) throws IOException {
        return switch (spec.kind()) {
            case FASHION_MNIST -> FashionMnist.locate(locator);
            case CIFAR10 -> Cifar10.locate(locator);
            case CIFAR100 -> Cifar100.locate(locator);
            case IDX -> {
                if (!Files.isDirectory(spec.path()) || !IdxDataset.isComplete(spec.path())) {
                    throw new DatasetFormatException(spec.path(), "expected a folder with " + IdxDataset.FILES
                            + " (each plain or .gz)");
                }
                yield spec.path();
            }
            case FOLDER -> spec.path();
        };
    }

    /**
     * Returns the folder name a known dataset is stored under ({@code fashion-mnist}, {@code cifar-10},
     * {@code cifar-100}).
     *
     * @param kind a known dataset
     * @return the folder name
     */
    public static String folderName(DatasetSpec.Kind kind) {
        return switch (kind) {
            case FASHION_MNIST -> FashionMnist.NAME;
            case CIFAR10 -> Cifar10.NAME;
            case CIFAR100 -> Cifar100.NAME;
            default -> throw new IllegalArgumentException(kind + " has no official download");
        };
    }

    /**
     * Returns the official files of a known dataset.
     *
     * @param kind a known dataset
     * @return the files to download
     */
    public static List<RemoteFile> downloads(DatasetSpec.Kind kind) {
        return switch (kind) {
            case FASHION_MNIST -> FashionMnist.DOWNLOADS;
            case CIFAR10 -> Cifar10.DOWNLOADS;
            case CIFAR100 -> Cifar100.DOWNLOADS;
            default -> throw new IllegalArgumentException("only fashion-mnist, cifar10 and cifar100 can be downloaded;"
                    + " " + kind.name().toLowerCase(java.util.Locale.ROOT) + " datasets are the user's own files");
        };
    }
}
