package io.anglearn.data;

import io.anglearn.util.NameSuggestions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which dataset to load and how: a name ({@code fashion-mnist}, {@code cifar10}, {@code cifar100},
 * {@code idx:PATH} for any MNIST-style folder, {@code folder:PATH} for one sub-folder of images
 * per class), where a trailing {@code +} asks for the standard augmentation (SPEC §4), plus the
 * options that only some datasets use.
 */
public final class DatasetSpec {

    /** The kinds of dataset that can be loaded. */
    public enum Kind {
        /** Fashion-MNIST. */
        FASHION_MNIST,
        /** CIFAR-10 (binary version). */
        CIFAR10,
        /** CIFAR-100 (binary version). */
        CIFAR100,
        /** Any MNIST-style folder of IDX files. */
        IDX,
        /** A folder with one sub-folder of images (PNG, JPEG, BMP, GIF) per class. */
        FOLDER
    }

    /** The names of the known datasets, without the {@code +} that asks for augmentation. */
    public static final List<String> KNOWN = List.of("fashion-mnist", "cifar10", "cifar100");

    /** Every form of dataset name, as error messages list them. */
    public static final List<String> FORMS =
            List.of("fashion-mnist", "cifar10", "cifar10+", "cifar100", "cifar100+", "idx:PATH", "folder:PATH");

    private final String name;
    private final Kind kind;
    private final Path path;
    private final Augmentation augmentation;
    private final LabelKind labels;
    private final int imageSize;
    private final int channels;
    private final double testFraction;
    private final long splitSeed;
    private final BadImagePolicy badImages;
    private final boolean verify;

