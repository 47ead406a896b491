/**
 * What a run leaves on disk and what is made from it: the run directory (configuration, metrics
 * tables, written atomically), the {@link io.anglearn.report.RunRecorder} that records angle
 * statistics, target angles, the test embedding and TensorBoard events while a run trains, the
 * figures (the paper's Figures 5–8, learning curves, confusion matrix; JFreeChart, as PNG and SVG)
 * and the self-contained HTML report comparing runs ({@link io.anglearn.report.HtmlReport}).
 */
package io.anglearn.report;
