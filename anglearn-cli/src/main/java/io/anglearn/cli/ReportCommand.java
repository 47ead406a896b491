package io.anglearn.cli;

import io.anglearn.report.HtmlReport;
import io.anglearn.record.RunArtifacts;
import io.anglearn.util.Words;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn report}: one self-contained HTML page comparing run directories side by side. */
@Command(name = "report",
        header = "Write a self-contained HTML report comparing runs.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a self-contained HTML report comparing runs: configuration differences, final"
                + " metrics, and the figures (WC-Intra by iteration, learning curves, 2-D scatter, target-angle"
                + " histograms, cosine-similarity matrix, confusion matrix). Figures are also written as PNG and SVG.")
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR",
            description = "A run directory (from anglearn train); repeat to compare runs.")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "FILE", description = "The HTML file (default: ${DEFAULT-VALUE}).",
            defaultValue = "report.html")
    Path out;

    @Option(names = "--figures", paramLabel = "DIR",
            description = "Folder for the PNG and SVG figures (default: the HTML file's name without .html, plus _figures).")
    Path figures;

    @Option(names = "--no-figure-files", paramLabel = "NO_FIGURE_FILES", description = "Only embed the figures in the HTML; write no PNG/SVG files.")
    boolean noFigureFiles;

    @Option(names = "--ridge-class", paramLabel = "LABEL",
            description = "The class whose target-angle histograms Figure 7 shows (default: ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int ridgeClass;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        PathOptions.writableFile("--out", out);
        if (figures != null) {
            PathOptions.writableDirectory("--figures", figures);
        }
        HtmlReport.Builder b = HtmlReport.builder().optRidgeClass(ridgeClass);
        for (Path run : runs) {
            b.addRun(RunArtifacts.load(run));
        }
        Path figureDir = null;
        if (!noFigureFiles) {
            String stem = out.getFileName().toString().replaceFirst("\\.html?$", "");
            figureDir = figures != null ? figures : out.toAbsolutePath().resolveSibling(stem + "_figures");
            b.optFiguresDir(figureDir);
        }
        HtmlReport report = b.build();
        report.write(out);
        PrintWriter pw = spec.commandLine().getOut();
        // The full path: by default the report lands in whatever folder the command was run from.
        pw.println("report: " + out.toAbsolutePath().normalize() + " (" + Words.count(runs.size(), "run") + ", "
                + Words.count(report.figureCount(), "figure")
                + (figureDir == null ? "" : "; PNG and SVG in " + figureDir.toAbsolutePath().normalize()) + ")");
        pw.flush();
        return 0;
    }
}