    private DatasetSpec(Builder b, Kind kind, Path path, Augmentation augmentation) {
        this.name = b.name;
        this.kind = kind;
        this.path = path;
        this.augmentation = augmentation;
        this.labels = b.labels;
        this.imageSize = b.imageSize;
        this.channels = b.channels;
        this.testFraction = b.testFraction;
        this.splitSeed = b.splitSeed;
        this.badImages = b.badImages;
        this.verify = b.verify;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the spec for a name with every option at its default.
     *
     * @param name e.g. {@code cifar10+}
     * @return the spec
     */
    public static DatasetSpec of(String name) {
        return builder().setName(name).build();
    }

    /** Returns the name as given, e.g. {@code cifar10+}. */
    public String name() {
        return name;
    }

    /** Returns the kind of dataset. */
    public Kind kind() {
        return kind;
    }

    /** Returns the folder of an {@code idx:} or {@code folder:} dataset, or null. */
    public Path path() {
        return path;
    }

    /** Returns the training-time augmentation. */
    public Augmentation augmentation() {
        return augmentation;
    }

    /** Returns CIFAR-100's label kind. */
    public LabelKind labels() {
        return labels;
    }

    /** Returns the side images of a {@code folder:} dataset are resized to. */
    public int imageSize() {
        return imageSize;
    }

    /** Returns the channels of a {@code folder:} dataset. */
    public int channels() {
        return channels;
    }

    /** Returns the share of each class a {@code folder:} dataset holds out for testing. */
    public double testFraction() {
        return testFraction;
    }

    /** Returns the seed of a {@code folder:} dataset's train/test split. */
    public long splitSeed() {
        return splitSeed;
    }

    /** Returns what a {@code folder:} dataset does with images that cannot be decoded. */
    public BadImagePolicy badImages() {
        return badImages;
    }

    /** Returns whether the files of known datasets are checked against their published checksums. */
    public boolean verify() {
        return verify;
    }

    @Override
    public String toString() {
        return name;
    }

    /** The error for a dataset name that is none of {@link #FORMS}, with the closest known names. */
    private static IllegalArgumentException unknownName(String name, String withoutPlus, boolean plus) {
        List<String> near = new ArrayList<>();
        for (String s : NameSuggestions.closest(withoutPlus, KNOWN)) {
            near.add(plus ? s + "+" : s);
        }
        String lower = withoutPlus.toLowerCase(Locale.ROOT);
        for (String prefix : List.of("idx", "folder")) {
            // "folder/data" or "idx=data": the colon is missing.
            if (lower.startsWith(prefix) && lower.length() > prefix.length() + 1
                    && !Character.isLetterOrDigit(lower.charAt(prefix.length()))) {
                near.add(prefix + ":" + withoutPlus.substring(prefix.length() + 1));
            }
        }
        return new IllegalArgumentException("unknown --dataset '" + name + "': " + NameSuggestions.hint(near, FORMS));
    }

    /** Builds a {@link DatasetSpec}; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private String name;
        private Boolean augment;
        private LabelKind labels = LabelKind.FINE;
        private int imageSize = 32;
        private int channels = 3;
        private double testFraction = 0.2;
        private long splitSeed;
        private BadImagePolicy badImages = BadImagePolicy.STOP;
        private boolean verify = true;

        /** Sets the dataset name (required): fashion-mnist, cifar10, cifar100, idx:PATH or folder:PATH, optionally with a trailing +. */
        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        /** Turns the standard augmentation on or off, overriding the name's {@code +} (default: from the name). */
        public Builder optAugment(Boolean augment) {
            this.augment = augment;
            return this;
        }

        /** Sets CIFAR-100's labels (default {@link LabelKind#FINE}). */
        public Builder optLabels(LabelKind labels) {
            this.labels = labels;
            return this;
        }

        /** Sets the side {@code folder:} images are resized to (default 32). */
        public Builder optImageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /** Sets the channels of {@code folder:} images, 1 or 3 (default 3). */
        public Builder optChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** Sets the share of each class held out for testing in a {@code folder:} dataset (default 0.2). */
        public Builder optTestFraction(double testFraction) {
            this.testFraction = testFraction;
            return this;
        }

        /** Sets the seed of a {@code folder:} dataset's split (default 0). */
        public Builder optSplitSeed(long splitSeed) {
            this.splitSeed = splitSeed;
            return this;
        }

        /** Sets what a {@code folder:} dataset does with undecodable images (default {@link BadImagePolicy#STOP}). */
        public Builder optBadImages(BadImagePolicy badImages) {
            this.badImages = badImages;
            return this;
        }

        /** Checks known datasets against their published checksums (default true). */
        public Builder optVerify(boolean verify) {
            this.verify = verify;
            return this;
        }

        /** Validates and builds. */
        public DatasetSpec build() {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("--dataset is required: fashion-mnist, cifar10, cifar10+, cifar100,"
                        + " cifar100+, idx:PATH or folder:PATH");
            }
            if (labels == null) {
                throw new IllegalArgumentException("--label must be fine or coarse");
            }
            if (badImages == null) {
                throw new IllegalArgumentException("--bad-images must be stop or skip");
            }
            String rest = name.trim();
            boolean plus = rest.endsWith("+");
            if (plus) {
                rest = rest.substring(0, rest.length() - 1);
            }
            Kind kind;
            Path path = null;
            String lower = rest.toLowerCase(Locale.ROOT);
            if (lower.startsWith("idx:") || lower.startsWith("folder:")) {
                kind = lower.startsWith("idx:") ? Kind.IDX : Kind.FOLDER;
                String p = rest.substring(rest.indexOf(':') + 1);
                if (p.isBlank()) {
                    throw new IllegalArgumentException("--dataset " + name + ": expected a folder after '"
                            + rest.substring(0, rest.indexOf(':') + 1) + "'");
                }
                path = Path.of(p);
            } else {
                switch (lower) {
                    case "fashion-mnist", "fashionmnist" -> kind = Kind.FASHION_MNIST;
                    case "cifar10", "cifar-10" -> kind = Kind.CIFAR10;
                    case "cifar100", "cifar-100" -> kind = Kind.CIFAR100;
                    default -> throw unknownName(name, rest, plus);
                }
            }
            if (labels == LabelKind.COARSE && kind != Kind.CIFAR100) {
                throw new IllegalArgumentException("--label coarse applies only to cifar100, not to " + name);
            }
            if (kind == Kind.FOLDER) {
                ImageFolder.builder().setRoot(path).optImageSize(imageSize).optChannels(channels)
                        .optTestFraction(testFraction).build();
            }
            boolean on = augment != null ? augment : plus;
            return new DatasetSpec(this, kind, path, on ? Augmentation.STANDARD : Augmentation.NONE);
        }
    }
}
