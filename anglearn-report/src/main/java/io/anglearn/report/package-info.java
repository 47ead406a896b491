/**
 * What a run leaves on disk and what is made from it: the metrics tables and the run log (the
 * directory's file names and atomic writes are {@code io.anglearn.rundir}'s), the
 * {@link io.anglearn.record.RunRecorder} that records angle
 * statistics, target angles, the test embedding and TensorBoard events while a run trains, the
 * figures (the paper's Figures 3–8, learning curves, confusion matrix; JFreeChart, as PNG and SVG;
 * {@link io.anglearn.report.LineChart} for XY line charts with the CSV of their points,
 * {@link io.anglearn.report.LossCurveFigures} for the gradient figures) and the self-contained HTML
 * report comparing runs ({@link io.anglearn.report.HtmlReport}).
 */
package io.anglearn.report;

