package io.anglearn.cli;

import ai.djl.ndarray.types.Shape;
import io.anglearn.bench.TrainStepBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anglearn bench}: times the training step and evaluation on synthetic input. */
@Command(name = "bench",
        header = "Time the training step and evaluation on synthetic input.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time the training step (forward, backward, update) and evaluation on synthetic input; prints JSON.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--arch", defaultValue = "resnet20", description = "Backbone (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--input", defaultValue = "1x28x28", description = "One image as CxHxW (default: ${DEFAULT-VALUE}).")
    String input;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--loss", defaultValue = "arc", description = "Loss (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed iterations first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", defaultValue = "20", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public Integer call() {
        String[] d = input.toLowerCase(java.util.Locale.ROOT).split("x");
        if (d.length != 3) {
            throw new IllegalArgumentException("--input must be CxHxW, e.g. 3x32x32, got '" + input + "'");
        }
        Shape shape;
        try {
            shape = new Shape(Long.parseLong(d[0]), Long.parseLong(d[1]), Long.parseLong(d[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--input must be CxHxW with positive integers, got '" + input + "'");
        }
        if (batch <= 0 || warmup < 0 || iterations <= 0) {
            throw new IllegalArgumentException("--batch-size and --iterations must be > 0 and --warmup >= 0");
        }
        System.out.println(TrainStepBenchmark.run(arch, shape, batch, loss, warmup, iterations).toJson());
        return 0;
    }
}
