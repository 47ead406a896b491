package io.anglearn.cli;

import io.anglearn.data.DatasetLocator;
import io.anglearn.data.DatasetSpec;
import io.anglearn.data.Datasets;
import io.anglearn.loss.Losses;
import io.anglearn.train.EpochRecord;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingListener;
import io.anglearn.train.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn train}: trains a network and writes a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a network with a chosen loss; prints per-epoch loss, test error and angle statistics.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", description = "Dataset: fashion-mnist, cifar10, cifar10+, cifar100, cifar100+,"
            + " idx:PATH (MNIST-style IDX files) or folder:PATH (one sub-folder of PNG/JPEG images per class);"
            + " '+' = standard augmentation (default: ${DEFAULT-VALUE}).", defaultValue = "fashion-mnist")
    String dataset;

    @Option(names = "--label", description = "CIFAR-100 labels: fine (100 classes) or coarse (20) (default: ${DEFAULT-VALUE}).",
            defaultValue = "fine")
    String label;

    @Option(names = "--augment", negatable = true, description = "Random 32x32 crop after 4-pixel zero padding and"
            + " horizontal flip; overrides the dataset name's '+' (default: from the name).")
    Boolean augment;

    @Option(names = "--image-size", description = "folder: datasets: resize images to N x N (default: ${DEFAULT-VALUE}).",
            defaultValue = "32")
    int imageSize;

    @Option(names = "--channels", description = "folder: datasets: 1 (grey) or 3 (RGB) (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int channels;

    @Option(names = "--test-fraction", description = "folder: datasets without train/ and test/ sub-folders: share of"
            + " each class held out for testing, split by --seed (default: ${DEFAULT-VALUE}).", defaultValue = "0.2")
    double testFraction;

    @Option(names = "--download", description = "If fashion-mnist, cifar10 or cifar100 is not found, download it"
            + " first, as 'anglearn data fetch' does (into --data-dir, $ANGLEARN_DATA or ~/.anglearn/data).")
    boolean download;

    @Option(names = "--data-workers", description = "Threads assembling batches in the background (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int dataWorkers;

    @Option(names = "--data-dir", description = "Folder holding the dataset (searched first).")
    String dataDir;

    @Option(names = "--arch", description = "Backbone: resnet18, resnet20, resnet32, resnet34, resnet44, resnet56, resnet110 (default: ${DEFAULT-VALUE}); see anglearn model.", defaultValue = "resnet20")
    String arch;

    @Option(names = "--embedding-dim", description = "Project features to d dimensions (0 = none; default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int embeddingDim;

    @Option(names = "--loss", description = "Loss: soft, center, arcface, arc, cosface, sphereface, lsoftmax, normface,"
            + " adacos, subcenter-arcface (default: ${DEFAULT-VALUE}).", defaultValue = "arc")
    String loss;

    @Option(names = {"-p", "--loss-param"}, description = "Loss parameter NAME=VALUE, repeatable (e.g. -p k=8;"
            + " switches take 0 or 1). --list-losses shows each loss's parameters and defaults.")
    Map<String, Double> lossParams = new LinkedHashMap<>();

    @Option(names = "--list-losses", description = "Print every loss with its parameters and defaults, then exit.")
    boolean listLosses;

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int epochs;

    @Option(names = "--batch-size", description = "Mini-batch size (default: ${DEFAULT-VALUE}).", defaultValue = "256")
    int batchSize;

    @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).", defaultValue = "3e-3")
    double lr;

    @Option(names = "--weight-decay", description = "Adam L2 weight decay (default: ${DEFAULT-VALUE}).", defaultValue = "5e-4")
    double weightDecay;

    @Option(names = "--schedule", description = "one-cycle or constant (default: ${DEFAULT-VALUE}).", defaultValue = "one-cycle")
    String schedule;

    @Option(names = "--limit-train", description = "Use only the first N training images (0 = all).", defaultValue = "0")
    int limitTrain;

    @Option(names = "--limit-test", description = "Use only the first N test images (0 = all).", defaultValue = "0")
    int limitTest;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).", defaultValue = "42")
    long seed;

    @Option(names = "--device", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).", defaultValue = "cpu")
    String device;

    @Option(names = "--name", description = "Run name (default: <dataset>-<loss>-<time>).")
    String name;

    @Option(names = "--runs-dir", description = "Parent folder of run directories (default: ${DEFAULT-VALUE}).", defaultValue = "runs")
    String runsDir;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        if (listLosses) {
            PrintWriter out = spec.commandLine().getOut();
            Losses.describe().forEach(out::println);
            out.flush();
            return 0;
        }
        TrainingConfig c = new TrainingConfig();
        c.dataset = dataset;
        c.dataDir = dataDir;
        c.labels = label;
        c.augment = augment;
        c.imageSize = imageSize;
        c.imageChannels = channels;
        c.testFraction = testFraction;
        c.dataWorkers = dataWorkers;
        c.arch = arch;
        c.embeddingDim = embeddingDim;
        c.loss = loss;
        c.lossParams = lossParams;
        c.epochs = epochs;
        c.batchSize = batchSize;
        c.learningRate = lr;
        c.weightDecay = weightDecay;
        c.schedule = schedule;
        c.limitTrain = limitTrain;
        c.limitTest = limitTest;
        c.seed = seed;
        c.device = device;
        c.name = name;
        c.runsDir = runsDir;
        Losses.create(loss, lossParams); // reject a bad loss name or parameter before anything is printed
        PrintWriter out = spec.commandLine().getOut();
        if (download) {
            DatasetSpec ds = c.datasetSpec();
            Path explicit = dataDir == null ? null : Path.of(dataDir);
            try {
                Datasets.locate(ds, new DatasetLocator(explicit));
            } catch (DatasetLocator.DatasetNotFoundException e) {
                Path root = DataCommand.fetch(ds, explicit, false, !noProgress, out);
                c.dataDir = root.toString();
            }
        }
        out.println(String.format(Locale.ROOT, "%5s %10s %9s %9s %9s %8s %8s %8s %9s %7s %8s",
                "epoch", "loss", "train_acc", "top1_err", "top5_err", "W-Inter", "C-Inter", "WC-Intra", "lr", "sec", "img/s"));
        out.flush();
        Listener listener = new Listener(out, !noProgress && System.console() != null);
        TrainingRun.Result result = new TrainingRun(c).execute(listener);
        out.println("run directory: " + result.runDir());
        out.flush();
        return 0;
    }

    /** Prints each epoch's line and, on a terminal, a progress bar for the running epoch. */
    private static final class Listener implements TrainingListener {
        private final PrintWriter out;
        private final boolean progress;
        private ProgressBar bar;

        Listener(PrintWriter out, boolean progress) {
            this.out = out;
            this.progress = progress;
        }

        @Override
        public void onEpochStart(int epoch, int batches) {
            if (progress) {
                bar = new ProgressBarBuilder().setTaskName("epoch " + epoch).setInitialMax(batches)
                        .setStyle(ProgressBarStyle.ASCII).continuousUpdate().build();
            }
        }

        @Override
        public void onBatch(int epoch, int batch, double loss) {
            if (bar != null) {
                bar.stepTo(batch);
                bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
            }
        }

        @Override
        public void onEpochEnd(EpochRecord r) {
            if (bar != null) {
                bar.close();
                bar = null;
            }
            out.println(String.format(Locale.ROOT, "%5d %10.4f %8.2f%% %8.2f%% %8.2f%% %8.4f %8.4f %8.4f %9.2e %7.1f %8.0f",
                    r.epoch(), r.trainLoss(), r.trainAccuracy(), r.testTop1Error(), r.testTop5Error(),
                    r.angles().wInter(), r.angles().cInterRaw(), r.angles().wcIntraRaw(), r.learningRate(),
                    r.seconds(), r.imagesPerSecond()));
            out.flush();
        }
    }
}
