package io.anglearn.cli;

import com.google.gson.GsonBuilder;
import io.anglearn.data.BadImagePolicy;
import io.anglearn.run.TrainedRun;
import io.anglearn.train.Prediction;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
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
                + " trained run; prints the predicted class and the cosine similarity of the image's feature to"
                + " the class weight vectors, most similar first. Images are converted to the run's channels and"
                + " resized to its image size. Every file is read before any is classified; unreadable ones are"
                + " all named.")
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TrainedRunOptions.Run run;

    @Mixin
    TrainedRunOptions.Checkpoint checkpoint;

    @Option(names = "--top-k", paramLabel = "K", description = "Show the K classes most similar to each image"
            + " (default: every class).")
    Integer topK;

    @Option(names = "--json", description = "Print one JSON array, an object per image: source, predicted class"
            + " index and name, and the top classes with their cosines.")
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
            List<Map<String, Object>> rows = new ArrayList<>();
            List<Prediction> predictions;
            if (policy == BadImagePolicy.STOP) {
                predictions = r.predict(files);
            } else {
                TrainedRun.ReadImages read = r.readImages(files, policy);
                // On stderr, so that --json's output stays one JSON document.
                BadImagesOption.report(spec.commandLine().getErr(), read.unreadable());
                predictions = r.predict(read.images());
            }
            for (Prediction p : predictions) {
                int[] order = IntStream.range(0, names.size()).boxed()
                        .sorted(Comparator.comparingDouble((Integer j) -> -p.cosines()[j]).thenComparingInt(j -> j))
                        .mapToInt(Integer::intValue).limit(k).toArray();
                if (json) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("source", p.source());
                    row.put("predicted", p.predicted());
                    row.put("class", p.className());
                    List<Map<String, Object>> top = new ArrayList<>();
                    for (int j : order) {
                        Map<String, Object> t = new LinkedHashMap<>();
                        t.put("index", j);
                        t.put("class", names.get(j));
                        t.put("cosine", p.cosines()[j]);
                        top.add(t);
                    }
                    row.put("top", top);
                    rows.add(row);
                    continue;
                }
                out.printf(Locale.ROOT, "%s: %d %s (cos %.4f)%n", p.source(), p.predicted(), p.className(),
                        p.cosines()[p.predicted()]);
                StringBuilder sb = new StringBuilder("  cos:");
                for (int j : order) {
                    sb.append(String.format(Locale.ROOT, " %s=%.4f", names.get(j).replace(' ', '_'), p.cosines()[j]));
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
