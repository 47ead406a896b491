package io.anglearn.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A dataset read and checked: its training and test splits, the augmentation its variant asks
 * for, and what was read from disk.
 *
 * @param name the dataset's name as requested, e.g. {@code cifar10+}
 * @param location the folder it was read from
 * @param train the training split
 * @param test the test split
 * @param augmentation the training-time augmentation ({@link Augmentation#NONE} for none)
 * @param checks the files read, with their sizes and digests
 */
public record LoadedDataset(String name, Path location, ImageDataset train, ImageDataset test,
        Augmentation augmentation, List<PayloadCheck> checks) {

    /** Validates that both splits describe the same kind of image. */
    public LoadedDataset {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(augmentation, "augmentation");
        checks = List.copyOf(checks);
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()
                || !train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException(name + ": train and test splits differ in image shape or classes");
        }
    }

    /**
     * Returns a copy with another augmentation.
     *
     * @param aug the augmentation
     * @return the copy
     */
    public LoadedDataset withAugmentation(Augmentation aug) {
        return new LoadedDataset(name, location, train, test, aug, checks);
    }
}
