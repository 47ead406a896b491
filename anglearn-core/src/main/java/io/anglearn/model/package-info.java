/**
 * Backbones (He et al.'s CIFAR ResNets) and the {@link io.anglearn.model.EmbeddingNetwork} that
 * joins a backbone, an optional projection to the embedding dimension, and a classifier head.
 */
package io.anglearn.model;
