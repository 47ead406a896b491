package io.anglearn.train;

import io.anglearn.util.NameSuggestions;
import java.util.List;
import java.util.Locale;

/**
 * Named settings that fill in a {@link TrainingConfig} for a dataset and a loss.
 *
 * <ul>
 *   <li>{@code paper}: Table 1 of Wu and Wang (arXiv:1912.07819), as {@link PaperProtocol} holds it —
 *       network, epochs, batch size and the per-loss peak learning rate, with Adam, weight decay
 *       5e-4 and the one-cycle policy.
 *       With Adam, its rate of 0.1 trains badly: an independent reimplementation on Fashion-MNIST
 *       saw test error swing between 30% and 90% mid-run and end 5 to 12 points worse than with
 *       3e-3 (see docs/training.md).
 *   <li>{@code recommended}: the same, but a peak rate of 3e-3 for every loss, the value that
 *       worked in that reimplementation.
 * </ul>
 *
 * <p>A preset sets only what it names; the dataset, loss and loss parameters stay the user's.
 */
public final class Presets {

    /** The preset names {@link #apply} accepts. */
    public static final List<String> NAMES = List.of("paper", "recommended");

    /** The settings a preset reads to choose its values: apply these before the preset. */
    public static final List<String> INPUTS = List.of("dataset", "loss");

    /** The losses Table 1 gives settings for. */
    public static final List<String> PAPER_LOSSES = PaperProtocol.LOSSES;

    /** The learning rate of the {@code recommended} preset. */
    public static final double RECOMMENDED_RATE = PaperProtocol.RECOMMENDED_RATE;

    private Presets() {}

    /**
     * Applies a preset to a configuration, for its dataset and loss.
     *
     * @param preset {@code paper} or {@code recommended}
     * @param config the configuration to change
     * @throws IllegalArgumentException for an unknown preset, or a dataset or loss the paper did not use
     */
    public static void apply(String preset, TrainingConfig config) {
        String p = NameSuggestions.resolve("--preset", preset, NAMES);
        PaperProtocol.Dataset row = PaperProtocol.find(config.dataset);
        if (row == null) {
            List<String> names = PaperProtocol.DATASETS.stream().map(PaperProtocol.Dataset::name).toList();
            throw new IllegalArgumentException("--preset " + p + ": the paper trains "
                    + String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1)
                    + ", not '" + config.dataset + "'");
        }
        String loss = config.loss.toLowerCase(Locale.ROOT);
        if (!row.rates().containsKey(loss)) {
            throw new IllegalArgumentException("--preset " + p + ": the paper's Table 1 covers the losses "
                    + PAPER_LOSSES + ", not '" + config.loss + "'");
        }
        PaperProtocol.apply(row, p.equals("paper") ? row.rate(loss) : RECOMMENDED_RATE, config);
        config.preset = p;
    }
}
