/**
 * TensorBoard output without TensorFlow: event files (TFRecord framing with masked CRC-32C,
 * protobuf {@code Event}/{@code Summary}/{@code HistogramProto} messages) for scalars and
 * histograms, and projector files for embeddings.
 */
package io.anglearn.record.tensorboard;
