package io.anglearn.model;

import ai.djl.ndarray.types.Shape;

/**
 * One row of a {@link ModelSummary}: a layer, or a block summed over its layers.
 *
 * @param name the path of the block in the network, e.g. {@code backbone/stage2_block1/conv1}
 * @param kind what the block is, e.g. {@code conv 3x3 /2} or {@code batchnorm}
 * @param outputShape the output of one image, without the batch axis
 * @param parameters trainable values (weights, biases, BatchNorm γ and β)
 * @param buffers values kept but not trained (BatchNorm running mean and variance)
 * @param macs multiply-accumulates per image, counted for convolutions and linear layers only
 */
public record LayerSummary(String name, String kind, Shape outputShape, long parameters, long buffers, long macs) {}
