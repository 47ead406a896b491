package io.anglearn.loss.miners;

/**
 * What a {@link Miner} selected: pairs or triplets, each convertible to the other so that a loss
 * of either kind can use any miner.
 */
public sealed interface Mined permits MinedPairs, MinedTriplets {

    /** Returns the selection as positive and negative pairs. */
    MinedPairs pairs();

    /** Returns the selection as triplets (anchor, positive, negative). */
    MinedTriplets triplets();
}
