/**
 * Classifier heads that own the class weights W, and the losses computed from their output: the
 * angular loss of Wu and Wang (the paper anglearn reproduces) beside softmax, center loss, ArcFace
 * and the rest of the margin family.
 *
 * <p>Every loss is a DJL {@link ai.djl.training.loss.Loss} whose predictions are the
 * {@link io.anglearn.model.EmbeddingNetwork}'s output: {@code [features x, head output]}, where the
 * head output is {@code W·x} for a {@link io.anglearn.loss.HeadKind#LINEAR} head and {@code cos θ}
 * for a {@link io.anglearn.loss.HeadKind#COSINE} head. They therefore plug into DJL's own
 * {@code Trainer} as well as anglearn's.
 */
package io.anglearn.loss;
