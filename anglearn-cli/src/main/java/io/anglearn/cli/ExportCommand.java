package io.anglearn.cli;

import io.anglearn.export.OnnxExporter;
import io.anglearn.run.TrainedRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anglearn export}: writes a trained run's network as an ONNX model, with a JSON model card
 * beside it, for ONNX Runtime, DJL's ONNX Runtime engine or any other ONNX consumer.
 */
@Command(name = "export",
        header = "Export a trained network to ONNX (image to embedding), with a model card.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write the run's network as an ONNX model (IR 8, opset 17, dynamic batch) from image to"
                + " embedding, optionally with the L2-normalised embedding, the class cosines and the logits of the"
                + " run's loss, and a JSON model card beside it (NAME.card.json). The model's metadata_props name the"
                + " input layout, image size, channels, mean and std, class names, loss, checkpoint SHA-256 and"
                + " version. The run directory is only read; the model appears whole or not at all.")
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TrainedRunOptions.Run run;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "onnx",
            description = "onnx (the default, and the only format).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "The model file, e.g. model.onnx; its folder must exist.")
    Path out;

    @Option(names = "--outputs", paramLabel = "LIST", split = ",", defaultValue = "embedding",
            description = "Outputs, comma-separated: embedding (always), normalized, cosines, logits"
                    + " (the last two not for a pair loss). Default: embedding.")
    List<String> outputs = new ArrayList<>();

    @Option(names = "--include-preprocessing",
            description = "Take uint8 N x H x W x C pixels (decoded image bytes) and normalise them inside the"
                    + " graph, instead of normalised N x C x H x W floats.")
    boolean includePreprocessing;

    @Option(names = "--force", description = "Replace an existing model file and model card.")
    boolean force;

    @Mixin
    TrainedRunOptions.Checkpoint checkpoint;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        if (!"onnx".equals(format.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("--format " + format + " is not supported; expected onnx");
        }
        EnumSet<OnnxExporter.Output> chosen = EnumSet.noneOf(OnnxExporter.Output.class);
        for (String o : outputs) {
            try {
                chosen.add(OnnxExporter.Output.parse(o));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--outputs: " + e.getMessage());
            }
        }
        checkpoint.check();
        PathOptions.runDirectory("--run", run.dir);
        checkOut();
        OnnxExporter.Options options = new OnnxExporter.Options(chosen, includePreprocessing, force);
        try (TrainedRun r = TrainedRun.open(run.dir, checkpoint.which)) {
            OnnxExporter.Result result = OnnxExporter.export(r, out, options);
            w.printf("ONNX model of %s (%s, checkpoint at step %d), %,d bytes, SHA-256 %s:%n", run.dir,
                    r.config().arch, r.checkpointStep(), result.bytes(), result.sha256());
            w.println("  " + result.model());
            w.println("  " + result.card());
            w.printf("input %s, outputs %s%n", result.input(), String.join(", ", result.outputs()));
        }
        w.flush();
        return 0;
    }

    /** The output's checks, named by option, before the run is opened. */
    private void checkOut() {
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("--out " + out + ": its folder " + parent + " does not exist; create it"
                    + " first");
        }
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a folder; expected a file name such as model.onnx");
        }
        if (!force) {
            for (Path p : List.of(out, OnnxExporter.cardFile(out))) {
                if (Files.exists(p)) {
                    throw new IllegalArgumentException("--out: " + p + " already exists; give --force to replace it");
                }
            }
        }
        if (!Files.isWritable(parent)) {
            throw new IllegalArgumentException("--out " + out + ": its folder " + parent
                    + (readOnly(parent) ? " is on a read-only file system" : " is not writable"));
        }
        PathOptions.writableFile("--out", out);
    }

    private static boolean readOnly(Path dir) {
        try {
            return Files.getFileStore(dir).isReadOnly();
        } catch (java.io.IOException e) {
            return false; // then "not writable" is all that can be said
        }
    }
}
