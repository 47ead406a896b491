package io.anglearn.loss;

import java.util.List;

/**
 * A loss that anglearn creates by name ({@code --loss NAME}, {@link Losses#create}): its name,
 * what it is, its parameters and how to build it. The losses anglearn ships are registered this
 * way, and so is a user's own: implement this interface beside the loss (a subclass of
 * {@link EmbeddingLoss}) and name the implementation in a file
 * {@code META-INF/services/io.anglearn.loss.LossProvider} on the class path; {@link Losses} finds
 * it with {@link java.util.ServiceLoader} and the loss trains by name like the shipped ones. Its
 * parameter declarations are the single source of its names, kinds and defaults: {@code -p}
 * parsing, validation and {@code train --list-losses} read them.
 */
public interface LossProvider {

    /**
     * Returns the name {@code --loss} takes: lower-case letters, digits and hyphens.
     *
     * @return e.g. {@code arc}
     */
    String name();

    /**
     * Returns one line saying what the loss is and the paper it comes from.
     *
     * @return the description
     */
    String description();

    /**
     * Returns the parameters, in the order help texts list them.
     *
     * @return the declarations, none for a loss without parameters
     */
    List<LossParameter> parameters();

    /**
     * Returns whether this is a pair loss, which has no class weights and may take a miner.
     *
     * @return false unless overridden
     */
    default boolean pairLoss() {
        return false;
    }

    /**
     * Builds the loss.
     *
     * @param arguments every declared parameter's value, checked against its kind
     * @param miner the miner of a pair loss, or null (always null for another loss)
     * @return the loss
     * @throws IllegalArgumentException for a value out of the loss's range
     */
    EmbeddingLoss create(LossArguments arguments, io.anglearn.loss.miners.Miner miner);
}
