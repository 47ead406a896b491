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
 * @param seconds wall time of the run
 */
public record CellResult(String id, String row, String column, int seed, Map<String, Double> metrics, double seconds) {}
