package io.anglearn.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A dataset read and checked: its training and test splits, the augmentation its variant asks
 * for, what was read from disk, how the splits were formed and which files were left out.
 *
 * <p>The two splits hold images of one shape. They usually hold the same classes; a
 * {@code folder:} dataset whose {@code train/} and {@code test/} sub-folders name different
 * classes has splits of different classes (training on some classes, testing on others).
 *
 * @param name the dataset's name as requested, e.g. {@code cifar10+}
 * @param location the folder it was read from
 * @param train the training split
 * @param test the test split
 * @param augmentation the training-time augmentation ({@link Augmentation#NONE} for none)
 * @param checks the files read, with their sizes and digests
 * @param skipped the files left out because they could not be read, each with its reason (only
 *     {@link BadImagePolicy#SKIP} leaves files out)
 * @param layout how the splits were formed, for the reader (e.g. {@code train/ and test/ sub-folders}),
 *     or null when the dataset's own files say so
 */
public record LoadedDataset(String name, Path location, ImageDataset train, ImageDataset test,
        Augmentation augmentation, List<PayloadCheck> checks, List<String> skipped, String layout) {

    /** Validates that both splits describe the same kind of image. */
    public LoadedDataset {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(augmentation, "augmentation");
        checks = List.copyOf(checks);
        skipped = List.copyOf(skipped);
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()) {
            throw new IllegalArgumentException(name + ": train and test splits differ in image shape");
        }
    }

    /**
     * A dataset read in full from files that fix its splits.
     *
     * @param name the dataset's name as requested
     * @param location the folder it was read from
     * @param train the training split
     * @param test the test split
     * @param augmentation the training-time augmentation
     * @param checks the files read, with their sizes and digests
     */
    public LoadedDataset(String name, Path location, ImageDataset train, ImageDataset test,
            Augmentation augmentation, List<PayloadCheck> checks) {
        this(name, location, train, test, augmentation, checks, List.of(), null);
    }

    /** Returns whether both splits hold the same classes, in the same order. */
    public boolean sameClasses() {
        return train.classNames().equals(test.classNames());
    }

    /**
     * Returns a copy with another name and augmentation.
     *
     * @param newName the name
     * @param aug the augmentation
     * @return the copy
     */
    public LoadedDataset as(String newName, Augmentation aug) {
        return new LoadedDataset(newName, location, train, test, aug, checks, skipped, layout);
    }

    /**
     * Returns a copy with another augmentation.
     *
     * @param aug the augmentation
     * @return the copy
     */
    public LoadedDataset withAugmentation(Augmentation aug) {
        return as(name, aug);
    }
}
