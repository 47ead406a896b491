package io.anglearn.train;

import io.anglearn.data.BadImagePolicy;
import io.anglearn.data.ClassSubset;
import io.anglearn.data.LabelKind;
import io.anglearn.data.MPerClassSampler;
import io.anglearn.engine.Devices;
import io.anglearn.loss.Losses;
import io.anglearn.loss.miners.Miners;
import io.anglearn.model.Architectures;
import io.anglearn.model.TorchScriptBackbone;
import io.anglearn.train.Setting.Kind;
import io.anglearn.train.Setting.Scope;
import io.anglearn.util.NameSuggestions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every training setting's {@link Setting descriptor}, in the order the {@code train} help and the
 * settings table of docs/training.md list them. Adding a setting is adding its field to
 * {@link TrainingConfig} (the initial value is the default) and its descriptor here; the option,
 * its help, its checks, the layering over a {@code --config} file and the docs table follow.
 */
public final class TrainingSettings {

    /** Every setting, in help order. */
    public static final List<Setting<?>> ALL = List.of(
            Setting.<String>builder("dataset").setFlags("NAME", "--dataset")
                    .setHelp("Dataset: {default} (default), cifar10, cifar10+, cifar100, cifar100+, idx:PATH or"
                            + " folder:PATH; '+' = standard augmentation.")
                    .optCheck(v -> require(v != null && !v.isBlank(), "--dataset must be given")).build(),
            Setting.<String>builder("labels").setFlags("KIND", "--label")
                    .setHelp(d -> "CIFAR-100 labels: " + choices(Arrays.stream(LabelKind.values())
                            .map(k -> k.name().toLowerCase(Locale.ROOT)).toList(), d) + ".")
                    .optCheck(LabelKind::parse).build(),
            Setting.<Boolean>builder("augment").setSwitch(Kind.NEGATABLE, "--augment").optDefaultText("from the name")
                    .setHelp("Random 32x32 crop after 4-pixel zero padding and horizontal flip; overrides the dataset"
                            + " name's '+' (default: {default}).").build(),
            Setting.<Integer>builder("imageSize").setFlags("N", "--image-size")
                    .setHelp("folder: datasets: resize images to N x N (default: {default}).")
                    .optCheck(v -> v >= 4 && v <= 1024, "must be in 4..1024").build(),
            Setting.<Integer>builder("imageChannels").setFlags("C", "--channels")
                    .setHelp("folder: datasets: 1 (grey) or 3 (RGB, default).")
                    .optCheck(v -> v == 1 || v == 3, "must be 1 or 3").build(),
            Setting.<Double>builder("testFraction").setFlags("F", "--test-fraction")
                    .setHelp("folder: datasets without train/ and test/: share of each class held out for testing,"
                            + " in (0, 1) (default: {default}); with --split-classes, the share of the classes.")
                    .optCheck(v -> v > 0 && v < 1, "must be in (0, 1), more than 0 so that a run has test images to"
                            + " evaluate on").build(),
            Setting.<String>builder("badImages").setFlags("stop|skip", "--bad-images")
                    .setHelp("folder: datasets: with images that cannot be decoded, stop and list them all (default),"
                            + " or skip them and record them in the run.")
                    .optCheck(BadImagePolicy::parse).build(),
            Setting.<Integer>builder("dataWorkers").setFlags("N", "--data-workers")
                    .setHelp("Threads assembling batches (default: {default}).")
                    .optCheck(v -> v >= 1 && v <= 64, "must be in 1..64").build(),
            Setting.<String>builder("dataDir").setFlags("DIR", "--data-dir").optDefaultText("the standard search order")
                    .setHelp("Folder holding the dataset (searched first).").build(),
            Setting.<Integer>builder("limitTrain").setFlags("N", "--limit-train").optDefaultText("0 (all)")
                    .setHelp("Use only the first N training images (0 = all).")
                    .optCheck(v -> v >= 0, "must be >= 0").build(),
            Setting.<String>builder("trainClasses").setFlags("LIST", "--train-classes").optDefaultText("all")
                    .setHelp("Train on these classes only, e.g. 0-4 or 0,2,7-9, relabelled 0..P-1 (default: {default}).")
                    .optCheck(v -> require(v == null || ClassSubset.parse("--train-classes", v).size() >= 2,
                            "--train-classes needs at least 2 classes, got '" + v + "'")).build(),
            Setting.<String>builder("testClasses").setFlags("LIST", "--test-classes").optDefaultText("the training classes")
                    .setHelp("Evaluate on these classes (needs --train-classes or --split-classes; default: {default});"
                            + " other classes are evaluated by retrieval.")
                    .optCheck(v -> require(v == null || ClassSubset.parse("--test-classes", v).size() >= 2,
                            "--test-classes needs at least 2 classes, got '" + v + "'")).build(),
            Setting.<Boolean>builder("splitClasses").setSwitch(Kind.SWITCH, "--split-classes")
                    .setHelp("Divide the data by class, not by image: every image of the training classes is trained"
                            + " on, every image of the test classes (never seen in training) is evaluated by retrieval;"
                            + " by default the last --test-fraction of the classes are the test classes.").build(),
            Setting.<String>builder("arch").setFlags("NAME", "--arch")
                    .setHelp(d -> "Backbone: " + choices(Architectures.NAMES, d, ", ") + "; see anglearn model.")
                    .optCheck(v -> NameSuggestions.resolve("--arch", v, Architectures.NAMES)).build(),
            Setting.<String>builder("backbone").setFlags("torchscript:PATH", "--backbone").optDefaultText("--arch")
                    .setHelp("Use a TorchScript module (torch.jit.script/trace, then .save) as the backbone instead of"
                            + " --arch, and fine-tune it.")
                    .optCheck(v -> require(v == null || v.startsWith(TorchScriptBackbone.PREFIX)
                            && v.length() > TorchScriptBackbone.PREFIX.length(), "--backbone must be "
                            + TorchScriptBackbone.PREFIX + "PATH (a TorchScript module file), got '" + v + "'")).build(),
            Setting.<String>builder("shortcut").setFlags("A|B", "--shortcut")
                    .optDefaultText("A for resnet20-110, B for resnet18/34")
                    .setHelp("Residual shortcut where a block changes shape: A, the input subsampled and zero-padded (no"
                            + " parameters), or B, a 1x1 convolution and BatchNorm (default: {default}).")
                    .optCheck(v -> require(v == null || Architectures.SHORTCUTS.contains(v.toUpperCase(Locale.ROOT)),
                            "--shortcut must be A or B, got '" + v + "'")).build(),
            Setting.<String>builder("convInit").setFlags("NAME", "--conv-init")
                    .setHelp("Initial convolution weights: he-normal, N(0, 2/fan-in) (default); or pytorch, PyTorch's"
                            + " default, U(-b, b) with b = 1/sqrt(fan-in).")
                    .optCheck(v -> NameSuggestions.resolve("--conv-init", v, Architectures.INITS)).build(),
            Setting.<String>builder("classInit").setFlags("NAME", "--class-init")
                    .setHelp("Initial class weights: he-normal, N(0, 2/d) (default); or normal-0.01, N(0, 0.01^2), as"
                            + " many reference implementations draw them.")
                    .optCheck(v -> NameSuggestions.resolve("--class-init", v, TrainingComponents.CLASS_INITS)).build(),
            Setting.<Integer>builder("embeddingDim").setFlags("D", "--embedding-dim").optDefaultText("0 (none)")
                    .setHelp("Project features to D dimensions (0 = none, default).")
                    .optCheck(v -> v >= 0 && v <= TrainingConfig.MAX_EMBEDDING_DIM, "must be in 0.."
                            + TrainingConfig.MAX_EMBEDDING_DIM + " (0 = none)").build(),
            Setting.<String>builder("loss").setFlags("NAME", "--loss")
                    .setHelp("Loss: " + String.join(", ", Losses.NAMES.stream()
                            .filter(n -> !Losses.PAIR_NAMES.contains(n)).toList()) + ", or the pair losses "
                            + String.join(", ", Losses.PAIR_NAMES) + " (default: {default}, the paper's angular loss,"
                            + " not ArcFace, which is arcface); train --list-losses describes each with its paper and"
                            + " parameters.").build(),
            Setting.<Map<String, Double>>builder("lossParams").setParameters("NAME=VALUE", "-p", "--loss-param")
                    .optDefaultText("none")
                    .setHelp("Loss parameter, repeatable (e.g. -p k=8; switches take 0 or 1).")
                    .optCheck(v -> require(v != null, "loss parameters must not be null")).build(),
            Setting.<String>builder("miner").setFlags("NAME", "--miner").optDefaultText("none, every pair or triplet of a batch")
                    .setHelp("Miner for a pair loss: " + choices(Miners.NAMES, null) + " (default: {default}).").build(),
            Setting.<Map<String, Double>>builder("minerParams").setParameters("NAME=VALUE", "--miner-param")
                    .optDefaultText("none")
                    .setHelp("Miner parameter, repeatable (e.g. --miner-param margin=0.2).")
                    .optCheck(v -> require(v != null, "miner parameters must not be null")).build(),
            Setting.<String>builder("optimizer").setFlags("NAME", "--optimizer")
                    .setHelp(d -> choices(TrainingConfig.OPTIMIZERS, d) + "; adam is the paper's.")
                    .optCheck(v -> NameSuggestions.resolve("--optimizer", v, TrainingConfig.OPTIMIZERS)).build(),
            Setting.<Double>builder("weightDecay").setFlags("L2", "--weight-decay")
                    .setHelp("L2 weight decay (default: {default}, the paper's).")
                    .optCheck(v -> v >= 0 && Double.isFinite(v), "must be >= 0").build(),
            Setting.<String>builder("adamEpsilon").setFlags("uncorrected|corrected", "--adam-epsilon")
                    .setHelp("Adam: add epsilon (1e-8) to the square root of the uncorrected second moment (default)"
                            + " or of the bias-corrected one, as PyTorch's torch.optim.Adam does; the two differ in the"
                            + " first steps only.")
                    .optCheck(v -> NameSuggestions.resolve("--adam-epsilon", v, AdamOptimizer.EPSILON_FORMS)).build(),
            Setting.<Boolean>builder("nesterov").setSwitch(Kind.SWITCH, "--nesterov")
                    .setHelp("Nesterov momentum for SGD.").build(),
            Setting.<Boolean>builder("keepLastBatch").setSwitch(Kind.SWITCH, "--keep-last-batch")
                    .setHelp("Also train on each epoch's last, smaller batch (by default it is dropped, so that every"
                            + " step sees a full batch).").build(),
            Setting.<Integer>builder("batchSize").setFlags("N", "--batch-size")
                    .setHelp("Mini-batch size (default: {default}).")
                    .optCheck(v -> v > 0, "must be > 0")
                    .optCheck(v -> v <= TrainingConfig.MAX_BATCH_SIZE, "must be at most " + TrainingConfig.MAX_BATCH_SIZE)
                    .build(),
            Setting.<String>builder("sampler").setFlags("KIND", "--sampler")
                    .setHelp("Batch order: {default} (default) or m-per-class:M, M images of each of batch-size/M classes.")
                    .optCheck(MPerClassSampler::parse).build(),
            Setting.<Long>builder("seed").setFlags("S", "--seed").setHelp("Random seed (default: {default}).").build(),
            Setting.<String>builder("device").setFlags("DEV", "--device", "--devices")
                    .setHelp("{default} (default), gpu, gpu:N, or several: gpu:0,gpu:1 (data-parallel).")
                    .optCheck(Devices::checkNames).build(),
            Setting.<Integer>builder("limitTest").setFlags("N", "--limit-test").optScope(Scope.RUN)
                    .optDefaultText("0 (all)").setHelp("Use only the first N test images (0 = all).")
                    .optCheck(v -> v >= 0, "must be >= 0").build(),
            Setting.<Double>builder("momentum").setFlags("M", "--momentum").optScope(Scope.RUN)
                    .setHelp("SGD momentum / Adam beta1 for schedules other than one-cycle (default: {default}).")
                    .optCheck(v -> v >= 0 && v < 1, "must be in [0, 1)").build(),
            Setting.<Double>builder("learningRate").setFlags("RATE", "--lr").optScope(Scope.RUN)
                    .setHelp("Peak (one-cycle, cosine) or initial learning rate (default: {default}).")
                    .optCheck(v -> v > 0 && Double.isFinite(v), "must be a positive number").build(),
            Setting.<String>builder("schedule").setFlags("NAME", "--schedule").optScope(Scope.RUN)
                    .setHelp(d -> choices(TrainingConfig.SCHEDULES, d) + ".")
                    .optCheck(v -> NameSuggestions.resolve("--schedule", v, TrainingConfig.SCHEDULES)).build(),
            Setting.<Double>builder("warmupFraction").setFlags("FRACTION", "--warmup").optScope(Scope.RUN)
                    .setHelp("One-cycle warm-up fraction (default: {default}).")
                    .optCheck(v -> v > 0 && v < 1, "must be in (0, 1)").build(),
            Setting.<Double>builder("maxMomentum").setFlags("M", "--max-momentum").optScope(Scope.RUN)
                    .setHelp("One-cycle momentum/beta1 at start and end (default: {default}).").build(),
            Setting.<Double>builder("minMomentum").setFlags("M", "--min-momentum").optScope(Scope.RUN)
                    .setHelp("One-cycle momentum/beta1 at the peak (default: {default}).").build(),
            Setting.<Integer>builder("stepEpochs").setFlags("E", "--step-epochs").optScope(Scope.RUN)
                    .optDefaultText("a third of the run")
                    .setHelp("Step schedule: epochs between decays (default: {default}).")
                    .optCheck(v -> v >= 0, "must be >= 0").build(),
            Setting.<Integer>builder("freezeBackboneEpochs").setFlags("N", "--freeze-backbone-epochs")
                    .optScope(Scope.RUN)
                    .setHelp("Train only the projection and head for the first N epochs, the backbone frozen"
                            + " (default: {default}).").build(),
            Setting.<Double>builder("stepGamma").setFlags("G", "--step-gamma").optScope(Scope.RUN)
                    .setHelp("Step schedule: factor per decay (default: {default}).")
                    .optCheck(v -> v > 0 && v <= 1, "must be in (0, 1]").build(),
            Setting.<Integer>builder("epochs").setFlags("E", "--epochs").optScope(Scope.RUN)
                    .setHelp("Epochs (default: {default}). With --resume DIR: extend the finished run DIR to E epochs"
                            + " in all, the schedule running again over the added epochs.")
                    .optCheck(v -> v > 0, "must be > 0").build(),
            Setting.<Integer>builder("evalEvery").setFlags("E", "--eval-every").optScope(Scope.RUN)
                    .setHelp("Evaluate on the test split every E epochs (default: {default}; the last always).")
                    .optCheck(v -> v > 0, "must be > 0").build(),
            Setting.<Integer>builder("checkpointEvery").setFlags("STEPS", "--checkpoint-every").optScope(Scope.RUN)
                    .setHelp("Also checkpoint every STEPS optimiser steps (default: {default} = at the end of each"
                            + " epoch only).")
                    .optCheck(v -> v >= 0, "must be >= 0").build(),
            Setting.<Integer>builder("keepCheckpoints").setFlags("N", "--keep-checkpoints").optScope(Scope.RUN)
                    .setHelp("Newest checkpoints kept besides the best (default: {default}).")
                    .optCheck(v -> v > 0, "must be > 0").build(),
            Setting.<Integer>builder("angleInterval").setFlags("N", "--angle-interval").optScope(Scope.RUN)
                    .setHelp("Record W-Inter, C-Inter and WC-Intra on a fixed probe of 500 test images every N"
                            + " iterations (default: {default}; 0 = off).")
                    .optCheck(v -> v >= 0, "must be >= 0 (0 = off)").build(),
            Setting.<String>builder("onNonFinite").setFlags("stop|skip", "--on-non-finite").optScope(Scope.RUN)
                    .setHelp("When a loss or gradient is NaN or infinite: stop with a diagnosis (default) or skip the"
                            + " batch and count it.")
                    .optCheck(NonFinitePolicy::parse).build(),
            Setting.<Integer>builder("targetAngleSamples").setFlags("N", "--target-angle-samples").optScope(Scope.RUN)
                    .setHelp("Target angles sampled per class after each evaluation (default: {default}).")
                    .optCheck(v -> v > 0, "must be > 0").build(),
            Setting.<Boolean>builder("tensorBoard").setSwitch(Kind.OFF_SWITCH, "--no-tensorboard").optScope(Scope.RUN)
                    .setHelp("Record no TensorBoard event files and no figure data (angles by iteration, target angles,"
                            + " test embedding) in the run directory.").build(),
            Setting.<String>builder("name").setFlags("NAME", "--name").optScope(Scope.RUN)
                    .optDefaultText("<dataset>-<loss>-<time>").setHelp("Run name (default: {default}).")
                    .optCheck(v -> require(v == null || v.matches("[A-Za-z0-9._-]+"),
                            "--name may contain only letters, digits, '.', '_' and '-', got '" + v + "'")).build(),
            Setting.<String>builder("runsDir").setFlags("DIR", "--runs-dir").optScope(Scope.RUN)
                    .setHelp("Parent folder of run directories (default: {default}).")
                    .optCheck(v -> require(v != null && !v.isBlank(), "--runs-dir must not be empty")).build(),
            Setting.<List<Integer>>builder("scheduleRestarts").optScope(Scope.FILE).optDefaultText("none")
                    .setHelp("Epochs after which the learning-rate schedule starts again, ascending; a run extended"
                            + " with train --resume DIR --epochs N adds the epochs it had trained.")
                    .optCheck(v -> require(v != null, "scheduleRestarts must not be null")).build(),
            Setting.<String>builder("preset").optScope(Scope.FILE).optDefaultText("none")
                    .setHelp("The preset that filled in the values (recorded for the reader; --preset applies it).")
                    .build());

