/**
 * Studies that reproduce the paper's tables and figures: a grid of losses × settings × seeds,
 * each cell an ordinary training run, run under a per-cell lock so that two processes (or a
 * cluster's array tasks) can share the grid, and aggregated into tables of mean ± standard
 * deviation beside the paper's values.
 */
package io.anglearn.study;
