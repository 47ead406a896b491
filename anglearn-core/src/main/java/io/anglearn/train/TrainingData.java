package io.anglearn.train;

import io.anglearn.data.Augmentation;
import io.anglearn.data.DatasetLocator;
import io.anglearn.data.Datasets;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.LoadedDataset;
import io.anglearn.util.NameSuggestions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The training and test splits a run uses, after the subset limits, with the training-time
 * augmentation the dataset's variant asks for and where the data was found.
 *
 * @param train the training split
 * @param test the test split
 * @param augmentation the training augmentation ({@link Augmentation#NONE} for none)
 * @param location the folder the data was read from, or null for data supplied in memory
 */
public record TrainingData(ImageDataset train, ImageDataset test, Augmentation augmentation, Path location) {

    /** The split names {@link #split} accepts. */
    public static final List<String> SPLITS = List.of("train", "test");

    /** Checks that the splits agree on image shape and classes. */
    public TrainingData {
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()
                || !train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("train split " + train.name() + " and test split " + test.name()
                    + " differ in image shape or classes");
        }
        java.util.Objects.requireNonNull(augmentation, "augmentation");
    }

    /**
     * Splits held in memory, without augmentation.
     *
     * @param train the training split
     * @param test the test split
     */
    public TrainingData(ImageDataset train, ImageDataset test) {
        this(train, test, Augmentation.NONE, null);
    }

    /**
     * Finds and loads the dataset a configuration names ({@link Datasets#load}), and applies its limits.
     *
     * @param config the configuration
     * @return the splits
     * @throws IOException if the dataset is missing or malformed
     */
    public static TrainingData load(TrainingConfig config) throws IOException {
        LoadedDataset d = Datasets.load(config.datasetSpec(),
                new DatasetLocator(config.dataDir == null ? null : Path.of(config.dataDir)));
        return new TrainingData(config.limitTrain > 0 ? d.train().limit(config.limitTrain) : d.train(),
                config.limitTest > 0 ? d.test().limit(config.limitTest) : d.test(), d.augmentation(), d.location());
    }
    /**
     * Returns a split by name.
     *
     * @param split {@code train} or {@code test}
     * @return the split
     */
    public ImageDataset split(String split) {
        return switch (split.toLowerCase(Locale.ROOT)) {
            case "train" -> train;
            case "test" -> test;
            default -> throw NameSuggestions.unknown("--split", split, SPLITS);
        };
    }

    /**
     * Returns the SHA-256 of a dataset's content as loaded (shape, labels, pixels), so a run's
     * configuration records exactly which images it saw.
     *
     * @param data the dataset
     * @return 64 hex digits
     */
    public static String checksum(ImageDataset data) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
        ByteBuffer header = ByteBuffer.allocate(16).putInt(data.size()).putInt(data.channels()).putInt(data.height())
                .putInt(data.width());
        md.update(header.array());
        ByteBuffer labels = ByteBuffer.allocate(4 * data.size());
        byte[] image = new byte[data.imageSize()];
        for (int i = 0; i < data.size(); i++) {
            labels.putInt(data.label(i));
            data.copyImage(i, image, 0);
            md.update(image);
        }
        md.update(labels.array());
        return HexFormat.of().formatHex(md.digest());
    }
}
