package io.anglearn.cli;

import io.anglearn.report.LossCurveFigures;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn curves}: writes the paper's gradient figures 3 and 4 from the losses' autograd. */
@Command(name = "curves",
        header = "Write the paper's Figures 3 and 4 (gradient and confidence curves).",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write the paper's Figure 3 (∂z_y/∂θ_y of softmax, ArcFace, L-Softmax m=2,4 and the angular"
                + " loss) and Figure 4 (the angular loss's p_y and ∂L/∂θ_y for k = 1, 2, 4, 8, 16 at C = 10 and"
                + " 100), each as PNG, SVG and the CSV behind it, computed by autograd through the losses' own"
                + " code.")
final class CurvesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Folder to write the figures into (created if missing).")
    Path out;

    @Option(names = "--points", paramLabel = "N", defaultValue = "360", description = "θ values per curve, in (0, π) (default: ${DEFAULT-VALUE}).")
    int points;

    @Override
    public Integer call() throws Exception {
        if (points < 2 || points > 100_000) {
            throw new IllegalArgumentException("--points must be in [2, 100000], got " + points);
        }
        PathOptions.writableDirectory("--out", out);
        List<Path> files = LossCurveFigures.writeAll(out, points);
        PrintWriter w = spec.commandLine().getOut();
        for (Path f : files) {
            w.println(f);
        }
        w.flush();
        return 0;
    }
}
