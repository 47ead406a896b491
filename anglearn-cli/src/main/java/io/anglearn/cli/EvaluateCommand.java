package io.anglearn.cli;

import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.ConfusionMatrix;
import io.anglearn.train.CheckpointStore;
import io.anglearn.train.Evaluation;
import io.anglearn.train.TrainedRun;
import io.anglearn.train.TrainingData;
import io.anglearn.util.NameSuggestions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn evaluate}: measures a trained run on a split. */
@Command(name = "evaluate",
        header = "Evaluate a trained run: errors, angle statistics, confusion matrix.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a trained run: top-1/top-5 error, angle statistics and the confusion matrix.",
            "A split the network does not classify (a run trained with a pair loss, or the test classes of a run",
            "trained on other classes) is evaluated by retrieval: precision@1, R-precision, MAP@R, k-means NMI, C-Inter."})
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "The run directory.")
    Path run;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", description = "test (default) or train.")
    String split;

    @Option(names = "--checkpoint", paramLabel = "WHICH", defaultValue = "last",
            description = "last (default), best, or step-N.")
    String checkpoint;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        NameSuggestions.resolve("--split", split, TrainingData.SPLITS);
        CheckpointStore.checkName(checkpoint);
        try (TrainedRun r = TrainedRun.open(run, checkpoint)) {
            Evaluation e = r.evaluate(r.split(split));
            AngleStatistics a = e.angles();
            out.printf(Locale.ROOT, "run %s, checkpoint at step %d, split %s (%d images)%n", run, r.checkpointStep(),
                    e.split(), e.images());
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
                out.flush();
                return 0;
            }
            out.printf(Locale.ROOT, "top-1 error %.2f%%   top-5 error %.2f%%%n", e.top1Error(), e.top5Error());
            out.printf(Locale.ROOT, "W-Inter %.4f   C-Inter %.4f   WC-Intra %.4f   (raw class means, radians)%n",
                    a.wInter(), a.cInterRaw(), a.wcIntraRaw());
            out.printf(Locale.ROOT, "                 C-Inter %.4f   WC-Intra %.4f   (means of L2-normalised features)%n",
                    a.cInterNorm(), a.wcIntraNorm());
            printConfusion(out, e.confusion(), r.classNames());
        }
        out.flush();
        return 0;
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
