package io.anglearn.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hands a study's grid to Slurm: a job-array script with one array task per cell, a dependent
 * aggregation job, and a submit script that chains the two with {@code sbatch --dependency}.
 *
 * <p>Each array task runs {@code anglearn reproduce --cell $SLURM_ARRAY_TASK_ID} against a results
 * folder on a file system the nodes share. The per-cell lock and the skip of finished cells make
 * retries and requeues safe ({@code --requeue} is set), and the last task to finish writes the
 * tables; the dependent job writes them again once every task has ended, finished or not.
 */
public final class SlurmJob {

    private final Study study;
    private final String reproduceArgs;
    private final String anglearnCommand;
    private final String partition;
    private final int gpusPerTask;
    private final int cpusPerTask;
    private final String memory;
    private final String time;
    private final String account;
    private final int maxParallel;
    private final String logDir;

    private SlurmJob(Builder b) {
        study = b.study;
        reproduceArgs = b.reproduceArgs;
        anglearnCommand = b.anglearnCommand;
        partition = b.partition;
        gpusPerTask = b.gpusPerTask;
        cpusPerTask = b.cpusPerTask;
        memory = b.memory;
        time = b.time;
        account = b.account;
        maxParallel = b.maxParallel;
        logDir = b.logDir;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    private List<String> commonDirectives(String jobName) {
        List<String> d = new ArrayList<>();
        d.add("--job-name=" + jobName);
        if (partition != null) {
            d.add("--partition=" + partition);
        }
        if (account != null) {
            d.add("--account=" + account);
        }
        d.add("--ntasks=1");
        return d;
    }

    /** Renders the job-array script. */
    public String arrayScript() {
        List<String> d = commonDirectives("anglearn-" + study.name());
        int last = study.cells().size() - 1;
        d.add("--array=0-" + last + (maxParallel > 0 ? "%" + maxParallel : ""));
        d.add("--cpus-per-task=" + cpusPerTask);
        if (gpusPerTask > 0) {
            d.add("--gpus-per-task=" + gpusPerTask);
        }
        if (memory != null) {
            d.add("--mem=" + memory);
        }
        if (time != null) {
            d.add("--time=" + time);
        }
        d.add("--requeue");
        d.add("--open-mode=append");
        d.add("--output=" + logDir + "/%x-%A_%a.out");
        StringBuilder s = header(d, "One array task per cell of study " + study.name() + " (" + study.cells().size()
                + " cells, " + study.scale().id() + " scale).");
        s.append("echo \"cell ${SLURM_ARRAY_TASK_ID} of study ").append(study.name())
                .append(" on $(hostname), attempt ${SLURM_RESTART_COUNT:-0}\"\n");
        s.append("exec ").append(anglearnCommand).append(" reproduce ").append(reproduceArgs)
                .append(" --cell \"${SLURM_ARRAY_TASK_ID}\" --wait-for-lock\n");
        return s.toString();
    }

    /** Renders the aggregation job's script. */
    public String aggregateScript() {
        List<String> d = commonDirectives("anglearn-" + study.name() + "-tables");
        d.add("--cpus-per-task=1");
        d.add("--time=00:30:00");
        d.add("--output=" + logDir + "/%x-%j.out");
        StringBuilder s = header(d, "Builds the tables of study " + study.name() + " once every array task has ended.");
        s.append("exec ").append(anglearnCommand).append(" reproduce ").append(reproduceArgs).append(" --aggregate\n");
        return s.toString();
    }

    /**
     * Renders the submit script, which submits the array and the dependent aggregation job.
     *
     * @param arrayFile the array script's file name, beside the submit script
     * @param aggregateFile the aggregation script's file name, beside the submit script
     * @return the script
     */
    public String submitScript(String arrayFile, String aggregateFile) {
        return "#!/usr/bin/env bash\n"
                + "# Submits study " + study.name() + " to Slurm: the array of cells, then the tables once all have ended.\n"
                + "set -euo pipefail\n"
                + "here=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n"
                + "mkdir -p " + logDir + "\n"
                + "array=$(sbatch --parsable \"$here/" + arrayFile + "\")\n"
                + "array=${array%%;*}\n"
                + "tables=$(sbatch --parsable --dependency=afterany:${array} \"$here/" + aggregateFile + "\")\n"
                + "tables=${tables%%;*}\n"
                + "echo \"array job ${array} (" + study.cells().size() + " cells), tables job ${tables}\"\n";
    }

    private static StringBuilder header(List<String> directives, String comment) {
        StringBuilder s = new StringBuilder("#!/usr/bin/env bash\n# ").append(comment).append('\n');
        for (String x : directives) {
            s.append("#SBATCH ").append(x).append('\n');
        }
        s.append("set -euo pipefail\n");
        return s;
    }

    /** Builds a {@link SlurmJob}; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private Study study;
        private String reproduceArgs;
        private String anglearnCommand;
        private String partition;
        private int gpusPerTask;
        private int cpusPerTask = 2;
        private String memory;
        private String time;
        private String account;
        private int maxParallel;
        private String logDir;

        /** Sets the study (required). */
        public Builder setStudy(Study study) {
            this.study = study;
            return this;
        }

        /** Sets the arguments every task passes to {@code anglearn reproduce}, already shell-quoted (required). */
        public Builder setReproduceArgs(String args) {
            this.reproduceArgs = args;
            return this;
        }

        /** Sets the command that runs anglearn on a node, e.g. {@code java -jar /shared/anglearn.jar} (required). */
        public Builder setAnglearnCommand(String command) {
            this.anglearnCommand = command;
            return this;
        }

        /** Sets the folder for the jobs' logs, on the shared file system (required). */
        public Builder setLogDir(String logDir) {
            this.logDir = logDir;
            return this;
        }

        /** Sets the partition (default: the cluster's default). */
        public Builder optPartition(String partition) {
            this.partition = partition;
            return this;
        }

        /** Sets the account to charge (default: the user's default). */
        public Builder optAccount(String account) {
            this.account = account;
            return this;
        }

        /** Sets GPUs per task (default 0). */
        public Builder optGpusPerTask(int gpus) {
            this.gpusPerTask = gpus;
            return this;
        }

        /** Sets CPUs per task (default 2). */
        public Builder optCpusPerTask(int cpus) {
            this.cpusPerTask = cpus;
            return this;
        }

        /** Sets memory per task, in Slurm's syntax, e.g. {@code 16G} (default: the partition's). */
        public Builder optMemory(String memory) {
            this.memory = memory;
            return this;
        }

        /** Sets the time limit per task, HH:MM:SS or D-HH:MM:SS (default: the partition's). */
        public Builder optTime(String time) {
            this.time = time;
            return this;
        }

        /** Sets how many array tasks may run at once (default 0 = no limit). */
        public Builder optMaxParallel(int max) {
            this.maxParallel = max;
            return this;
        }

        /** Validates and builds. */
        public SlurmJob build() {
            if (study == null || reproduceArgs == null || anglearnCommand == null || logDir == null) {
                throw new IllegalArgumentException("SlurmJob needs setStudy, setReproduceArgs, setAnglearnCommand, setLogDir");
            }
            if (study.cells().isEmpty()) {
                throw new IllegalArgumentException("study " + study.name() + " has no cells to submit");
            }
            if (gpusPerTask < 0 || gpusPerTask > 64) {
                throw new IllegalArgumentException("--gpus-per-task must be in 0..64, got " + gpusPerTask);
            }
            if (cpusPerTask < 1 || cpusPerTask > 1024) {
                throw new IllegalArgumentException("--cpus-per-task must be in 1..1024, got " + cpusPerTask);
            }
            if (maxParallel < 0) {
                throw new IllegalArgumentException("--max-parallel must be >= 0 (0 = no limit), got " + maxParallel);
            }
            if (time != null && !time.matches("(\\d+-)?\\d{1,2}:\\d{2}:\\d{2}")) {
                throw new IllegalArgumentException("--time must be HH:MM:SS or D-HH:MM:SS, got '" + time + "'");
            }
            if (memory != null && !memory.toUpperCase(Locale.ROOT).matches("\\d+[KMGT]?")) {
                throw new IllegalArgumentException("--mem must be a number with an optional K, M, G or T, got '" + memory + "'");
            }
            for (String v : new String[] {partition, account}) {
                if (v != null && !v.matches("[A-Za-z0-9_.,-]+")) {
                    throw new IllegalArgumentException("--partition and --account may hold only letters, digits and _ . , -,"
                            + " got '" + v + "'");
                }
            }
            return new SlurmJob(this);
        }
    }
}
