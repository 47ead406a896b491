/**
 * Classifier heads that own the class weights W, and the losses computed from their output: the
 * angular loss of Wu and Wang (the paper anglearn reproduces) beside softmax, center loss, ArcFace
 * and the rest of the margin family (CosFace, SphereFace/L-Softmax, NormFace, AdaCos, sub-center
 * ArcFace), and the pair-based losses of metric learning ({@link io.anglearn.loss.PairLoss}:
 * contrastive, triplet with margin, multi-similarity), which train the features alone, with the
 * miners of {@link io.anglearn.loss.miners}. {@link io.anglearn.loss.Losses} creates any of them
 * by name. ArcFace, sub-center ArcFace and CosFace share {@link io.anglearn.loss.MarginLoss} (scale,
 * margin, cosine head, one builder base); the two ArcFaces also share the margin's computation in
 * {@link io.anglearn.loss.AdditiveAngularMarginLoss}.
 *
 * <p>Every loss is a DJL {@link ai.djl.training.loss.Loss} whose predictions are the
 * {@link io.anglearn.model.EmbeddingNetwork}'s output: {@code [features x, head output]}, where the
 * head output is {@code W·x} for a {@link io.anglearn.loss.HeadKind#LINEAR} head, {@code cos θ}
 * for a {@link io.anglearn.loss.HeadKind#COSINE} head and an {@code N×0} array for the pair losses'
 * {@link io.anglearn.loss.HeadKind#NONE} head; {@link io.anglearn.loss.EmbeddingLoss#newHead}
 * builds the head a loss needs. They therefore plug into DJL's own {@code Trainer} as well as
 * anglearn's; losses with non-trainable state (center loss, AdaCos, SphereFace) also need the hooks
 * described in {@link io.anglearn.loss.EmbeddingLoss}.
 *
 * <p>Every arccos is taken of a cosine clamped to {@code [−1+ε, 1−ε]}, and every normalisation
 * divides by at least 1e-12, and every squared Euclidean distance is floored at 1e-12 before
 * its square root, so no input (cos θ = ±1, zero features or weight rows) makes a value
 * or a gradient NaN or infinite. {@link io.anglearn.loss.GradientCurves} computes the losses'
 * angular gradients by autograd, for the paper's Figures 3 and 4.
 */
package io.anglearn.loss;
