/**
 * The networks: residual backbones for small images ({@link io.anglearn.model.ResNetCifar} built
 * from {@link io.anglearn.model.ResidualBlock}s; He et al.'s CIFAR ResNet20–110 and the CIFAR
 * variants of ResNet18/34, chosen by name in {@link io.anglearn.model.Architectures}), the
 * {@link io.anglearn.model.EmbeddingNetwork} that joins a backbone, an optional projection to the
 * embedding dimension and a classifier head, and {@link io.anglearn.model.ModelSummary}, which
 * counts a network's parameters and multiply-accumulates layer by layer.
 */
package io.anglearn.model;
