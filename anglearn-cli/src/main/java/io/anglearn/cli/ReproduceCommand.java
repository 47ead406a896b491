package io.anglearn.cli;

import io.anglearn.data.DatasetLocator;
import io.anglearn.data.DatasetSpec;
import io.anglearn.data.Datasets;
import io.anglearn.engine.Devices;
import io.anglearn.rundir.AtomicFiles;
import io.anglearn.study.Scale;
import io.anglearn.study.SlurmJob;
import io.anglearn.study.Studies;
import io.anglearn.study.Study;
import io.anglearn.study.StudyCell;
import io.anglearn.study.StudyFigures;
import io.anglearn.study.StudyRunner;
import io.anglearn.study.StudyTable;
import io.anglearn.util.NameSuggestions;
import io.anglearn.util.Words;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn reproduce}: runs one of the paper's studies and tabulates it beside the paper's numbers. */
@Command(name = "reproduce",
        header = "Run a study reproducing one of the paper's tables or figures.",
        mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = SettingOptions.ForReproduce.class,
        description = "Run a study reproducing a table or figure of the paper (losses x settings x seeds); "
                + "skips finished runs, is safe to run twice at once, and writes results/<study>/table.md and .csv. "
                + "A study shrunk by --epochs, --limit-train or --limit-test is a smoke run: it goes to "
                + "runs/smoke/<scale>-<overrides>/<study>, never over the committed results.")
final class ReproduceCommand implements Callable<Integer> {

    /** The scheduler formats {@code --emit} writes. */
    static final List<String> EMIT_FORMATS = List.of("slurm");

    @Spec
    CommandSpec spec;

    @Option(names = "--study", paramLabel = "NAME", required = true,
            description = "table4, table5, table6, table7, tables2-3, figure5, figure6, figure7, figure8, unseen"
                    + " (retrieval on classes not trained on, every loss family), or ablation (Table 5 with one protocol"
                    + " choice changed at a time: shortcut, initialisations, Adam's epsilon, the last batch).")
    String study;

    @Option(names = "--scale", paramLabel = "SCALE", defaultValue = "cpu", description = "cpu (the quick smoke scale: data subsets, a few"
            + " epochs, under an hour per study on 2 cores), full (all of the data, 10 or 15 epochs, hours on 2 cores),"
            + " paper (the paper's protocol, for a GPU) or paper-budget (the paper's networks, data and epochs with"
            + " peak lr 3e-3 for every loss) (default: ${DEFAULT-VALUE}).")
    String scale;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3", description = "Seeds per cell (default: ${DEFAULT-VALUE}).")
    int seeds;

    // Here SettingOptions.ForReproduce inserts --device and --data-dir, the settings of every cell.

    /** {@code --device}: the device of every cell. */
    private String device;

    /** {@code --data-dir}: where every cell looks for its dataset first, or null. */
    private String dataDir;

    @Option(names = "--results-dir", paramLabel = "DIR", description = "Parent of the study's directory (default:"
            + " results for --scale full, results/<scale> for the others, runs/smoke/<scale>-<overrides> for a smoke run).")
    Path resultsDir;

    @Option(names = "--cell", paramLabel = "CELL", description = "Run only the cell with this index (0-based; see --list), e.g. from a cluster array task.")
    Integer cell;

    @Option(names = "--aggregate", description = "Only build the tables from the finished cells.")
    boolean aggregateOnly;

    @Option(names = "--list", description = "List the study's cells with their indices and state, and exit.")
    boolean list;

    @Option(names = "--losses", paramLabel = "LIST", split = ",", description = "Run only these losses (columns), e.g. soft,arc.")
    List<String> losses;

    @Option(names = "--wait-for-lock", hidden = true, description = "With --cell: wait for the cell's lock instead of skipping it.")
    boolean waitForLock;

    @Option(names = "--emit", paramLabel = "FORMAT", description = "Instead of running, write scripts for a cluster scheduler: slurm.")
    String emit;

    @Option(names = "--emit-dir", paramLabel = "DIR", description = "Where --emit writes its scripts (default: results/<study>/slurm).")
    Path emitDir;

    @Option(names = "--partition", paramLabel = "NAME", description = "Slurm partition (default: the cluster's default).")
    String partition;

    @Option(names = "--account", paramLabel = "NAME", description = "Slurm account (default: the user's default).")
    String account;

    @Option(names = "--gpus-per-task", paramLabel = "GPUS_PER_TASK", defaultValue = "0", description = "GPUs per array task; > 0 trains on gpu (default: ${DEFAULT-VALUE}).")
    int gpusPerTask;

