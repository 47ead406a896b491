package io.anglearn.study;

import io.anglearn.util.NameSuggestions;
import java.util.List;
import java.util.Locale;

/** How much compute a study spends. */
public enum Scale {
    /** The paper's protocol (SPEC §4, Table 1): for a machine with a GPU. */
    PAPER,
    /**
     * The paper's budget with a rate that trains: the paper's networks, data and epochs (60 for
     * Fashion-MNIST), but {@link io.anglearn.train.PaperProtocol#RECOMMENDED_RATE} as the peak
     * rate of every loss, as at the full-data scale. It answers whether the full-data findings
     * change when training runs as long as the paper's.
     */
    PAPER_BUDGET,
    /**
     * The paper's datasets complete, on ResNet20 with one learning rate for every loss and a budget
     * that 2 CPU cores finish in hours: 10 epochs of Fashion-MNIST, 15 of CIFAR.
     */
    FULL,
    /** The quick smoke scale: small subsets and a few epochs, under an hour per study on 2 cores. */
    CPU;

    /** The names {@link #parse} accepts. */
    public static final List<String> NAMES = List.of("cpu", "full", "paper", "paper-budget");

    /**
     * Parses {@code cpu}, {@code full}, {@code paper} or {@code paper-budget}.
     *
     * @param name the name
     * @return the scale
     * @throws IllegalArgumentException for another name, suggesting the closest
     */
    public static Scale parse(String name) {
        return valueOf(NameSuggestions.resolve("--scale", name, NAMES).replace('-', '_').toUpperCase(Locale.ROOT));
    }

    /** Returns the name as {@link #parse} takes it: lower case, words joined by a hyphen. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether cells of this scale train for the paper's epochs on its networks. */
    public boolean paperLength() {
        return this == PAPER || this == PAPER_BUDGET;
    }

    /**
     * Returns where a study of this scale keeps its results by default, under the results folder:
     * the full-data scale directly in it ({@code results/<study>}), the others in a sub-folder named
     * after the scale ({@code results/cpu/<study>}, {@code results/paper/<study>}), so that scales
     * never share a study directory.
     *
     * @param results the results folder, usually {@code results}
     * @return the parent of the study directories of this scale
     */
    public java.nio.file.Path resultsDir(java.nio.file.Path results) {
        return this == FULL ? results : results.resolve(id());
    }
}
