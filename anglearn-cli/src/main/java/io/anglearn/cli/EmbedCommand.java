package io.anglearn.cli;

import io.anglearn.train.Embeddings;
import io.anglearn.train.CheckpointStore;
import io.anglearn.train.TrainedRun;
import io.anglearn.train.TrainingData;
import io.anglearn.util.NameSuggestions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn embed}: writes a split's embedded features for NumPy and TensorBoard's projector. */
@Command(name = "embed",
        header = "Write a split's embedded features as .npy and projector TSVs.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the embedded features of a split: FILE.npy (float32, N x d), FILE-labels.npy (int32, N),",
            "and TensorBoard projector files FILE-vectors.tsv and FILE-metadata.tsv."})
final class EmbedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "The run directory.")
    Path run;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", description = "test (default) or train.")
    String split;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The features file, e.g. test.npy.")
    Path out;

    @Option(names = "--checkpoint", paramLabel = "WHICH", defaultValue = "last",
            description = "last (default), best, or step-N.")
    String checkpoint;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        NameSuggestions.resolve("--split", split, TrainingData.SPLITS);
        CheckpointStore.checkName(checkpoint);
        PathOptions.writableFile("--out", out);
        try (TrainedRun r = TrainedRun.open(run, checkpoint)) {
            io.anglearn.data.ImageDataset data = r.split(split);
            Embeddings e = r.embed(data);
            TrainedRun.EmbeddingFiles f = r.writeEmbeddings(e, out, data.classNames());
            w.printf("%d features of dimension %d from %s (checkpoint at step %d):%n", e.count(), e.dim(), split,
                    r.checkpointStep());
            w.println("  " + f.features());
            w.println("  " + f.labels());
            w.println("  " + f.vectorsTsv());
            w.println("  " + f.metadataTsv());
        }
        w.flush();
        return 0;
    }
}
