package io.anglearn.cli;

import io.anglearn.study.Scale;
import io.anglearn.study.Studies;
import io.anglearn.study.Study;
import io.anglearn.study.StudyCell;
import io.anglearn.study.StudyRunner;
import io.anglearn.study.StudyTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn reproduce}: runs one of the paper's studies and tabulates it beside the paper's numbers. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a study reproducing a table or figure of the paper (losses x settings x seeds); "
                + "skips finished runs, is safe to run twice at once, and writes results/<study>/table.md and .csv.")
final class ReproduceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--study", required = true,
            description = "table4, table5, table6, table7, tables2-3, figure5, figure6, figure7 or figure8.")
    String study;

    @Option(names = "--scale", defaultValue = "cpu", description = "cpu (about two hours per study on 2 cores) or paper"
            + " (the paper's protocol, for a GPU) (default: ${DEFAULT-VALUE}).")
    String scale;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per cell (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--data-dir", description = "Folder holding the datasets (searched first).")
    String dataDir;

    @Option(names = "--results-dir", defaultValue = "results", description = "Parent of results/<study>/ (default: ${DEFAULT-VALUE}).")
    Path resultsDir;

    @Option(names = "--cell", description = "Run only the cell with this index (0-based; see --list), e.g. from a cluster array task.")
    Integer cell;

    @Option(names = "--aggregate", description = "Only build the tables from the finished cells.")
    boolean aggregateOnly;

    @Option(names = "--list", description = "List the study's cells with their indices and state, and exit.")
    boolean list;

    @Option(names = "--epochs", defaultValue = "0", description = "Override every cell's epochs (smoke runs; 0 = keep).")
    int epochs;

    @Option(names = "--limit-train", defaultValue = "0", description = "Override every cell's training subset (0 = keep).")
    int limitTrain;

    @Option(names = "--limit-test", defaultValue = "0", description = "Override every cell's test subset (0 = keep).")
    int limitTest;

    @Override
    public Integer call() throws Exception {
        Study s = Studies.create(study, Scale.parse(scale), seeds).withOverrides(epochs, limitTrain, limitTest);
        StudyRunner runner = new StudyRunner(s, resultsDir, device, dataDir);
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            for (int i = 0; i < s.cells().size(); i++) {
                StudyCell c = s.cell(i);
                out.printf("%3d  %-28s %-8s %s%n", i, c.id(), runner.isComplete(c) ? "done" : "pending",
                        c.config().dataset + " " + c.config().arch + " " + c.config().epochs + " epochs");
            }
            out.flush();
            return 0;
        }
        if (!aggregateOnly) {
            if (cell != null) {
                runner.runCell(cell, line -> log(out, line));
            } else {
                Map<String, StudyRunner.Outcome> outcomes = runner.runAll(line -> log(out, line));
                long locked = outcomes.values().stream().filter(o -> o == StudyRunner.Outcome.SKIPPED_LOCKED).count();
                if (locked > 0) {
                    log(out, locked + " cell(s) are being trained by another process; run --aggregate when they finish");
                }
            }
        }
        StudyTable table = StudyTable.aggregate(s, runner);
        table.write(runner.studyDir());
        log(out, "tables: " + runner.studyDir().resolve("table.md") + (table.complete() ? "" : " (incomplete)"));
        return 0;
    }

    private static void log(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