    private static final Map<String, Setting<?>> BY_KEY =
            ALL.stream().collect(Collectors.toUnmodifiableMap(Setting::key, Function.identity()));

    private TrainingSettings() {}

    /**
     * Returns a setting by its key.
     *
     * @param key the configuration key, e.g. {@code batchSize}
     * @return the setting
     * @throws IllegalArgumentException for a key that is not a setting
     */
    public static Setting<?> get(String key) {
        Setting<?> s = BY_KEY.get(key);
        if (s == null) {
            throw new IllegalArgumentException(NameSuggestions.message("setting", key, List.copyOf(BY_KEY.keySet())));
        }
        return s;
    }

    /**
     * Returns the settings table of docs/training.md: one row per setting, with its option, its
     * configuration key, its default and its help.
     *
     * @return the Markdown table, each line ending in a newline
     */
    public static String markdownTable() {
        StringBuilder t = new StringBuilder("| option | setting | default | meaning |\n|---|---|---|---|\n");
        for (Setting<?> s : ALL) {
            String option;
            if (s.flags().isEmpty()) {
                option = "(configuration file)";
            } else if (s.kind() == Kind.NEGATABLE) {
                option = "`" + s.flag() + "` / `--no-" + s.flag().substring(2) + "`";
            } else {
                String label = s.kind() == Kind.VALUE || s.kind() == Kind.PARAMETERS ? " " + s.paramLabel() : "";
                option = s.flags().stream().map(f -> "`" + f + label + "`").collect(Collectors.joining(", "));
            }
            t.append("| ").append(cell(option)).append(" | `").append(s.key()).append("` | ")
                    .append(cell(s.defaultText())).append(" | ").append(cell(s.help()))
                    .append(s.scope() == Scope.TRAINING ? " (also `lr-find`)" : "").append(" |\n");
        }
        return t.toString();
    }

    /** Escapes what Markdown would read as a table's or a tag's syntax. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * Lists names for a help text, marking the default: {@code a (default), b or c}.
     *
     * @param names the names
     * @param dflt the default name, or null for none
     * @return the list
     */
    static String choices(List<String> names, String dflt) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                b.append(i == names.size() - 1 ? " or " : ", ");
            }
            b.append(names.get(i)).append(names.get(i).equals(dflt) ? " (default)" : "");
        }
        return b.toString();
    }

    /** Lists names with one separator throughout, marking the default. */
    private static String choices(List<String> names, String dflt, String separator) {
        return names.stream().map(n -> n.equals(dflt) ? n + " (default)" : n).collect(Collectors.joining(separator));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
