/**
 * anglearn: training of discriminative embedded features with the angular loss of Wu and Wang,
 * "Angular Learning: Toward Discriminative Embedded Features" (arXiv:1912.07819), beside softmax,
 * center loss, ArcFace and the rest of the margin family, on DJL with its PyTorch engine.
 *
 * <p>The packages follow the data's path: {@link io.anglearn.data} reads datasets into compact
 * in-memory form and assembles batches, {@link io.anglearn.model} holds the backbones and the
 * embedding network, {@link io.anglearn.loss} the classifier heads and the losses, {@link
 * io.anglearn.train} the training loop, {@link io.anglearn.metrics} the angle statistics and
 * accuracy, and {@link io.anglearn.report} the files a run writes. {@link io.anglearn.engine}
 * configures DJL (offline, devices, native library checks), and {@link io.anglearn.util} words the
 * errors for mistyped names, with the closest valid ones.
 */
package io.anglearn;
