package io.anglearn.study;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.anglearn.run.RunProvenance;
import io.anglearn.run.TrainingRun;
import io.anglearn.rundir.AtomicFiles;
import io.anglearn.rundir.RunFiles;
import io.anglearn.train.EpochRecord;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingListener;
import io.anglearn.util.Words;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs a study's cells under {@code results/<study>/}.
 *
 * <p>Each cell trains in {@code runs/<cell id>/}. A cell is complete when its {@code result.json}
 * exists (written atomically after training); complete cells are skipped. A cell is run only
 * while its lock file {@code runs/<cell id>.lock} is held (an OS file lock, released by the
 * operating system if the process dies), so two processes, or two array tasks of a cluster job,
 * never train the same cell; a cell locked elsewhere is skipped and reported. A run left
 * incomplete by an earlier process (killed, preempted, requeued) is resumed from its newest intact
 * checkpoint with {@link TrainingRun#resume(Path)}, which ends exactly where an uninterrupted run
 * would; it is started again from its beginning only when it has no configuration to resume from
 * or its configuration differs from the cell's (the study or the device changed meanwhile).
 */
public final class StudyRunner {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** The file in a study directory that names the study and scale it holds. */
    public static final String STUDY_MARK = "study.json";

    /** What happened to a cell. */
    public enum Outcome {
        /** Trained now. */
        TRAINED,
        /** Already complete. */
        SKIPPED_COMPLETE,
        /** Another process holds its lock. */
        SKIPPED_LOCKED
    }

    /** Where a cell stands, as {@code reproduce --list} shows it. */
    public enum CellState {
        /** Its result file exists. */
        DONE,
        /** A process holds its lock now. */
        RUNNING,
        /** A run was started and left unfinished; running the cell again resumes it. */
        PARTIAL,
        /** Never started. */
        PENDING
    }

    /**
     * A cell's state and how far its run got.
     *
     * @param state where the cell stands
     * @param epochsRecorded the epochs its run directory's {@code metrics.csv} records (0 if none)
     * @param epochs the epochs the cell trains for
     */
    public record CellStatus(CellState state, int epochsRecorded, int epochs) {

        /** Returns e.g. {@code running, 6 of 10 epochs recorded} or {@code done}. */
        @Override
        public String toString() {
            String name = state.name().toLowerCase(java.util.Locale.ROOT);
            return state == CellState.DONE || state == CellState.PENDING ? name
                    : name + ", " + epochsRecorded + " of " + Words.count(epochs, "epoch") + " recorded";
        }
    }

    private final Study study;
    private final Path studyDir;
    private final String device;
    private final String dataDir;

    /**
     * Creates a runner.
     *
     * @param study the study
     * @param resultsDir the parent of {@code <study>/}, usually {@code results}
     * @param device the device every cell trains on
     * @param dataDir the dataset folder to search first, or null
     */
    public StudyRunner(Study study, Path resultsDir, String device, String dataDir) {
        this.study = study;
        this.studyDir = resultsDir.resolve(study.name());
        this.device = device;
        this.dataDir = dataDir;
    }

    /** Returns {@code results/<study>}. */
    public Path studyDir() {
        return studyDir;
    }

    /**
     * Returns the folder holding the cells' run directories: {@code results/<study>/runs}, or the
     * other study's when this one's cells are that study's ({@link Study#runsOf()}).
     */
    public Path runsDir() {
        return study.runsOf() == null ? studyDir.resolve("runs") : studyDir.resolveSibling(study.runsOf()).resolve("runs");
    }

    /**
     * Runs every cell in order.
     *
     * @param log receives one line per cell
     * @return the outcome per cell id
     * @throws IOException if a run directory cannot be written
     */
    public Map<String, Outcome> runAll(Consumer<String> log) throws IOException {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < study.cells().size(); i++) {
            outcomes.put(study.cell(i).id(), runCell(i, log));
        }
        return outcomes;
    }

    /**
     * Runs one cell (a cluster array task runs exactly one).
     *
     * @param index the cell's index in the study
     * @param log receives progress lines
     * @return what happened
     * @throws IOException if the run directory cannot be written
     */
    public Outcome runCell(int index, Consumer<String> log) throws IOException {
        return runCell(index, log, false);
    }

    /**
     * Runs one cell, optionally waiting for its lock instead of skipping it.
     *
     * <p>A cluster array task owns its cell, so it waits: the only other holder can be an
     * earlier, cancelled attempt at the same cell whose process has not yet exited.
     *
     * @param index the cell's index in the study
     * @param log receives progress lines
     * @param waitForLock wait for the lock rather than skip a cell locked elsewhere
     * @return what happened
     * @throws IOException if the run directory cannot be written
     */
    public Outcome runCell(int index, Consumer<String> log, boolean waitForLock) throws IOException {
        StudyCell cell = study.cell(index);
        claimDirectory();
        Files.createDirectories(runsDir());
        Path runDir = runsDir().resolve(cell.id());
        if (isComplete(cell)) {
            log.accept(cell.id() + ": complete, skipped");
            return Outcome.SKIPPED_COMPLETE;
        }
        try (FileChannel ch = FileChannel.open(lockFile(cell), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = waitForLock ? ch.lock() : ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                log.accept(cell.id() + ": running in another process, skipped");
                return Outcome.SKIPPED_LOCKED;
            }
            try {
                // Checked again under the lock: another process may have finished it meanwhile.
                if (isComplete(cell)) {
                    log.accept(cell.id() + ": complete, skipped");
                    return Outcome.SKIPPED_COMPLETE;
                }
                TrainingConfig c = cell.config().copy();
                c.runsDir = runsDir().toString();
                c.name = cell.id();
                c.device = device;
                c.dataDir = dataDir;
                TrainingRun run = null;
                if (Files.exists(runDir)) {
                    run = resumable(runDir, c, log);
                    if (run == null) {
                        deleteTree(runDir);
                    }
                }
                long start = System.nanoTime();
                if (run == null) {
                    log.accept(cell.id() + ": training (" + c.dataset + ", " + c.describeBackbone() + ", " + c.loss + ", "
                            + Words.count(c.epochs, "epoch") + ", seed " + c.seed + ")");
                    run = new TrainingRun(c);
                }
                TrainingRun.Result r = run.execute(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochRecord rec) {
                        if (!rec.evaluated()) {
                            log.accept(cell.id() + ": epoch " + rec.epoch() + " (not evaluated)");
                        } else if (rec.quality() != null) {
                            log.accept(String.format(java.util.Locale.ROOT, "%s: epoch %d, MAP@R %.4f, P@1 %.4f",
                                    cell.id(), rec.epoch(), rec.mapAtR(), rec.quality().retrieval().precisionAt1()));
                        } else {
                            log.accept(String.format(java.util.Locale.ROOT, "%s: epoch %d, test error %.2f%%, WC-Intra %.4f",
                                    cell.id(), rec.epoch(), rec.testTop1Error(), rec.angles().wcIntraRaw()));
                        }
                    }
                });
                double seconds = (System.nanoTime() - start) / 1e9;
                EpochRecord last = r.epochs().get(r.epochs().size() - 1);
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("test_top1_err", last.testTop1Error());
                m.put("test_top5_err", last.testTop5Error());
                m.put("w_inter", last.angles().wInter());
                m.put("c_inter", last.angles().cInterRaw());
                m.put("wc_intra", last.angles().wcIntraRaw());
                m.put("c_inter_norm", last.angles().cInterNorm());
                m.put("wc_intra_norm", last.angles().wcIntraNorm());
                m.put("train_loss", last.trainLoss());
                if (last.quality() != null) {
                    // Evaluated by retrieval (test classes other than the training ones).
                    m.put("map_at_r", last.quality().retrieval().mapAtR());
                    m.put("p_at_1", last.quality().retrieval().precisionAt1());
                    m.put("r_precision", last.quality().retrieval().rPrecision());
                    m.put("nmi", last.quality().nmi());
                }
                CellResult result = new CellResult(cell.id(), cell.row(), cell.column(), cell.seed(), m, seconds,
                        RunProvenance.gitCommit(), io.anglearn.util.CpuInfo.describe(),
                        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                        summedTrainingSeconds(runDir), cell.config());
                AtomicFiles.writeString(resultFile(cell), GSON.toJson(result) + "\n");
                return Outcome.TRAINED;
            } finally {
                lock.release();
            }
        }
    }

    /**
     * Marks the study directory with the study's name and scale ({@code study.json}) unless an
     * earlier run did; see {@link #checkDirectory()}.
     *
     * @throws IOException if the mark cannot be read or written
     * @throws IllegalStateException if the directory belongs to another study or scale
     */
    public void claimDirectory() throws IOException {
        if (checkDirectory()) {
            return;
        }
        Files.createDirectories(studyDir);
        AtomicFiles.writeString(studyDir.resolve(STUDY_MARK), GSON.toJson(mark()) + "\n");
    }

    /**
     * Checks the mark ({@code study.json}) an earlier run left in the study directory: cells of
     * another scale share ids with this one's, so a directory holding them would be skipped as
     * complete or started again, mixing scales in one table.
     *
     * @return true if the directory is marked as this study's, false if it has no mark yet
     * @throws IOException if the mark cannot be read
     * @throws IllegalStateException if the directory belongs to another study or scale
     */
    public boolean checkDirectory() throws IOException {
        Path mark = studyDir.resolve(STUDY_MARK);
        if (!Files.isRegularFile(mark)) {
            return false;
        }
        Map<?, ?> found;
        try {
            found = GSON.fromJson(Files.readString(mark, StandardCharsets.UTF_8), Map.class);
        } catch (com.google.gson.JsonParseException e) {
            throw new IllegalStateException(mark + ": unreadable (" + e.getMessage() + "); it should name the study"
                    + " and scale of " + studyDir, e);
        }
        Map<String, String> wanted = mark();
        if (found == null || !wanted.get("study").equals(found.get("study"))
                || !wanted.get("scale").equals(found.get("scale"))) {
            throw new IllegalStateException(studyDir + " holds study '" + (found == null ? null : found.get("study"))
                    + "' at scale '" + (found == null ? null : found.get("scale")) + "', not '" + study.name()
                    + "' at scale '" + study.scale().id() + "'; choose another --results-dir");
        }
        return true;
    }

    private Map<String, String> mark() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("study", study.name());
        m.put("scale", study.scale().id());
        return m;
    }

    /**
     * Writes the tables when every cell has finished; a cluster's last array task to finish thus
     * leaves complete tables behind, whatever the order the tasks ran in.
     *
     * @return true if the study was complete and the tables were written
     * @throws IOException if the tables cannot be written
     */
    public boolean aggregateIfComplete() throws IOException {
        for (StudyCell c : study.cells()) {
            if (!isComplete(c)) {
                return false;
            }
        }
        StudyTable.aggregate(study, this).write(studyDir);
        StudyFigures.write(study, this);
        return true;
    }

    /**
     * Tells whether a cell has finished.
     *
     * @param cell the cell
     * @return true when its result file exists
     */
    public boolean isComplete(StudyCell cell) {
        return Files.isRegularFile(resultFile(cell));
    }

    /**
     * Tells where a cell stands: done, running in some process (its lock is held), partial (a run
     * directory an earlier process left unfinished), or pending. Reads only; creates no file.
     *
     * @param cell the cell
     * @return its state and the epochs its run has recorded
     */
    public CellStatus status(StudyCell cell) {
        int epochs = cell.config().epochs;
        int recorded = epochsRecorded(runsDir().resolve(cell.id()));
        if (isComplete(cell)) {
            return new CellStatus(CellState.DONE, recorded, epochs);
        }
        if (lockHeld(lockFile(cell))) {
            return new CellStatus(CellState.RUNNING, recorded, epochs);
        }
        return new CellStatus(Files.isDirectory(runsDir().resolve(cell.id())) ? CellState.PARTIAL : CellState.PENDING,
                recorded, epochs);
    }

    /** The cell's lock file, {@code runs/<cell id>.lock}: held by whichever process trains it. */
    private Path lockFile(StudyCell cell) {
        return runsDir().resolve(cell.id() + ".lock");
    }

    /** The data rows of a run's {@code metrics.csv}: one per finished epoch. */
    private static int epochsRecorded(Path runDir) {
        Path metrics = RunFiles.metrics(runDir);
        if (!Files.isRegularFile(metrics)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(metrics, StandardCharsets.UTF_8)) {
            return (int) Math.max(0, lines.filter(l -> !l.isBlank()).count() - 1);
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * Tells whether some process holds a cell's lock file, by trying to take it and letting go at
     * once. A lock file that is missing or cannot be opened for writing (a read-only copy of the
     * results) counts as not held.
     */
    private static boolean lockHeld(Path lockFile) {
        if (!Files.isRegularFile(lockFile)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this process holds it
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads a finished cell's result.
     *
     * @param cell the cell
     * @return its result, or null if it has not finished
     */
    public CellResult result(StudyCell cell) {
        Path f = resultFile(cell);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            CellResult r = GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), CellResult.class);
            if (r == null || r.metrics() == null) {
                throw new IOException(f + ": not a study cell result");
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (com.google.gson.JsonParseException e) {
            throw new IllegalStateException(f + ": unreadable study cell result (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Returns the incomplete run in {@code runDir} ready to resume, or null (logging why) when it
     * must start again: no readable configuration, or one that differs from the cell's.
     */
    private static TrainingRun resumable(Path runDir, TrainingConfig wanted, Consumer<String> log) {
        String id = runDir.getFileName().toString();
        if (!RunFiles.isRun(runDir)) {
            log.accept(id + ": incomplete run without a configuration found, starting it again");
            return null;
        }
        try {
            TrainingRun run = TrainingRun.resume(runDir);
            if (!run.config().toJson().equals(wanted.toJson())) {
                log.accept(id + ": incomplete run with another configuration found, starting it again");
                return null;
            }
            log.accept(id + ": incomplete run found, resuming it from its newest intact checkpoint");
            return run;
        } catch (IOException | RuntimeException e) {
            log.accept(id + ": incomplete run cannot be resumed (" + e.getMessage() + "), starting it again");
            return null;
        }
    }

    /**
     * Sums the {@code seconds} column of a run's {@code metrics.csv}: the training time of every
     * epoch, whichever process trained it (a resumed run's last process saw only its own epochs).
     */
    static double summedTrainingSeconds(Path runDir) throws IOException {
        Path csv = runDir.resolve("metrics.csv");
        try (java.io.Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                org.apache.commons.csv.CSVParser p = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader()
                        .setSkipHeaderRecord(true).get().parse(in)) {
            if (!p.getHeaderMap().containsKey("seconds")) {
                throw new IOException(csv + ": no seconds column");
            }
            double sum = 0;
            for (org.apache.commons.csv.CSVRecord r : p) {
                sum += Double.parseDouble(r.get("seconds"));
            }
            return sum;
        }
    }

    private Path resultFile(StudyCell cell) {
        return runsDir().resolve(cell.id()).resolve("result.json");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
