package io.anglearn.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.anglearn.data.ClassSubset;
import io.anglearn.data.LabelKind;
import io.anglearn.data.MPerClassSampler;
import io.anglearn.loss.Losses;
import io.anglearn.loss.miners.Miner;
import io.anglearn.loss.miners.Miners;
import io.anglearn.model.Architectures;
import io.anglearn.model.TorchScriptBackbone;
import io.anglearn.util.NameSuggestions;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that determines a training run. Serialised as the {@code config} object of the run's
 * {@code config.json}; a run is reproducible from it alone ({@code anglearn train --config}).
 * Fields are public for JSON binding; {@link #validate()} checks them. Each field's initial
 * value is its default; its option, help and checks are its {@link Setting} in
 * {@link TrainingSettings}.
 */
public final class TrainingConfig {

    /** The optimisers {@link #optimizer} accepts. */
    public static final List<String> OPTIMIZERS = List.of("adam", "sgd");
    /** The schedules {@link #schedule} accepts. */
    public static final List<String> SCHEDULES = List.of("one-cycle", "cosine", "step", "constant");

    /** The largest {@link #batchSize}: more than any of the built-in datasets' training splits. */
    public static final int MAX_BATCH_SIZE = 65_536;
    /** The largest {@link #embeddingDim}. */
    public static final int MAX_EMBEDDING_DIM = 65_536;

    /** The names of the settings, as a configuration file spells them: the public fields. */
    public static final List<String> SETTINGS = Arrays.stream(TrainingConfig.class.getFields())
            .filter(f -> !Modifier.isStatic(f.getModifiers())).map(Field::getName).toList();

    /** Largest configuration file read (1 MiB; a real one is about 2 KB). */
    public static final long MAX_FILE_BYTES = 1 << 20;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /**
     * Dataset: {@code fashion-mnist} (default), {@code cifar10}, {@code cifar100}, {@code idx:PATH} or
     * {@code folder:PATH}; a trailing {@code +} turns on the standard augmentation.
     */
    public String dataset = "fashion-mnist";
    /** CIFAR-100 labels: {@code fine} (100 classes, default) or {@code coarse} (20). */
    public String labels = "fine";
    /** Standard augmentation on or off, overriding the dataset name's {@code +}; null (default) = from the name. */
    public Boolean augment;
    /** Side that {@code folder:} images are resized to (default 32). */
    public int imageSize = 32;
    /** Channels of {@code folder:} images: 1 (grey) or 3 (RGB, default). */
    public int imageChannels = 3;
    /**
     * Share of each class held out for testing in a {@code folder:} dataset without train/test
     * sub-folders, in (0, 1) (default 0.2); with {@link #splitClasses}, the share of the classes
     * held out instead.
     */
    public double testFraction = 0.2;
    /**
     * What a {@code folder:} dataset does with image files that cannot be decoded: {@code stop}
     * with every such file listed (default) or {@code skip} them, recording them in the run.
     */
    public String badImages = "stop";
    /** Threads assembling training batches in the background (default 1). */
    public int dataWorkers = 1;
    /** Folder to look for the dataset in first, or null for the standard search order. */
    public String dataDir;
    /** Use only the first N training images (0 = all, the default). */
    public int limitTrain;
    /** Use only the first N test images (0 = all, the default). */
    public int limitTest;
    /**
     * Train on these classes only, e.g. {@code 0-4} or {@code 0,2,7-9}, relabelled 0..P−1 in
     * ascending order; null (default) = all. Applied before {@link #limitTrain}.
     */
    public String trainClasses;
    /**
     * Evaluate on these classes only (needs {@link #trainClasses}); null (default) = the training
     * classes. When they differ from the training classes, the test split is of other classes than
     * the network classifies: evaluation reports C-Inter and the retrieval metrics, and marks the
     * errors, W-Inter and WC-Intra not applicable. Applied before {@link #limitTest}.
     */
    public String testClasses;
    /**
     * Divide the dataset by class instead of by image (default false): both splits are pooled,
     * the training split gets every image of the training classes and the test split every image
     * of the test classes, which are never seen in training (the metric-learning protocol). The
     * classes are {@link #trainClasses} and {@link #testClasses} when given (disjoint; either one
     * alone means the other is every remaining class), else the last
     * {@code max(2, round(testFraction × C))} classes are the test classes.
     */
    public boolean splitClasses;
    /** Backbone architecture (default {@code resnet20}); not used when {@link #backbone} is given. */
    public String arch = "resnet20";
    /**
     * A backbone of the user's instead of {@link #arch}: {@code torchscript:PATH}, a TorchScript
     * module file ({@link io.anglearn.model.TorchScriptBackbone}); null (default) = {@link #arch}.
     */
    public String backbone;
    /**
     * Epochs, from the first, during which the backbone is frozen and only the projection and the
     * head train (default 0: the whole network trains from the start); at most {@link #epochs}.
     */
    public int freezeBackboneEpochs;
    /**
     * The residual shortcut where a block changes shape, {@code A} (zero-padding) or {@code B}
     * (projection); null (default) = the architecture's own, A for the three-stage networks and B
     * for ResNet18/34.
     */
    public String shortcut;
    /** Initial convolution weights: {@code he-normal} (default) or {@code pytorch}. */
    public String convInit = "he-normal";
    /** Initial class weights: {@code he-normal} (default) or {@code normal-0.01}. */
    public String classInit = "he-normal";
    /**
     * Where Adam adds ε: to the square root of the {@code uncorrected} second moment (default) or
     * of the bias-{@code corrected} one, as PyTorch's {@code torch.optim.Adam}.
     */
    public String adamEpsilon = "uncorrected";
    /** Train on each epoch's last, smaller batch too (default false: it is dropped). */
    public boolean keepLastBatch;
    /** Projection to d dimensions after the backbone (0 = none, the default). */
    public int embeddingDim;
    /** Loss name (default {@code arc}). */
    public String loss = "arc";
    /** Loss parameters by name, e.g. {@code k=4} (default: none, each loss's own defaults). */
    public Map<String, Double> lossParams = new LinkedHashMap<>();
    /**
     * Miner of a pair loss: {@code batch-hard}, {@code semi-hard} or {@code multi-similarity};
     * null (default) = every pair or triplet of a batch.
     */
    public String miner;
    /** Miner parameters by name, e.g. {@code margin=0.2} (default: none, the miner's own defaults). */
    public Map<String, Double> minerParams = new LinkedHashMap<>();
    /** Optimiser: {@code adam} (the paper's, default) or {@code sgd}. */
    public String optimizer = "adam";
    /** L2 weight decay added to the gradient (default 5e-4, the paper's). */
    public double weightDecay = 5e-4;
    /** Momentum (SGD) or β1 (Adam) for schedules other than one-cycle (default 0.9). */
    public double momentum = Schedule.DEFAULT_MOMENTUM;
    /** Nesterov momentum for SGD (default false). */
    public boolean nesterov;
    /** Peak (one-cycle, cosine) or initial (step, constant) learning rate (default 3e-3). */
    public double learningRate = 3e-3;
    /** Learning-rate schedule: one-cycle (default), cosine, step or constant. */
    public String schedule = "one-cycle";
    /** One-cycle: fraction of the steps spent warming up (default 0.3). */
    public double warmupFraction = 0.3;
    /** One-cycle: momentum/β1 at the start and end (default 0.95). */
    public double maxMomentum = 0.95;
    /** One-cycle: momentum/β1 at the peak rate (default 0.85). */
    public double minMomentum = 0.85;
    /** Step schedule: epochs between decays (0 = a third of the epochs, the default). */
    public int stepEpochs;
    /** Step schedule: factor at each decay (default 0.1). */
    public double stepGamma = 0.1;
    /** Epochs (default 10). */
    public int epochs = 10;
    /**
     * Epochs after which the learning-rate schedule starts again, ascending (default: none). A
     * finished run extended with more epochs ({@code train --resume DIR --epochs N}) adds the
     * epochs it had trained, and the schedule runs afresh over the added epochs
     * ({@link TrainingComponents#buildSchedule}).
     */
    public List<Integer> scheduleRestarts = new ArrayList<>();
    /** Mini-batch size (default 256). */
    public int batchSize = 256;
    /**
     * Order of the training images: {@code shuffle} (default), a permutation per epoch, or
     * {@code m-per-class:M}, batches of M images of each of batchSize/M classes ({@link MPerClassSampler}).
     */
    public String sampler = "shuffle";
    /** Random seed for initialisation and data order (default 42). */
    public long seed = 42;
    /** Device or comma-separated devices: {@code cpu} (default), {@code gpu}, {@code gpu:N}, {@code gpu:0,gpu:1}. */
    public String device = "cpu";
    /** Evaluate on the test split every N epochs; the last epoch always (default 1). */
    public int evalEvery = 1;
    /** Also checkpoint every N optimiser steps (0 = only at the end of each epoch, the default). */
    public int checkpointEvery;
    /** How many of the newest checkpoints to keep besides the best (default 3). */
    public int keepCheckpoints = 3;
    /**
     * Record TensorBoard event files and the figure data (angle statistics by iteration, target
     * angles per epoch, the final test embedding) in the run directory (default true).
     */
    public boolean tensorBoard = true;
    /**
     * Iterations between angle statistics (W-Inter, C-Inter, WC-Intra) measured on a fixed probe
     * set of test images, the paper's Figure 5 (default 200; 0 = off).
     */
    public int angleInterval = 200;
    /** Target angles θ_y sampled per class after each evaluation, the paper's Figure 7 (default 200). */
    public int targetAngleSamples = 200;
    /**
     * What a NaN or infinite loss or gradient does: {@code stop} the run with a diagnosis (default)
     * or {@code skip} the batch and count it ({@link NonFinitePolicy}).
     */
    public String onNonFinite = "stop";
    /** The preset that filled in the values, if any (recorded for the reader; already applied). */
    public String preset;
    /** Run name; the run directory is {@code runsDir/name} (default: dataset-loss-time). */
    public String name;
    /** Parent folder of run directories (default {@code runs}). */
    public String runsDir = "runs";

    /**
     * Checks every field, naming the option at fault: first each setting's own checks, in the
     * order of {@link TrainingSettings#ALL}, then the relations between settings.
     *
     * @throws IllegalArgumentException on the first invalid value
     */
    public void validate() {
        for (Setting<?> s : TrainingSettings.ALL) {
            s.check(this);
        }
        // The relations between settings, each checked once the settings it reads are valid.
        datasetSpec();
        require(freezeBackboneEpochs >= 0 && freezeBackboneEpochs <= epochs, "--freeze-backbone-epochs must be in 0.."
                + epochs + " (the epochs), got " + freezeBackboneEpochs);
        require(miner != null || minerParams.isEmpty(), "--miner-param needs a --miner");
        require(!keepLastBatch || MPerClassSampler.parse(sampler) == 0, "--keep-last-batch needs --sampler shuffle: a"
                + " class-balanced batch is always full");
        require(backbone == null || shortcut == null && "he-normal".equals(convInit), "--shortcut and --conv-init shape"
                + " the --arch networks; a TorchScript --backbone keeps its own structure and weights");
        // Checks the names, the parameters' names and their values, and that a miner has a pair loss.
        Losses.create(loss, lossParams, buildMiner());
        int m = MPerClassSampler.parse(sampler);
        require(m == 0 || batchSize % m == 0, "--sampler " + sampler + " needs a --batch-size that is a multiple of "
                + m + ", got " + batchSize);
        require(trainClasses != null || testClasses == null || splitClasses, "--test-classes needs --train-classes"
                + " (the classes the network is trained on), or --split-classes (then the others are trained on)");
        if (splitClasses && trainClasses != null && testClasses != null) {
            java.util.Set<Integer> train = new java.util.HashSet<>();
            Arrays.stream(trainClassSubset().classes()).forEach(train::add);
            for (int c : testClassSubset().classes()) {
                require(!train.contains(c), "--split-classes needs --train-classes and --test-classes without a class"
                        + " in common (every image of a class goes to one split), but class " + c + " is in both");
            }
        }
        require(maxMomentum >= minMomentum && minMomentum >= 0 && maxMomentum < 1,
                "--max-momentum and --min-momentum must satisfy 0 <= min <= max < 1, got " + minMomentum + ", " + maxMomentum);
        for (int i = 0; i < scheduleRestarts.size(); i++) {
            Integer e = scheduleRestarts.get(i);
            require(e != null && e > 0 && e < epochs && (i == 0 || e > scheduleRestarts.get(i - 1)),
                    "scheduleRestarts must be ascending epochs between 1 and --epochs - 1 (" + (epochs - 1) + "), got "
                            + scheduleRestarts);
        }
    }

    /**
     * Returns the dataset request these fields describe (checked when built).
     *
     * @return the spec
     */
    public io.anglearn.data.DatasetSpec datasetSpec() {
        return io.anglearn.data.DatasetSpec.builder().setName(dataset).optAugment(augment)
                .optLabels(LabelKind.parse(labels))
                .optImageSize(imageSize).optChannels(imageChannels)
                // Divided by class, a flat folder is read whole: its classes are split, not its images.
                .optTestFraction(splitClasses ? 0 : testFraction)
                .optBadImages(io.anglearn.data.BadImagePolicy.parse(badImages)).optSplitSeed(seed).build();
    }

    /**
     * Spells every name the way the lists of valid names do ({@code --loss ArcFace} is stored as
     * {@code arcface}), so that {@code config.json} and run names do not depend on how a name was
     * typed. Call after {@link #validate()}; the names must be valid.
     */
    public void canonicalize() {
        loss = NameSuggestions.resolve("--loss", loss, Losses.NAMES);
        if (miner != null) {
            miner = NameSuggestions.resolve("--miner", miner, Miners.NAMES);
        }
        arch = NameSuggestions.resolve("--arch", arch, Architectures.NAMES);
        if (shortcut != null) {
            shortcut = shortcut.trim().toUpperCase(java.util.Locale.ROOT);
        }
        convInit = NameSuggestions.resolve("--conv-init", convInit, Architectures.INITS);
        classInit = NameSuggestions.resolve("--class-init", classInit, TrainingComponents.CLASS_INITS);
        adamEpsilon = NameSuggestions.resolve("--adam-epsilon", adamEpsilon, AdamOptimizer.EPSILON_FORMS);
        optimizer = NameSuggestions.resolve("--optimizer", optimizer, OPTIMIZERS);
        schedule = NameSuggestions.resolve("--schedule", schedule, SCHEDULES);
        labels = LabelKind.parse(labels).name().toLowerCase(java.util.Locale.ROOT);
        onNonFinite = NonFinitePolicy.parse(onNonFinite).toString();
        badImages = io.anglearn.data.BadImagePolicy.parse(badImages).toString();
        sampler = sampler.trim().toLowerCase(java.util.Locale.ROOT);
        device = device.trim().toLowerCase(java.util.Locale.ROOT);
        String d = dataset.trim();
        int colon = d.indexOf(':');
        String lower = d.toLowerCase(java.util.Locale.ROOT);
        dataset = lower.startsWith("idx:") || lower.startsWith("folder:")
                ? lower.substring(0, colon) + d.substring(colon) : lower;
    }

    /**
     * Returns the TorchScript module file of {@link #backbone}.
     *
     * @return the file, or null when the backbone is {@link #arch}
     */
    public Path backboneFile() {
        return backbone == null ? null : Path.of(backbone.substring(TorchScriptBackbone.PREFIX.length()));
    }

    /**
     * Returns what the backbone is, for logs: {@link #backbone} when given, else {@link #arch}.
     *
     * @return the description
     */
    public String describeBackbone() {
        return backbone != null ? backbone : arch;
    }

    /**
     * Returns the miner this configuration names.
     *
     * @return the miner, or null for none
     */
    public Miner buildMiner() {
        return miner == null ? null : Miners.create(miner, minerParams);
    }

    /**
     * Returns the classes to train on.
     *
     * @return the set, or null for all
     */
    public ClassSubset trainClassSubset() {
        return trainClasses == null ? null : ClassSubset.parse("--train-classes", trainClasses);
    }

    /**
     * Returns the classes to evaluate on.
     *
     * @return the set, or null for the training classes
     */
    public ClassSubset testClassSubset() {
        return testClasses == null ? null : ClassSubset.parse("--test-classes", testClasses);
    }

    /**
     * Returns whether the test split holds the classes the network is trained on, as far as the
     * settings tell (no {@link #testClasses}, or the same set as {@link #trainClasses}, and no
     * {@link #splitClasses}); a {@code folder:} dataset whose test sub-folder holds other classes
     * is known only once it is read ({@link TrainingData#sameClasses()}).
     *
     * @return true when the test classes are the training classes
     */
    public boolean testsTrainingClasses() {
        return !splitClasses && (testClasses == null || testClassSubset().equals(trainClassSubset()));
    }

    /**
     * Returns whether evaluation measures retrieval instead of classification: the loss is a pair
     * loss (no class weights), or the test classes are not the training classes.
     *
     * @return true when the errors, W-Inter and WC-Intra do not apply
     */
    public boolean evaluatesByRetrieval() {
        return Losses.isPairLoss(loss) || !testsTrainingClasses();
    }

    /** Returns a deep copy: every setting copied, its maps and lists too. */
    public TrainingConfig copy() {
        TrainingConfig c = new TrainingConfig();
        for (Setting<?> s : TrainingSettings.ALL) {
            s.copy(this, c);
        }
        return c;
    }

    /** Returns this configuration as pretty-printed JSON. */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Reads a configuration: either a run's {@code config.json} (its {@code config} object) or a
     * file holding the configuration object alone.
     *
     * @param file the JSON file
     * @return the configuration, validated
     * @throws IOException if the file cannot be read or is not a configuration, or holds a setting
     *     that does not exist (the closest one is suggested); the message names the file
     */
    public static TrainingConfig read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a folder; expected a configuration JSON file");
        }
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IOException(file + ": " + size + " bytes, more than the " + MAX_FILE_BYTES
                        + " a configuration can need");
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + " does not exist");
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text, expected a JSON configuration", e);
        }
        try {
            JsonElement root = GSON.fromJson(text, JsonElement.class);
            if (root == null || !root.isJsonObject()) {
                throw new IOException(file + ": expected a JSON object");
            }
            JsonObject obj = root.getAsJsonObject();
            JsonObject cfg = obj.has("config") && obj.get("config").isJsonObject() ? obj.getAsJsonObject("config") : obj;
            for (String key : cfg.keySet()) {
                if (!SETTINGS.contains(key)) {
                    // Gson would skip it silently, and the run would quietly use the default.
                    throw new IOException(file + ": " + NameSuggestions.message("setting", key, SETTINGS));
                }
            }
            TrainingConfig c = GSON.fromJson(cfg, TrainingConfig.class);
            try {
                c.validate();
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            return c;
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | ClassCastException e) {
            throw new IOException(file + ": not a valid configuration (" + e.getMessage() + ")", e);
        } catch (NumberFormatException e) {
            // Gson binds a string to a number field by parsing it, and reports only the string.
            throw new IOException(file + ": not a valid configuration (a number field holds " + e.getMessage() + ")", e);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
