package io.anglearn.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import io.anglearn.data.BadImagePolicy;
import io.anglearn.run.TrainedRun;
import io.anglearn.train.Prediction;
import io.anglearn.train.PredictionJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn predict}: classifies image files, or every image in folders, with a trained run. */
@Command(name = "predict",
        header = "Classify image files with a trained run.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Classify image files (PNG, JPEG, BMP, GIF), or every such file under given folders, with a"
                + " trained run; prints the predicted class and, most probable first, each class's probability"
                + " (the softmax of the logits the run's loss was trained with, without its margin) and the cosine"
                + " similarity of the image's feature to its weight vector. Images are converted to the run's channels and"
                + " resized to its image size. Every file is read before any is classified; unreadable ones are"
                + " all named.")
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TrainedRunOptions.Run run;

    @Mixin
    TrainedRunOptions.Checkpoint checkpoint;

    @Option(names = "--top-k", paramLabel = "K", description = "Show the K most probable classes of each image"
            + " (default: every class).")
    Integer topK;

    @Option(names = "--json", description = "Print one JSON array, an object per image, in the form POST /predict"
            + " answers: source, classIndex, className, probability and cosine of the predicted class, and top, the"
            + " most probable classes with the same four fields.")
    boolean json;

    @Mixin
    BadImagesOption badImages;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files, or folders of them (searched"
            + " recursively, in name order).")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        checkpoint.check();
        if (topK != null && topK < 1) {
            throw new IllegalArgumentException("--top-k must be >= 1, got " + topK);
        }
        BadImagePolicy policy = badImages.policy();
        try (TrainedRun r = TrainedRun.open(run.dir, checkpoint.which)) {
            List<Path> files = TrainedRun.imageFiles(images);
            List<String> names = r.classNames();
            int k = topK == null ? names.size() : Math.min(topK, names.size());
            List<Prediction> predictions;
            if (policy == BadImagePolicy.STOP) {
                predictions = r.predict(files);
            } else {
                TrainedRun.ReadImages read = r.readImages(files, policy);
                // On stderr, so that --json's output stays one JSON document.
                BadImagesOption.report(spec.commandLine().getErr(), read.unreadable());
                predictions = r.predict(read.images());
            }
            JsonArray rows = new JsonArray();
            for (Prediction p : predictions) {
                if (json) {
                    rows.add(PredictionJson.toJson(p, names, k));
                    continue;
                }
                out.printf(Locale.ROOT, "%s: %d %s (probability %.4f, cosine %.4f)%n", p.source(), p.predicted(),
                        p.className(), p.probabilities()[p.predicted()], p.cosines()[p.predicted()]);
                StringBuilder sb = new StringBuilder("  top:");
                for (int j : PredictionJson.order(p, k)) {
                    sb.append(String.format(Locale.ROOT, " %s=%.4f (cos %.4f)", names.get(j).replace(' ', '_'),
                            p.probabilities()[j], p.cosines()[j]));
                }
                out.println(sb);
            }
            if (json) {
                out.println(new GsonBuilder().setPrettyPrinting().create().toJson(rows));
            }
        }
        out.flush();
        return 0;
    }
}