    @Option(names = "--cpus-per-task", paramLabel = "N", defaultValue = "2", description = "CPUs per array task (default: ${DEFAULT-VALUE}).")
    int cpusPerTask;

    @Option(names = "--mem", paramLabel = "SIZE", description = "Memory per array task, e.g. 16G (default: the partition's).")
    String memory;

    @Option(names = "--time", paramLabel = "HH:MM:SS", description = "Time limit per array task, HH:MM:SS (default: the partition's).")
    String time;

    @Option(names = "--max-parallel", paramLabel = "N", defaultValue = "0", description = "Array tasks running at once (0 = no limit).")
    int maxParallel;

    @Option(names = "--anglearn-command", paramLabel = "COMMAND", description = "How a node runs anglearn (default: java -jar <this jar>, by absolute path).")
    String anglearnCommand;

    @Option(names = "--epochs", paramLabel = "EPOCHS", defaultValue = "0", description = "Override every cell's epochs (smoke runs; 0 = keep).")
    int epochs;

    @Option(names = "--limit-train", paramLabel = "N", defaultValue = "0", description = "Override every cell's training subset (0 = keep).")
    int limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", defaultValue = "0", description = "Override every cell's test subset (0 = keep).")
    int limitTest;

    @Override
    public Integer call() throws Exception {
        SettingOptions settings = SettingOptions.given(spec);
        device = (String) settings.valueOrDefault("device");
        dataDir = (String) settings.value("dataDir");
        Scale sc = Scale.parse(scale);
        if (dataDir != null) {
            PathOptions.existingDirectory("--data-dir", Path.of(dataDir));
        }
        DatasetLocator locator = new DatasetLocator(dataDir == null ? null : Path.of(dataDir));
        Study s = Studies.create(study, sc, seeds, name -> present(name, locator))
                .withOverrides(epochs, limitTrain, limitTest);
        Path committed = sc.resultsDir(Path.of("results"));
        String smoke = smokeName(sc, epochs, limitTrain, limitTest);
        if (smoke != null && resultsDir != null && same(resultsDir, committed)) {
            throw new IllegalArgumentException("--results-dir " + resultsDir + " holds the study's committed results;"
                    + " a study shrunk by --epochs, --limit-train or --limit-test would overwrite them. Leave"
                    + " --results-dir out (it then goes to " + Path.of("runs", "smoke", smoke) + ") or name another folder");
        }
        if (resultsDir == null) {
            resultsDir = smoke != null ? Path.of("runs", "smoke", smoke) : committed;
        }
        if (emit != null) {
            emit = NameSuggestions.resolve("--emit", emit, EMIT_FORMATS);
        }
        Devices.checkNames(device);
        PathOptions.writableDirectory("--results-dir", resultsDir);
        if (emitDir != null) {
            PathOptions.writableDirectory("--emit-dir", emitDir);
        }
        if (cell != null) {
            s.cell(cell); // checks the index before any work
        }
        if (losses != null && !losses.isEmpty()) {
            s = s.withColumns(losses);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (emit != null) {
            return emitScripts(s, out);
        }
        StudyRunner runner = new StudyRunner(s, resultsDir, device, dataDir);
        runner.checkDirectory();
        if (smoke != null) {
            log(out, "smoke run (" + smoke + "): writing to " + runner.studyDir() + ", not " + committed.resolve(s.name()));
        }
        if (list) {
            for (int i = 0; i < s.cells().size(); i++) {
                StudyCell c = s.cell(i);
                out.printf("%3d  %-28s %-34s %s%n", i, c.id(), runner.status(c),
                        c.config().dataset + " " + c.config().arch + " " + Words.count(c.config().epochs, "epoch"));
            }
            out.flush();
            return 0;
        }
        if (!aggregateOnly) {
            if (cell != null) {
                runner.runCell(cell, line -> log(out, line), waitForLock);
                if (runner.aggregateIfComplete()) {
                    log(out, "all cells finished; tables: " + runner.studyDir().resolve("table.md"));
                }
                return 0;
            } else {
                Map<String, StudyRunner.Outcome> outcomes = runner.runAll(line -> log(out, line));
                long locked = outcomes.values().stream().filter(o -> o == StudyRunner.Outcome.SKIPPED_LOCKED).count();
                if (locked > 0) {
                    log(out, locked + " cell(s) are being trained by another process; run --aggregate when they finish");
                }
            }
        }
        runner.claimDirectory(); // the tables and figures below belong to this study and scale
        StudyTable table = StudyTable.aggregate(s, runner);
        table.write(runner.studyDir());
        log(out, "tables: " + runner.studyDir().resolve("table.md") + (table.complete() ? "" : " (incomplete)"));
        List<String> figures = StudyFigures.write(s, runner);
        if (!figures.isEmpty()) {
            log(out, "figures: " + String.join(", ", figures) + " (.png, .svg, .csv) in " + runner.studyDir());
        }
        if (table.complete()) {
            System.setProperty("java.awt.headless", "true");
            log(out, "report: " + StudyFigures.writeReport(s, runner) + " (the first seed of each cell)");
        }
        return 0;
    }

    private int emitScripts(Study s, PrintWriter out) throws Exception {
        if (cell != null || aggregateOnly || list) {
            throw new IllegalArgumentException("--emit cannot be combined with --cell, --aggregate or --list");
        }
        Path results = resultsDir.toAbsolutePath().normalize();
        Path dir = (emitDir != null ? emitDir : results.resolve(s.name()).resolve("slurm")).toAbsolutePath().normalize();
        List<String> args = new ArrayList<>(List.of("--study", study, "--scale", scale, "--seeds", String.valueOf(seeds),
                "--results-dir", results.toString(), "--device", gpusPerTask > 0 ? "gpu" : device));
        if (dataDir != null) {
            args.addAll(List.of("--data-dir", Path.of(dataDir).toAbsolutePath().normalize().toString()));
        }
        if (losses != null && !losses.isEmpty()) {
            args.addAll(List.of("--losses", String.join(",", losses)));
        }
        if (epochs > 0) {
            args.addAll(List.of("--epochs", String.valueOf(epochs)));
        }
        if (limitTrain > 0) {
            args.addAll(List.of("--limit-train", String.valueOf(limitTrain)));
        }
        if (limitTest > 0) {
            args.addAll(List.of("--limit-test", String.valueOf(limitTest)));
        }
        String command = anglearnCommand != null ? anglearnCommand : defaultCommand();
        SlurmJob job = SlurmJob.builder().setStudy(s).setAnglearnCommand(command)
                .setReproduceArgs(args.stream().map(ReproduceCommand::quote).collect(Collectors.joining(" ")))
                .setLogDir(quote(dir.resolve("logs").toString())).optPartition(partition).optAccount(account)
                .optGpusPerTask(gpusPerTask).optCpusPerTask(cpusPerTask).optMemory(memory).optTime(time)
                .optMaxParallel(maxParallel).build();
        String array = s.name() + "-array.sbatch";
        String tables = s.name() + "-tables.sbatch";
        String submit = "submit-" + s.name() + ".sh";
        Files.createDirectories(dir.resolve("logs"));
        AtomicFiles.writeString(dir.resolve(array), job.arrayScript());
        AtomicFiles.writeString(dir.resolve(tables), job.aggregateScript());
        AtomicFiles.writeString(dir.resolve(submit), job.submitScript(array, tables));
        dir.resolve(submit).toFile().setExecutable(true);
        log(out, "wrote " + dir.resolve(submit) + " (submits " + s.cells().size() + " array tasks and the tables job)");
        return 0;
    }

    /** java with the launcher's settings and this jar, by absolute path, for the nodes to run. */
    private static String defaultCommand() throws Exception {
        Path where = Path.of(ReproduceCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = Files.isDirectory(where) ? where.getParent().resolve("anglearn.jar") : where;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("cannot find the anglearn jar to run on the nodes (looked at " + jar
                    + "); build it with ./anglearn --version or pass --anglearn-command");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return quote(java) + " -Xmx6g -Dai.djl.offline=true -Dai.djl.pytorch.num_interop_threads=1"
                + " \"-Dai.djl.pytorch.num_threads=${SLURM_CPUS_PER_TASK:-2}\" -jar " + quote(jar.toAbsolutePath().toString());
    }

    /**
     * Names the folder of a study shrunk by overrides, so that a smoke run never writes over a
     * study's committed results and runs of different overrides do not mix.
     *
     * @return e.g. {@code cpu-epochs1-train1000-test500}, or null when nothing is overridden
     */
    static String smokeName(Scale scale, int epochs, int limitTrain, int limitTest) {
        if (epochs <= 0 && limitTrain <= 0 && limitTest <= 0) {
            return null;
        }
        return scale.id() + (epochs > 0 ? "-epochs" + epochs : "") + (limitTrain > 0 ? "-train" + limitTrain : "")
                + (limitTest > 0 ? "-test" + limitTest : "");
    }

    private static boolean same(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** Single-quotes a word for the shell. */
    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=,+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** Whether a dataset a study may include (CIFAR-100 in {@code unseen}) is found where training would look. */
    private static boolean present(String dataset, DatasetLocator locator) {
        try {
            Datasets.locate(DatasetSpec.of(dataset), locator);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void log(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
