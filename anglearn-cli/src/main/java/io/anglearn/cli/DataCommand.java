package io.anglearn.cli;

import io.anglearn.data.DatasetDownloader;
import io.anglearn.data.DatasetFormatException;
import io.anglearn.data.DatasetLocator;
import io.anglearn.data.DatasetSpec;
import io.anglearn.data.Datasets;
import io.anglearn.data.DownloadListener;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.LabelKind;
import io.anglearn.data.LoadedDataset;
import io.anglearn.data.PayloadCheck;
import io.anglearn.data.RemoteFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn data}: download, verify and describe datasets. */
@Command(name = "data",
        header = "Fetch, verify and describe datasets.",
        mixinStandardHelpOptions = true,
        description = "Download (fetch), check (verify) and describe (info) datasets.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Verify.class, DataCommand.Info.class})
final class DataCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by the sub-commands. */
    static final class Common {
        @Parameters(index = "0", paramLabel = "NAME",
                description = "fashion-mnist, cifar10, cifar100 (or with '+'), idx:PATH or folder:PATH.")
        String name;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder searched first (and where fetch stores datasets).")
        Path dataDir;

        @Option(names = "--label", paramLabel = "KIND", description = "CIFAR-100 labels: fine or coarse (default: ${DEFAULT-VALUE}).",
                defaultValue = "fine")
        String label;

        /**
         * Checks the options and returns the dataset they name.
         *
         * @param verify whether to check published checksums
         * @param fetching whether {@code --data-dir} may be created (fetch) or must exist
         */
        DatasetSpec spec(boolean verify, boolean fetching) {
            DatasetSpec ds = DatasetSpec.builder().setName(name).optLabels(LabelKind.parse(label)).optVerify(verify).build();
            if (dataDir != null) {
                if (fetching) {
                    PathOptions.writableDirectory("--data-dir", dataDir);
                } else {
                    PathOptions.existingDirectory("--data-dir", dataDir);
                }
            }
            return ds;
        }
    }

    /** {@code anglearn data fetch}. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download a dataset from its official source over HTTPS, check the published checksums,"
                    + " store it atomically and extract archives; then read and verify it.")
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Option(names = "--keep-archive", description = "Keep the downloaded .tar.gz after extracting it.")
        boolean keepArchive;

        @Option(names = "--no-progress", description = "Do not draw a progress bar.")
        boolean noProgress;

        @Override
        public Integer call() throws Exception {
            DatasetSpec ds = common.spec(true, true);
            PrintWriter out = spec.commandLine().getOut();
            Path root = fetch(ds, common.dataDir, keepArchive, !noProgress, out);
            LoadedDataset d = Datasets.load(ds, new DatasetLocator(root));
            report(out, d);
            return 0;
        }
    }

    /** {@code anglearn data verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Read a dataset, check every file's format and its published checksum; exit 1 on any problem.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            DatasetSpec ds = common.spec(true, false);
            LoadedDataset d;
            try {
                d = Datasets.load(ds, new DatasetLocator(common.dataDir));
            } catch (DatasetFormatException | DatasetLocator.DatasetNotFoundException e) {
                // verify is a check: a dataset that fails it is its answer (exit 1), not a usage error (exit 2).
                PrintWriter err = spec.commandLine().getErr();
                err.println(spec.qualifiedName() + ": " + e.getMessage());
                err.flush();
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            report(out, d);
            out.println("verified: " + d.name() + " is complete and well formed"
                    + (d.checks().stream().allMatch(PayloadCheck::verified) && !d.checks().isEmpty()
                            ? ", and every file matches its published checksum" : " (no published checksums for it)"));
            return 0;
        }
    }

    /** {@code anglearn data info}. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Say where a dataset is and what it holds: files, digests, counts and class histograms.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            LoadedDataset d = Datasets.load(common.spec(false, false), new DatasetLocator(common.dataDir));
            report(spec.commandLine().getOut(), d);
            return 0;
        }
    }

    /**
     * Downloads a known dataset into {@code dataDir} (or the default store) and extracts it.
     *
     * @return the root folder the dataset's folder was created in
     */
    static Path fetch(DatasetSpec ds, Path dataDir, boolean keepArchive, boolean progress, PrintWriter out)
            throws java.io.IOException {
        List<RemoteFile> files = Datasets.downloads(ds.kind());
        Path root = dataDir != null ? dataDir : new DatasetLocator(null).defaultStore();
        Path dir = root.resolve(Datasets.folderName(ds.kind()));
        out.println("fetching " + ds.name() + " into " + dir);
        out.flush();
        DatasetDownloader.builder().optKeepArchives(keepArchive)
                .optListener(new Progress(out, progress && System.console() != null)).build().fetch(files, dir);
        return root;
    }

    static void report(PrintWriter out, LoadedDataset d) {
        out.println("dataset:  " + d.name());
        out.println("location: " + d.location().toAbsolutePath().normalize());
        out.println("images:   " + d.train().channels() + "x" + d.train().height() + "x" + d.train().width()
                + ", " + d.train().numClasses() + " classes" + (d.sameClasses() ? ""
                        : " in the training split, " + d.test().numClasses() + " in the test split ("
                                + d.test().classNames() + ")"));
        if (d.layout() != null) {
            out.println("splits:   " + d.layout());
        }
        for (String s : d.skipped()) {
            out.println("skipped:  " + s);
        }
        for (PayloadCheck c : d.checks()) {
            out.println(String.format(Locale.ROOT, "file:     %s  %d bytes  %s %s  %s", c.origin(), c.bytes(),
                    c.algorithm(), c.digest(), c.published() == null ? "(no published checksum)"
                            : c.matchesPublished() ? "matches the published checksum"
                            : "DIFFERS from the published " + c.published()));
        }
        split(out, "train", d.train());
        split(out, "test", d.test());
        out.flush();
    }

    private static void split(PrintWriter out, String label, ImageDataset s) {
        int[] h = s.classHistogram();
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < h.length; c++) {
            if (c > 0) {
                b.append(' ');
            }
            b.append(c).append(':').append(h[c]);
        }
        out.println(String.format(Locale.ROOT, "%-5s     %d images; per class %s", label, s.size(), b));
    }

    /** Draws a byte progress bar per downloaded file on a terminal, and prints each step. */
    private static final class Progress implements DownloadListener {
        private final PrintWriter out;
        private final boolean bar;
        private ProgressBar progress;

        Progress(PrintWriter out, boolean bar) {
            this.out = out;
            this.bar = bar;
        }

        @Override
        public void onStart(RemoteFile file, long totalBytes) {
            out.println("downloading " + file.uri() + (totalBytes >= 0 ? " (" + totalBytes + " bytes)" : ""));
            out.flush();
            if (bar) {
                progress = new ProgressBarBuilder().setTaskName(file.fileName()).setInitialMax(Math.max(totalBytes, 0))
                        .setStyle(ProgressBarStyle.ASCII).setUnit(" MB", 1 << 20).showSpeed().build();
            }
        }

        @Override
        public void onProgress(RemoteFile file, long bytesSoFar) {
            if (progress != null) {
                progress.stepTo(bytesSoFar);
            }
        }

        @Override
        public void onEnd(RemoteFile file) {
            if (progress != null) {
                progress.close();
                progress = null;
            }
        }

        @Override
        public void onStep(String message) {
            out.println(message);
            out.flush();
        }
    }
}
