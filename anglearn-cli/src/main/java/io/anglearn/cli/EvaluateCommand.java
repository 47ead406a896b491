package io.anglearn.cli;

import io.anglearn.data.ImageDataset;
import io.anglearn.index.EmbeddingIndex;
import io.anglearn.index.IndexProvenance;
import io.anglearn.index.IndexRetrieval;
import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.ConfusionMatrix;
import io.anglearn.metrics.RetrievalMetrics;
import io.anglearn.metrics.VerificationMetrics;
import io.anglearn.metrics.VerificationPairs;
import io.anglearn.record.VerificationRecord;
import io.anglearn.run.TrainedRun;
import io.anglearn.rundir.RunFiles;
import io.anglearn.train.Embeddings;
import io.anglearn.train.Evaluation;
import io.anglearn.train.TrainingData;
import io.anglearn.util.NameSuggestions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn evaluate}: measures a trained run on a split. */
@Command(name = "evaluate",
        header = "Evaluate a trained run: errors, angle statistics, confusion matrix.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a trained run: top-1/top-5 error, angle statistics and the confusion matrix;"
                + " verification on pairs of the split (ROC AUC, EER, TAR at FAR 1e-2/1e-3/1e-4, best-accuracy"
                + " cosine threshold) and the retrieval metrics, also through the run's index of the test split"
                + " when it has one. On the test split the verification results are written to RUN/"
                + VerificationRecord.FILE + " and RUN/" + VerificationRecord.ROC_FILE + ". A split the network"
                + " does not classify (a run trained with a pair loss, or the test classes of a run trained on"
                + " other classes) is evaluated by retrieval: precision@1, R-precision, MAP@R, k-means NMI,"
                + " C-Inter.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TrainedRunOptions.Run run;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", description = "test (default) or train.")
    String split;

    @Mixin
    TrainedRunOptions.Checkpoint checkpoint;

    @Option(names = "--pairs", defaultValue = "100000", paramLabel = "N",
            description = "Cap on positive verification pairs; as many negatives are drawn (default: ${DEFAULT-VALUE}).")
    int maxPositives;

    @Option(names = "--pairs-seed", paramLabel = "N", defaultValue = "1", description = "Seed of the pairs drawn (default: ${DEFAULT-VALUE}).")
    long pairsSeed;

    @Option(names = "--index", paramLabel = "INDEX",
            description = "An index of the test split to measure retrieval through (default: RUN/index/test if present).")
    Path index;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        split = NameSuggestions.resolve("--split", split, TrainingData.SPLITS);
        checkpoint.check();
        if (maxPositives < 1) {
            throw new IllegalArgumentException("--pairs must be >= 1, got " + maxPositives);
        }
        try (TrainedRun r = TrainedRun.open(run.dir, checkpoint.which)) {
            ImageDataset data = r.split(split);
            Evaluation e = r.evaluate(data);
            AngleStatistics a = e.angles();
            String layout = r.splitLayout();
            if (layout == null || layout.startsWith("splits from its")) {
                out.printf(Locale.ROOT, "run %s, checkpoint at step %d, split %s (%d images)%n", run.dir,
                        r.checkpointStep(), e.split(), e.images());
            } else {
                // The dataset has no such split of its own (a folder without test/): say how it was formed.
                out.printf(Locale.ROOT, "run %s, checkpoint at step %d, split %s of %s (%d images; %s%s)%n", run.dir,
                        r.checkpointStep(), split, r.config().dataset, e.images(),
                        split.equals("train") ? "the rest after " : "", layout);
            }
            if (!e.classified()) {
                out.printf(Locale.ROOT, "evaluated by retrieval: %s%n", r.inference().classifies()
                        ? "the network was not trained on these classes"
                        : "the network was trained with the pair loss '" + r.config().loss + "' and has no class weights");
                out.printf(Locale.ROOT, "precision@1 %.4f   R-precision %.4f   MAP@R %.4f   NMI of k-means %.4f"
                        + "   (%d queries, cosine similarity)%n", e.quality().retrieval().precisionAt1(),
                        e.quality().retrieval().rPrecision(), e.quality().retrieval().mapAtR(), e.quality().nmi(),
                        e.quality().retrieval().queries());
                out.printf(Locale.ROOT, "C-Inter %.4f (raw class means)   %.4f (means of L2-normalised features), radians%n",
                        a.cInterRaw(), a.cInterNorm());
                out.println("top-1/top-5 error, W-Inter, WC-Intra and the confusion matrix: not applicable");
            } else {
                out.printf(Locale.ROOT, "top-1 error %.2f%%   top-5 error %s%n", e.top1Error(),
                        Double.isNaN(e.top5Error()) ? "n/a (" + r.classNames().size() + " classes: all are in the top five)"
                                : String.format(Locale.ROOT, "%.2f%%", e.top5Error()));
                out.printf(Locale.ROOT, "W-Inter %.4f   C-Inter %.4f   WC-Intra %.4f   (raw class means, radians)%n",
                        a.wInter(), a.cInterRaw(), a.wcIntraRaw());
                out.printf(Locale.ROOT, "                 C-Inter %.4f   WC-Intra %.4f   (means of L2-normalised features)%n",
                        a.cInterNorm(), a.wcIntraNorm());
                printConfusion(out, e.confusion(), r.classNames());
            }
            // Verification and retrieval need only the features, so they apply to every run and split.
            Embeddings emb = r.embed(data);
            VerificationPairs pairs = VerificationPairs.build(emb.labels(), maxPositives, pairsSeed);
            VerificationMetrics v = VerificationMetrics.compute(pairs.cosines(emb.features(), emb.dim()), pairs.same(),
                    VerificationMetrics.DEFAULT_FARS);
            out.printf(Locale.ROOT, "verification on %d positive and %d negative pairs (seed %d), cosine similarity:%n",
                    v.positives(), v.negatives(), pairsSeed);
            out.printf(Locale.ROOT, "  ROC AUC %.4f   EER %.2f%%   best accuracy %.2f%% at cos >= %.4f%n", v.auc(),
                    100 * v.eer(), 100 * v.bestAccuracy(), v.bestThreshold());
            for (int i = 0; i < v.fars().length; i++) {
                out.printf(Locale.ROOT, "  TAR at FAR %-6s %s%n", VerificationRecord.farKey(v.fars()[i]),
                        Double.isNaN(v.tarAtFar()[i]) ? "n/a (fewer than 1/FAR negative pairs)"
                                : String.format(Locale.ROOT, "%.2f%% (cos >= %.4f)", 100 * v.tarAtFar()[i], v.thresholdAtFar()[i]));
            }
            RetrievalMetrics direct = RetrievalMetrics.compute(emb.features(), emb.dim(), emb.labels());
            out.printf(Locale.ROOT, "retrieval (every image against all others): P@1 %.4f   R-precision %.4f   MAP@R %.4f%n",
                    direct.precisionAt1(), direct.rPrecision(), direct.mapAtR());
            RetrievalMetrics through = null;
            Path idx = index != null ? index : RunFiles.index(run.dir, "test");
            if (split.equals("test") && (index != null || Files.isDirectory(idx))) {
                through = throughIndex(out, r, idx);
            }
            if (split.equals("test")) {
                VerificationRecord.write(run.dir, split, r.checkpointStep(), r.checkpointDigest(), maxPositives, pairsSeed, v,
                        through, through == null ? null : idx);
                out.println("wrote " + run.dir.resolve(VerificationRecord.FILE) + " and " + run.dir.resolve(VerificationRecord.ROC_FILE));
            }
        }
        out.flush();
        return 0;
    }

    /** The retrieval metrics through the run's index of the test split, or null when it indexes something else. */
    private static RetrievalMetrics throughIndex(PrintWriter out, TrainedRun r, Path idx) throws java.io.IOException {
        try (EmbeddingIndex i = EmbeddingIndex.open(idx)) {
            IndexProvenance p = i.provenance();
            if (!p.checkpointDigest().equals(r.checkpointDigest()) || !i.imageSets().equals(List.of("split test"))) {
                out.println("index " + idx + " does not hold exactly this checkpoint's test split; no retrieval through it");
                return null;
            }
            long start = System.nanoTime();
            RetrievalMetrics m = IndexRetrieval.measure(i, false);
            out.printf(Locale.ROOT, "retrieval through the index %s (HNSW, %d queries, %.1f s): P@1 %.4f   R-precision %.4f"
                    + "   MAP@R %.4f%n", idx, m.queries(), (System.nanoTime() - start) / 1e9, m.precisionAt1(),
                    m.rPrecision(), m.mapAtR());
            return m;
        }
    }

    private static void printConfusion(PrintWriter out, ConfusionMatrix m, List<String> names) {
        int c = m.numClasses();
        out.println("confusion matrix (rows: true class, columns: predicted class) and per-class accuracy:");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-16s", ""));
        for (int j = 0; j < c; j++) {
            head.append(String.format(Locale.ROOT, "%6d", j));
        }
        out.println(head.append("    acc%"));
        long[][] counts = m.counts();
        for (int i = 0; i < c; i++) {
            long total = 0;
            for (long v : counts[i]) {
                total += v;
            }
            double acc = total == 0 ? Double.NaN : 100.0 * counts[i][i] / total;
            String n = i + " " + names.get(i);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-16.16s", n));
            for (int j = 0; j < c; j++) {
                row.append(String.format(Locale.ROOT, "%6d", counts[i][j]));
            }
            out.println(row.append(String.format(Locale.ROOT, "  %6.2f", acc)));
        }
    }
}
