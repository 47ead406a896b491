package io.anglearn.cli;

import io.anglearn.data.BadImagePolicy;
import io.anglearn.data.ImageDataset;
import io.anglearn.run.TrainedRun;
import io.anglearn.train.Embeddings;
import io.anglearn.train.TrainingData;
import io.anglearn.util.NameSuggestions;
import io.anglearn.util.Words;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code anglearn embed}: writes the embedded features of a split, or of given image files and
 * folders, for NumPy and TensorBoard's projector.
 */
@Command(name = "embed",
        header = "Write embedded features of a split or of image files as .npy and projector TSVs.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write the embedded features of a split, or of image files and folders (IMAGE...), as FILE.npy"
                + " (float32, N x d), FILE-labels.npy (int32, N), and TensorBoard projector files FILE-vectors.tsv"
                + " and FILE-metadata.tsv, whose columns are the label, the class and the image's source (its"
                + " file). Given images are labelled by the folder each is in (classes sorted by name).")
final class EmbedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TrainedRunOptions.Run run;

    @Option(names = "--split", paramLabel = "SPLIT", description = "test (default) or train; not with IMAGE.")
    String split;

    @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "Image files (PNG, JPEG, BMP, GIF) or folders of"
            + " them, embedded instead of a split.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The features file, e.g. test.npy.")
    Path out;

    @Mixin
    BadImagesOption badImages;

    @Mixin
    TrainedRunOptions.Checkpoint checkpoint;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        if (split != null && !images.isEmpty()) {
            throw new IllegalArgumentException("give either --split or IMAGE files and folders, not both");
        }
        String which = images.isEmpty() ? NameSuggestions.resolve("--split", split == null ? "test" : split,
                TrainingData.SPLITS) : null;
        checkpoint.check();
        BadImagePolicy policy = badImages.policy();
        PathOptions.writableFile("--out", out);
        List<Path> files = images.isEmpty() ? List.of() : TrainedRun.imageFiles(images);
        try (TrainedRun r = TrainedRun.open(run.dir, checkpoint.which)) {
            TrainedRun.ReadImages read = which != null ? null : r.readImages(files, policy);
            ImageDataset data = which != null ? r.split(which) : read.images();
            Embeddings e = r.embed(data);
            TrainedRun.EmbeddingFiles f = r.writeEmbeddings(e, out, data);
            w.printf("%d features of dimension %d from %s (checkpoint at step %d):%n", e.count(), e.dim(),
                    which != null ? which : Words.count(data.size(), "image file"), r.checkpointStep());
            w.println("  " + f.features());
            w.println("  " + f.labels());
            w.println("  " + f.vectorsTsv());
            w.println("  " + f.metadataTsv());
            if (read != null) {
                BadImagesOption.report(w, read.unreadable());
            }
        }
        w.flush();
        return 0;
    }
}
