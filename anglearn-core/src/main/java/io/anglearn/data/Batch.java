package io.anglearn.data;

/**
 * One batch on the host, ready to be copied into a single NDArray: normalised float pixels in
 * {@code N×C×H×W} order and the labels.
 *
 * @param images {@code size × channels × height × width} floats
 * @param labels {@code size} labels
 * @param size images in the batch
 * @param channels channels per image
 * @param height image height
 * @param width image width
 */
public record Batch(float[] images, int[] labels, int size, int channels, int height, int width) {}
