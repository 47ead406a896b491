/**
 * What a trained embedding is measured by: the paper's angle statistics (W-Inter, C-Inter,
 * WC-Intra), top-k accuracy, and later retrieval metrics.
 */
package io.anglearn.metrics;
