package io.anglearn.study;

import java.util.Map;

/**
 * The final metrics of one finished study cell, as written to its {@code result.json}.
 *
 * @param id the cell's id
 * @param row its table row
 * @param column its table column
 * @param seed its seed
 * @param metrics final-epoch metrics by metrics-table column name
 * @param seconds wall time of the run (of the last process, when it was resumed)
 * @param commit the git commit of the process that finished the run ({@code -dirty} if modified), or null
 * @param cpu the processor that finished it ({@link io.anglearn.util.CpuInfo}), or null in older results
 */
public record CellResult(String id, String row, String column, int seed, Map<String, Double> metrics, double seconds,
        String commit, String cpu) {}
