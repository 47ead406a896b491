/**
 * Miners: they pick, from a batch's pairwise distances and labels, the pairs or triplets a
 * {@link io.anglearn.loss.PairLoss} learns from, so that the many easy ones do not drown the
 * informative ones. Batch-hard (Hermans, Beyer and Leibe 2017) and semi-hard (Schroff, Kalenichenko
 * and Philbin 2015) triplet mining, and the multi-similarity pair miner (Wang et al. 2019);
 * {@link io.anglearn.loss.miners.Miners} creates any of them by name.
 *
 * <p>A miner sees the distances the loss itself uses (lower means more alike), copied to the host
 * without gradient, and returns {@link io.anglearn.loss.miners.MinedTriplets} or
 * {@link io.anglearn.loss.miners.MinedPairs}; either converts to the other, so every miner works
 * with every pair loss. Mining is deterministic: ties go to the lowest sample index.
 */
package io.anglearn.loss.miners;
