package io.anglearn.train;

import io.anglearn.data.Augmentation;
import io.anglearn.data.ClassSubset;
import io.anglearn.data.DatasetLocator;
import io.anglearn.data.Datasets;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.LoadedDataset;
import io.anglearn.util.NameSuggestions;
import io.anglearn.util.Digests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;

/**
 * The training and test splits a run uses, after the class subsets and the subset limits, with the
 * training-time augmentation the dataset's variant asks for, where the data was found, how its
 * splits were formed and which of its files were left out.
 *
 * <p>Usually both splits hold the same classes, and the network trained on the one classifies the
 * other. With {@code sameClasses} false the test split holds other classes (classes never seen in
 * training, say): its labels only group its images, and a run evaluates it by retrieval.
 *
 * @param train the training split
 * @param test the test split
 * @param augmentation the training augmentation ({@link Augmentation#NONE} for none)
 * @param location the folder the data was read from, or null for data supplied in memory
 * @param sameClasses whether the test split's labels are the training classes
 * @param layout how the splits were formed, for the reader, or null when the dataset's files fix them
 * @param skipped files left out because they could not be read, each with its reason
 * @param trainAvailable images the training split had before the limit ({@link TrainingConfig#limitTrain}) took
 *     its first ones; its size when no limit applied
 * @param testAvailable the same for the test split
 */
public record TrainingData(ImageDataset train, ImageDataset test, Augmentation augmentation, Path location,
        boolean sameClasses, String layout, List<String> skipped, int trainAvailable, int testAvailable) {

    /** The split names {@link #split} accepts. */
    public static final List<String> SPLITS = List.of("train", "test");

    /** Checks that the splits agree on image shape, and on classes unless they need not. */
    public TrainingData {
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()
                || (sameClasses && !train.classNames().equals(test.classNames()))) {
            throw new IllegalArgumentException("train split " + train.name() + " and test split " + test.name()
                    + " differ in image shape or classes");
        }
        java.util.Objects.requireNonNull(augmentation, "augmentation");
        skipped = List.copyOf(skipped);
        if (trainAvailable < train.size() || testAvailable < test.size()) {
            throw new IllegalArgumentException("a split cannot have had fewer images before its limit than after: "
                    + trainAvailable + " < " + train.size() + " or " + testAvailable + " < " + test.size());
        }
    }

    /**
     * Splits read in full, without a limit.
     *
     * @param train the training split
     * @param test the test split
     * @param augmentation the training augmentation ({@link Augmentation#NONE} for none)
     * @param location the folder the data was read from, or null for data supplied in memory
     * @param sameClasses whether the test split's labels are the training classes
     * @param layout how the splits were formed, or null when the dataset's files fix them
     * @param skipped files left out because they could not be read, each with its reason
     */
    public TrainingData(ImageDataset train, ImageDataset test, Augmentation augmentation, Path location,
            boolean sameClasses, String layout, List<String> skipped) {
        this(train, test, augmentation, location, sameClasses, layout, skipped, train.size(), test.size());
    }

    /**
     * Splits that may be of different classes, read in full.
     *
     * @param train the training split
     * @param test the test split
     * @param augmentation the training augmentation
     * @param location the folder the data was read from, or null
     * @param sameClasses whether the test split's labels are the training classes
     */
    public TrainingData(ImageDataset train, ImageDataset test, Augmentation augmentation, Path location,
            boolean sameClasses) {
        this(train, test, augmentation, location, sameClasses, null, List.of());
    }

    /**
     * Splits of the same classes.
     *
     * @param train the training split
     * @param test the test split
     * @param augmentation the training augmentation
     * @param location the folder the data was read from, or null
     */
    public TrainingData(ImageDataset train, ImageDataset test, Augmentation augmentation, Path location) {
        this(train, test, augmentation, location, true);
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
     * Finds and loads the dataset a configuration names ({@link Datasets#load}), applies its
     * class subsets ({@link TrainingConfig#trainClasses}, {@link TrainingConfig#testClasses}) or
     * divides it by class ({@link TrainingConfig#splitClasses}), and then applies its limits.
     *
     * <p>When the dataset's own splits hold different classes (a {@code folder:} dataset whose
     * {@code test/} names other classes than its {@code train/}), {@code --test-classes} picks
     * among the test split's classes, and by default all of them are used.
     *
     * @param config the configuration
     * @return the splits
     * @throws IOException if the dataset is missing or malformed
     * @throws IllegalArgumentException if a class subset names a class the dataset does not have
     */
    public static TrainingData load(TrainingConfig config) throws IOException {
        LoadedDataset d = Datasets.load(config.datasetSpec(),
                new DatasetLocator(config.dataDir == null ? null : Path.of(config.dataDir)));
        ImageDataset train;
        ImageDataset test;
        String layout = d.layout();
        if (config.splitClasses) {
            if (!d.sameClasses()) {
                throw new IllegalArgumentException("--split-classes: " + d.location() + " already has different classes"
                        + " in its train/ and test/ sub-folders, so it is divided by class as it is; drop --split-classes");
            }
            // Pooled under a name of its own, so that neither split is named after the other's source.
            ImageDataset all = ImageDataset.concat(d.name() + "/all", d.train(), d.test());
            int c = all.numClasses();
            ClassSubset trainClasses = config.trainClassSubset();
            ClassSubset testClasses = config.testClassSubset();
            if (trainClasses == null && testClasses == null) {
                int held = (int) Math.max(2, Math.round(config.testFraction * c));
                if (c - held < 2) {
                    throw new IllegalArgumentException("--split-classes: " + d.name() + " has " + c + " classes; holding"
                            + " out " + held + " for testing leaves fewer than 2 to train on (it needs at least 4"
                            + " classes, or a lower --test-fraction)");
                }
                int[] last = new int[held];
                for (int i = 0; i < held; i++) {
                    last[i] = c - held + i;
                }
                testClasses = ClassSubset.of("--test-classes", last);
                trainClasses = testClasses.complement("--train-classes", c);
            } else if (testClasses == null) {
                testClasses = trainClasses.complement("--test-classes", c);
            } else if (trainClasses == null) {
                trainClasses = testClasses.complement("--train-classes", c);
            }
            for (ClassSubset s : List.of(trainClasses, testClasses)) {
                if (s.size() < 2) {
                    throw new IllegalArgumentException("--split-classes: " + s.option() + " would be '" + s + "' of the "
                            + c + " classes of " + d.name() + "; each split needs at least 2 classes");
                }
            }
            train = trainClasses.apply(all);
            test = testClasses.apply(all);
            layout = String.format(Locale.ROOT, "divided by class: every image of classes %s for training, of classes %s"
                    + " for testing", trainClasses, testClasses);
        } else {
            ClassSubset trainClasses = config.trainClassSubset();
            ClassSubset testClasses = config.testClasses != null ? config.testClassSubset()
                    : d.sameClasses() ? trainClasses : null;
            train = trainClasses == null ? d.train() : trainClasses.apply(d.train());
            test = testClasses == null ? d.test() : testClasses.apply(d.test());
        }
        int trainAvailable = train.size();
        int testAvailable = test.size();
        train = config.limitTrain > 0 ? train.limit(config.limitTrain) : train;
        test = config.limitTest > 0 ? test.limit(config.limitTest) : test;
        return new TrainingData(train, test, d.augmentation(), d.location(),
                train.classNames().equals(test.classNames()), layout, d.skipped(), trainAvailable, testAvailable);
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
        MessageDigest md = Digests.sha256();
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
        return Digests.hex(md.digest());
    }
}
