package io.anglearn.train;

import io.anglearn.util.NameSuggestions;
import java.util.List;
import java.util.Locale;

/**
 * What the trainer does when a step's loss or one of its gradients is NaN or infinite. Either way
 * the step is caught before the optimiser applies it, so the weights stay finite.
 */
public enum NonFinitePolicy {

    /** Stop the run with a diagnosis: which batch, which loss term, which arrays (the default). */
    STOP,

    /**
     * Skip the batch: no update, the loss's state untouched, the skip logged and counted in the
     * epoch's {@code skipped_batches}. The run still stops when {@link Trainer#MAX_CONSECUTIVE_SKIPS}
     * batches in a row are skipped, or when the skip cannot leave the model finite (BatchNorm's
     * running statistics already took the non-finite values in).
     */
    SKIP;

    /** The option values {@link #parse} accepts. */
    public static final List<String> NAMES = NameSuggestions.optionNames(values());

    /**
     * Parses the option value {@code stop} or {@code skip}.
     *
     * @param value the value, case-insensitive
     * @return the policy
     * @throws IllegalArgumentException naming {@code --on-non-finite} and the closest value for anything else
     */
    public static NonFinitePolicy parse(String value) {
        return NameSuggestions.resolveConstant("--on-non-finite", value, NonFinitePolicy.class);
    }

    /** Returns the option value, {@code stop} or {@code skip}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
