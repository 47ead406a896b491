package io.anglearn.cli;

import ai.djl.ndarray.types.Shape;
import io.anglearn.bench.TrainStepBenchmark;
import io.anglearn.loss.Losses;
import io.anglearn.model.Architectures;
import io.anglearn.util.NameSuggestions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anglearn bench}: times the training step and evaluation on synthetic input. */
@Command(name = "bench",
        header = "Time the training step and evaluation on synthetic input.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time the training step (forward, backward, update) and evaluation on synthetic input; prints JSON.")
final class BenchCommand implements Callable<Integer> {

    /** The most input values (batch x C x H x W) one synthetic batch may hold: 1 GiB of float32. */
    static final long MAX_BATCH_VALUES = 1L << 28;

    @Option(names = "--arch", paramLabel = "NAME", defaultValue = "resnet20", description = "Backbone (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--input", paramLabel = "CxHxW", defaultValue = "1x28x28", description = "One image as CxHxW (default: ${DEFAULT-VALUE}).")
    String input;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "arc", description = "Loss (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5", description = "Untimed iterations first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "20", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--memory-layout", paramLabel = "LAYOUT", defaultValue = "channels-last",
            description = "channels-last (what training uses) or nchw, to measure what the layout is worth (default: ${DEFAULT-VALUE}).")
    String memoryLayout;

    static final java.util.List<String> LAYOUTS = java.util.List.of("channels-last", "nchw");

    @Override
    public Integer call() {
        Shape shape = ModelCommand.parseInput(input);
        NameSuggestions.resolve("--arch", arch, Architectures.NAMES);
        NameSuggestions.resolve("--loss", loss, Losses.NAMES);
        if (batch < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batch);
        }
        if (batch * shape.size() > MAX_BATCH_VALUES) {
            throw new IllegalArgumentException("--batch-size " + batch + " of --input " + input + " is "
                    + batch * shape.size() + " values, more than the " + MAX_BATCH_VALUES + " a benchmark batch may hold");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations must be >= 1, got " + iterations);
        }
        boolean channelsLast = NameSuggestions.resolve("--memory-layout", memoryLayout, LAYOUTS).equals("channels-last");
        System.out.println(TrainStepBenchmark.run(arch, shape, batch, loss, warmup, iterations, channelsLast).toJson());
        return 0;
    }
}
