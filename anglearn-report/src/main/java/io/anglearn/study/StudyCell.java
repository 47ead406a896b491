package io.anglearn.study;

import io.anglearn.train.TrainingConfig;

/**
 * One training run of a study's grid.
 *
 * @param id a file-name-safe identifier, unique in the study (e.g. {@code cifar10plus_arc_s1})
 * @param row the table row it contributes to (a dataset, a number of epochs, a value of k)
 * @param column the table column (a loss)
 * @param seed the seed
 * @param config the run's configuration
 */
public record StudyCell(String id, String row, String column, int seed, TrainingConfig config) {

    /** Validates the identifier. */
    public StudyCell {
        if (!id.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("study cell id must be file-name safe, got '" + id + "'");
        }
    }
}
