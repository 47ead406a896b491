package io.anglearn.cli;

import io.anglearn.train.CheckpointStore;
import io.anglearn.train.Prediction;
import io.anglearn.train.TrainedRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn predict}: classifies image files with a trained run. */
@Command(name = "predict",
        header = "Classify image files with a trained run.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify image files (PNG, JPEG, BMP, GIF) with a trained run; prints the predicted class",
            "and the cosine similarity of the image's feature to each class's weight vector.",
            "Images are converted to the run's channels and resized to its image size."})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "The run directory.")
    Path run;

    @Option(names = "--checkpoint", paramLabel = "WHICH", defaultValue = "last",
            description = "last (default), best, or step-N.")
    String checkpoint;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CheckpointStore.checkName(checkpoint);
        try (TrainedRun r = TrainedRun.open(run, checkpoint)) {
            List<String> names = r.classNames();
            for (Prediction p : r.predict(images)) {
                out.printf(Locale.ROOT, "%s: %d %s (cos %.4f)%n", p.source(), p.predicted(), p.className(),
                        p.cosines()[p.predicted()]);
                StringBuilder sb = new StringBuilder("  cos:");
                for (int j = 0; j < names.size(); j++) {
                    sb.append(String.format(Locale.ROOT, " %s=%.4f", names.get(j).replace(' ', '_'), p.cosines()[j]));
                }
                out.println(sb);
            }
        }
        out.flush();
        return 0;
    }
}
