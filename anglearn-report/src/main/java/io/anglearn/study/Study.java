package io.anglearn.study;

import io.anglearn.util.NameSuggestions;
import java.util.List;
import java.util.Map;

/**
 * A grid of training runs and how to tabulate them.
 *
 * @param name the study's name, e.g. {@code table5}
 * @param title what it reproduces, e.g. "Table 5: Fashion-MNIST test error (%)"
 * @param scale the compute scale its cells were made for
 * @param cells the runs, in a fixed order (array-task indices refer to it)
 * @param metrics the metrics tabulated, as metrics-table column names (e.g. {@code test_top1_err})
 * @param paper the paper's value per metric, row and column: {@code paper.get(metric).get(row + "|" + column)}
 * @param notes what the reduction changes against the paper's protocol, for the report
 * @param runsOf the study whose run directories this one's cells are (its cells are cells of that
 *     study, same ids and configurations, so they are trained once for both), or null for its own
 */
public record Study(String name, String title, Scale scale, List<StudyCell> cells, List<String> metrics,
        Map<String, Map<String, Double>> paper, String notes, String runsOf) {

    /**
     * A study with run directories of its own.
     *
     * @param name the study's name
     * @param title what it reproduces
     * @param scale the compute scale
     * @param cells the runs, in a fixed order
     * @param metrics the metrics tabulated
     * @param paper the paper's values
     * @param notes the notes
     */
    public Study(String name, String title, Scale scale, List<StudyCell> cells, List<String> metrics,
            Map<String, Map<String, Double>> paper, String notes) {
        this(name, title, scale, cells, metrics, paper, notes, null);
    }

    /**
     * Returns the cell with an index.
     *
     * @param index 0-based, in {@link #cells()} order
     * @return the cell
     */
    public StudyCell cell(int index) {
        if (index < 0 || index >= cells.size()) {
            throw new IllegalArgumentException("study " + name + " has cells 0 to " + (cells.size() - 1)
                    + ", got --cell " + index);
        }
        return cells.get(index);
    }

    /**
     * Returns the same grid with smaller budgets, for smoke runs of a paper-scale study: each
     * positive argument replaces the corresponding setting in every cell.
     *
     * @param epochs epochs, or 0 to keep
     * @param limitTrain training images, or 0 to keep
     * @param limitTest test images, or 0 to keep
     * @return the reduced study (its notes say what was overridden)
     */
    public Study withOverrides(int epochs, int limitTrain, int limitTest) {
        String[] options = {"--epochs", "--limit-train", "--limit-test"};
        int[] values = {epochs, limitTrain, limitTest};
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) {
                throw new IllegalArgumentException(options[i] + " must be >= 0 (0 keeps the study's value), got "
                        + values[i]);
            }
        }
        if (epochs == 0 && limitTrain == 0 && limitTest == 0) {
            return this;
        }
        List<StudyCell> out = new java.util.ArrayList<>();
        for (StudyCell c : cells) {
            io.anglearn.train.TrainingConfig cfg = c.config().copy();
            if (epochs > 0) {
                cfg.epochs = epochs;
            }
            if (limitTrain > 0) {
                cfg.limitTrain = limitTrain;
            }
            if (limitTest > 0) {
                cfg.limitTest = limitTest;
            }
            out.add(new StudyCell(c.id(), c.row(), c.column(), c.seed(), cfg));
        }
        // Overridden cells differ from the other study's, so they must not share its run directories.
        return new Study(name, title, scale, List.copyOf(out), metrics, paper, notes + " Overridden for a smoke run:"
                + (epochs > 0 ? " epochs=" + epochs : "") + (limitTrain > 0 ? " limit-train=" + limitTrain : "")
                + (limitTest > 0 ? " limit-test=" + limitTest : "") + ".");
    }

    /**
     * Returns the grid restricted to some columns (losses), e.g. for a quick comparison of two.
     *
     * @param columns the columns to keep; each must exist in the study
     * @return the restricted study
     */
    public Study withColumns(java.util.Collection<String> columns) {
        java.util.Set<String> known = new java.util.LinkedHashSet<>();
        cells.forEach(c -> known.add(c.column()));
        for (String c : columns) {
            if (!known.contains(c)) {
                throw new IllegalArgumentException("--losses: study " + name + " has no column '" + c + "'; "
                        + NameSuggestions.hint(NameSuggestions.closest(c, known), known));
            }
        }
        List<StudyCell> kept = cells.stream().filter(c -> columns.contains(c.column())).toList();
        return new Study(name, title, scale, kept, metrics, paper, notes + " Restricted to " + columns + ".", runsOf);
    }
}
