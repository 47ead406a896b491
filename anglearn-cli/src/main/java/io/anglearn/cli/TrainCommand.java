package io.anglearn.cli;

import io.anglearn.data.DatasetLocator;
import io.anglearn.data.DatasetSpec;
import io.anglearn.data.Datasets;
import io.anglearn.loss.Losses;
import io.anglearn.loss.miners.Miners;
import io.anglearn.metrics.RetrievalMetrics;
import io.anglearn.run.TrainingRun;
import io.anglearn.rundir.RunFiles;
import io.anglearn.train.EpochRecord;
import io.anglearn.train.Presets;
import io.anglearn.train.RunStatus;
import io.anglearn.train.RunSummary;
import io.anglearn.train.StepContext;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingListener;
import io.anglearn.util.Words;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code anglearn train}: trains a network and writes a run directory, or continues one. The
 * training settings' options are made from their descriptors ({@link SettingOptions}).
 */
@Command(name = "train",
        header = "Train a network with a chosen loss, or resume a run.",
        mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = SettingOptions.ForTrain.class,
        abbreviateSynopsis = true, descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
        description = "Train a network with a chosen loss; prints per-epoch loss, test error and angle statistics."
                + " Settings are layered: defaults, then --config, then --preset, then the options given.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Start from a configuration file, e.g. runs/X/" + RunFiles.CONFIG + " (reproduces run X; give --name).")
    Path config;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "paper: the paper's Table 1 for the dataset and loss (its peak lr, 0.1 or 0.01 by dataset"
                    + " and loss, trains badly with Adam); recommended: the same with lr " + Presets.RECOMMENDED_RATE
                    + ".")
    String preset;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the stopped run in DIR from its newest valid checkpoint, with its own configuration;"
                    + " with --epochs E, extend the finished run DIR to E epochs.")
    Path resume;

    // Here SettingOptions.ForTrain inserts one option per training setting (TrainingSettings.ALL).

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Option(names = "--log-every", paramLabel = "N", description = "Print a line (epoch, batch, step, loss, lr) every N"
            + " steps; 0 never (default: a tenth of an epoch when there is no progress bar, as in a log file,"
            + " under nohup or in a batch job; else never).")
    Integer logEvery;

    @Option(names = "--download", description = "If fashion-mnist, cifar10 or cifar100 is not found, download it"
            + " first, as 'anglearn data fetch' does (into --data-dir, $ANGLEARN_DATA or ~/.anglearn/data).")
    boolean download;

    @Option(names = "--list-losses", description = "Print every loss and miner with its parameters and defaults, then exit.")
    boolean listLosses;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (listLosses) {
            out.println("losses (--loss NAME; parameters -p NAME=VALUE, defaults shown):");
            Losses.describe().forEach(l -> out.println("  " + l));
            out.println();
            out.println("miners (--miner, --miner-param; for the pair losses " + String.join(", ", Losses.PAIR_NAMES) + "):");
            Miners.describe().forEach(l -> out.println("  " + l));
            out.flush();
            return 0;
        }
        SettingOptions options = SettingOptions.given(spec);
        TrainingRun run;
        if (resume != null) {
            if (config != null || preset != null || options.anyGivenExcept("epochs") || download) {
                throw new IllegalArgumentException("--resume continues a run with its own configuration;"
                        + " give no other training option but --epochs, which extends a finished run"
                        + " (to change settings, start a new run with --config)");
            }
            PathOptions.runDirectory("--resume", resume);
            RunStatus status = TrainingRun.status(resume);
            Integer epochs = (Integer) options.value("epochs");
            if (epochs != null) {
                run = TrainingRun.extend(resume, epochs);
                out.println("extending " + resume + " from " + status.epochs() + " to " + epochs
                        + " epochs; the " + run.config().schedule + " schedule runs again over the added epochs");
            } else if (status.finished()) {
                out.println(resume + " has finished: " + (status.epochs() == 1 ? "its 1 epoch is" : "all "
                        + status.epochs() + " epochs are") + " trained"
                        + describeLast(status.last()) + "; there is nothing to resume.");
                out.println("To train it for more epochs: anglearn train --resume " + resume + " --epochs N, with N > "
                        + status.epochs() + ".");
                out.flush();
                return 0;
            } else {
                run = TrainingRun.resume(resume);
                out.println("resuming " + resume + " (" + status.epochsDone() + " of "
                        + Words.count(status.epochs(), "epoch") + " done)");
            }
        } else {
            if (config != null) {
                PathOptions.existingFile("--config", config);
            }
            options.checkPaths(download);
            TrainingConfig c = config != null ? TrainingConfig.read(config) : new TrainingConfig();
            if (config != null) {
                // A copied configuration names its original run; a new run needs a name of its own.
                c.name = null;
            }
            // A preset reads the dataset and the loss: the options given for them count.
            options.apply(c, Presets.INPUTS);
            if (preset != null) {
                Presets.apply(preset, c);
            }
            options.apply(c);
            // Reject a bad name, value or folder before anything is printed or loaded.
            c.validate();
            PathOptions.writableDirectory("--runs-dir", Path.of(c.runsDir));
            if (download) {
                DatasetSpec ds = c.datasetSpec();
                Path explicit = c.dataDir == null ? null : Path.of(c.dataDir);
                try {
                    Datasets.locate(ds, new DatasetLocator(explicit));
                } catch (DatasetLocator.DatasetNotFoundException e) {
                    c.dataDir = DataCommand.fetch(ds, explicit, false, !noProgress, out).toString();
                }
            }
            run = new TrainingRun(c);
        }
        if (run.config().backbone != null) {
            // A missing or foreign module file fails before the summary and the table are printed.
            io.anglearn.model.TorchScriptBackbone.check(run.config().backboneFile());
        }
        out.flush();
        TrainingInterrupted interrupted = new TrainingInterrupted();
        if (logEvery != null && logEvery < 0) {
            throw new IllegalArgumentException("--log-every must be >= 0 (0 = never), got " + logEvery);
        }
        Listener listener = new Listener(out, !noProgress && System.console() != null, interrupted, logEvery);
        // Ctrl-C ends the JVM as before (the run resumes from its checkpoint); the hook says so first.
        PrintWriter err = spec.commandLine().getErr();
        Thread hook = new Thread(() -> interrupted.report(err), "anglearn-train-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        TrainingRun.Result result;
        try {
            result = run.execute(listener);
        } finally {
            interrupted.finished();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook is running.
            }
        }
        out.println("run directory: " + result.runDir());
        out.flush();
        return 0;
    }

    /** Steps between progress lines when there is no progress bar: a tenth of an epoch, at least 1. */
    static int defaultLogEvery(int stepsPerEpoch) {
        return Math.max(1, stepsPerEpoch / 10);
    }

    /** One progress line, for logs: {@code epoch 2, batch 14 of 70, step 84: loss 1.2345, lr 2.10e-03}. */
    static String progressLine(StepContext.Position p, double loss, double lr) {
        return String.format(Locale.ROOT, "epoch %d, batch %d of %d, step %d: loss %.4f, lr %.2e", p.epoch(), p.batch(),
                p.batchesPerEpoch(), p.step(), loss, lr);
    }

    /** The last epoch's headline metric, for the message on a finished run. */
    private static String describeLast(EpochRecord r) {
        if (r == null) {
            return "";
        }
        if (r.quality() != null) {
            return String.format(Locale.ROOT, " (epoch %d: test MAP@R %.4f, P@1 %.4f)", r.epoch(), r.mapAtR(),
                    r.quality().retrieval().precisionAt1());
        }
        return Double.isNaN(r.testTop1Error()) ? "" : String.format(Locale.ROOT, " (epoch %d: test top-1 error %.2f%%)",
                r.epoch(), r.testTop1Error());
    }

    /**
     * Prints the run's summary and the table header once the run has loaded its data, then each
     * epoch's line and, on a terminal, a progress bar for the running epoch that says when the
     * epoch's training is done and its evaluation runs.
     */
    private static final class Listener implements TrainingListener {
        private final PrintWriter out;
        private final boolean progress;
        private boolean retrieval;
        private boolean top5;
        private final TrainingInterrupted interrupted;
        private ProgressBar bar;

        private final Integer logEveryOption;
        private int logEvery;

        Listener(PrintWriter out, boolean progress, TrainingInterrupted interrupted, Integer logEvery) {
            this.out = out;
            this.progress = progress;
            this.interrupted = interrupted;
            this.logEveryOption = logEvery;
        }

        @Override
        public void onRunStart(RunSummary summary) {
            interrupted.started(summary.runDir());
            // Without a progress bar (a log file, nohup, a batch job) a line every tenth of an epoch shows progress.
            logEvery = logEveryOption != null ? logEveryOption : progress ? 0 : defaultLogEvery(summary.stepsPerEpoch());
            summary.lines().forEach(out::println);
            retrieval = !summary.classifies();
            // Top-5 error needs more than five classes: with five or fewer every class is in the top five.
            top5 = summary.trainClasses().size() > 5;
            if (retrieval) {
                out.println(String.format(Locale.ROOT, "%5s %10s %8s %8s %8s %8s %8s %9s %7s %8s",
                        "epoch", "loss", "P@1", "R-prec", "MAP@R", "NMI", "C-Inter", "lr", "sec", "img/s"));
            } else {
                out.println(String.format(Locale.ROOT, "%5s %10s %9s %9s %9s %8s %8s %8s %9s %7s %8s",
                        "epoch", "loss", "train_acc", "top1_err", "top5_err", "W-Inter", "C-Inter", "WC-Intra", "lr",
                        "sec", "img/s"));
            }
            out.flush();
        }

        @Override
        public void onEpochStart(int epoch, int batches) {
            interrupted.epoch(epoch, batches);
            if (progress) {
                bar = new ProgressBarBuilder().setTaskName("epoch " + epoch).setInitialMax(batches)
                        .setStyle(ProgressBarStyle.ASCII).continuousUpdate().build();
            }
        }

        @Override
        public void onStep(StepContext s) {
            StepContext.Position p = s.position();
            interrupted.step(p.step());
            if (logEvery > 0 && p.step() % logEvery == 0) {
                out.println(progressLine(p, s.loss(), s.learningRate()));
                out.flush();
            }
        }

        @Override
        public void onBatch(int epoch, int batch, double loss) {
            interrupted.batch(epoch, batch);
            if (bar != null) {
                bar.stepTo(batch);
                bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
            }
        }

        @Override
        public void onEvaluationStart(int epoch, int images) {
            if (bar != null) {
                bar.setExtraMessage("trained; evaluating on " + images + " test images");
                bar.refresh();
            }
        }

        @Override
        public void onEpochEnd(EpochRecord r) {
            if (bar != null) {
                bar.close();
                bar = null;
            }
            if (retrieval) {
                // Evaluated by retrieval: the classification columns do not apply (NaN in epochs not evaluated).
                RetrievalMetrics q = r.quality() == null ? new RetrievalMetrics(Double.NaN, Double.NaN, Double.NaN, 0)
                        : r.quality().retrieval();
                out.println(String.format(Locale.ROOT, "%5d %10.4f %8.4f %8.4f %8.4f %8.4f %8.4f %9.2e %7.1f %8.0f",
                        r.epoch(), r.trainLoss(), q.precisionAt1(), q.rPrecision(), q.mapAtR(),
                        r.quality() == null ? Double.NaN : r.quality().nmi(), r.angles().cInterRaw(), r.learningRate(),
                        r.seconds(), r.imagesPerSecond()));
                out.flush();
                return;
            }
            String top5Error = top5 ? String.format(Locale.ROOT, "%8.2f%%", r.testTop5Error()) : "      n/a";
            out.println(String.format(Locale.ROOT, "%5d %10.4f %8.2f%% %8.2f%% %s %8.4f %8.4f %8.4f %9.2e %7.1f %8.0f",
                    r.epoch(), r.trainLoss(), r.trainAccuracy(), r.testTop1Error(), top5Error,
                    r.angles().wInter(), r.angles().cInterRaw(), r.angles().wcIntraRaw(), r.learningRate(),
                    r.seconds(), r.imagesPerSecond()));
            out.flush();
        }
    }
}
