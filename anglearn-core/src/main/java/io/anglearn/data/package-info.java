/**
 * Datasets held compactly in memory (one byte per pixel), their readers, where they are found on
 * disk, and the batches assembled from them for training.
 */
package io.anglearn.data;
