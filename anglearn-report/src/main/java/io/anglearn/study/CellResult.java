package io.anglearn.study;

import io.anglearn.train.TrainingConfig;
import java.util.Map;

/**
 * The final metrics of one finished study cell, as written to its {@code result.json}, with what a
 * reader needs to check or rerun it: when, on what and from which commit it finished, how long it
 * trained in all, and the configuration it trained with (relative paths only, so it can be
 * committed and rerun from a clone with {@code train --config}).
 *
 * @param id the cell's id
 * @param row its table row
 * @param column its table column
 * @param seed its seed
 * @param metrics final-epoch metrics by metrics-table column name
 * @param seconds wall time of the last process that trained it, from its start to the end of the run
 * @param commit the git commit of the process that finished the run ({@code -dirty} if modified), or null
 * @param cpu the processor that finished it ({@link io.anglearn.util.CpuInfo}), or null in older results
 * @param date when the run finished, UTC, ISO-8601 ({@code 2026-12-08T01:02:03Z}); null in older results
 * @param trainingSeconds the training time of every epoch summed over every process that trained it
 *     (the {@code seconds} column of {@code metrics.csv}); null in older results
 * @param config the cell's resolved configuration, or null in older results
 */
public record CellResult(String id, String row, String column, int seed, Map<String, Double> metrics, double seconds,
        String commit, String cpu, String date, Double trainingSeconds, TrainingConfig config) {

    /** The fields a cell finished by this version always records, as {@code result.json} names them. */
    public static final java.util.List<String> PROVENANCE = java.util.List.of("commit", "cpu", "date", "trainingSeconds",
            "config");
}
