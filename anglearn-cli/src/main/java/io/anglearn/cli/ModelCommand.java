package io.anglearn.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anglearn.engine.Engines;
import io.anglearn.loss.ClassifierHead;
import io.anglearn.loss.HeadKind;
import io.anglearn.model.Architectures;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.model.ModelSummary;
import io.anglearn.train.TrainingConfig;
import io.anglearn.util.NameSuggestions;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn model}: prints a network's layers, parameter count and multiply-accumulates per image. */
@Command(name = "model",
        header = "Print a network's layers, parameters and multiply-accumulates.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print a network's layer table (output shape, parameters, multiply-accumulates), its parameter"
                + " count and its multiply-accumulates (MACs) per image. MACs count convolutions and linear"
                + " layers, from their shapes; BatchNorm, ReLU, residual additions and pooling are left out.")
final class ModelCommand implements Callable<Integer> {

    /** The most classes a head may have here: a million rows of W. */
    static final int MAX_CLASSES = 1_000_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--arch", paramLabel = "NAME", description = "Backbone: resnet18, resnet20, resnet32, resnet34, resnet44, resnet56,"
            + " resnet110 (default: ${DEFAULT-VALUE}).", defaultValue = "resnet20")
    String arch;

    @Option(names = "--classes", paramLabel = "N", description = "Number of classes C of the head (default: ${DEFAULT-VALUE}).",
            defaultValue = "10")
    int classes;

    @Option(names = "--embedding-dim", paramLabel = "EMBEDDING_DIM", description = "Project features to d dimensions (0 = none; default:"
            + " ${DEFAULT-VALUE}).", defaultValue = "0")
    int embeddingDim;

    @Option(names = "--input", paramLabel = "CxHxW", description = "One image's shape CxHxW, e.g. 1x28x28 (default: ${DEFAULT-VALUE}).",
            defaultValue = "3x32x32")
    String input;

    @Option(names = "--depth", paramLabel = "N", description = "Levels of blocks to list: 1 = backbone/projection/head, 2 adds the"
            + " residual blocks, 0 = every layer (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int depth;

    @Override
    public Integer call() {
        Shape image = parseInput(input);
        NameSuggestions.resolve("--arch", arch, Architectures.NAMES);
        if (classes < 2 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException("--classes must be in 2.." + MAX_CLASSES + ", got " + classes);
        }
        if (embeddingDim < 0 || embeddingDim > TrainingConfig.MAX_EMBEDDING_DIM) {
            throw new IllegalArgumentException("--embedding-dim must be in 0.." + TrainingConfig.MAX_EMBEDDING_DIM
                    + " (0 = none), got " + embeddingDim);
        }
        if (depth < 0) {
            throw new IllegalArgumentException("--depth must be >= 0 (0 = every layer), got " + depth);
        }
        // The head's kind changes no count: both kinds hold the same C×d weights.
        EmbeddingNetwork net = new EmbeddingNetwork(Architectures.backbone(arch), embeddingDim,
                new ClassifierHead(classes, HeadKind.LINEAR));
        PrintWriter out = spec.commandLine().getOut();
        try (NDManager manager = Engines.pytorch().newBaseManager(Device.cpu())) {
            net.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(image));
            ModelSummary summary = depth == 0 ? ModelSummary.of(net) : ModelSummary.of(net, depth);
            long features = net.getOutputShapes(new Shape[] {new Shape(1).addAll(image)})[0].get(1);
            out.printf(Locale.ROOT, "%s, input %s, %d classes, embedded feature x: %d values (%s)%n",
                    arch.toLowerCase(Locale.ROOT), input, classes, features,
                    embeddingDim == 0 ? "the pooled backbone output" : "a linear projection of the pooled output");
            out.print(summary.toTable());
        }
        out.flush();
        return 0;
    }

    /** Parses {@code CxHxW}. */
    static Shape parseInput(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
        String expected = "--input must be CxHxW with positive integers (e.g. 3x32x32), got '" + text + "'";
        if (parts.length != 3) {
            throw new IllegalArgumentException(expected);
        }
        long[] dims = new long[3];
        for (int i = 0; i < 3; i++) {
            try {
                dims[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(expected, e);
            }
            if (dims[i] < 1) {
                throw new IllegalArgumentException(expected);
            }
        }
        if (dims[0] > 4096 || dims[1] > 65536 || dims[2] > 65536) {
            throw new IllegalArgumentException("--input " + text + " is larger than supported (at most 4096 channels"
                    + " and 65536x65536 pixels)");
        }
        return new Shape(dims);
    }
}
