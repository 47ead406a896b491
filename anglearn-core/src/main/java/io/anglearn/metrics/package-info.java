/**
 * What a trained embedding is measured by: the paper's angle statistics (W-Inter, C-Inter,
 * WC-Intra) on any split, per-sample target angles, cosine-similarity matrices, top-k accuracy
 * and confusion matrices, and the retrieval and clustering metrics of metric learning
 * (precision@1, R-precision, MAP@R, NMI of k-means).
 */
package io.anglearn.metrics;
