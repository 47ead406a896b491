/**
 * Datasets: where they are found ({@link io.anglearn.data.DatasetLocator}), how they are
 * downloaded ({@link io.anglearn.data.DatasetDownloader}, {@link io.anglearn.data.ArchiveExtractor})
 * and read with every size, label and checksum checked (Fashion-MNIST and any IDX pair, CIFAR-10,
 * CIFAR-100, users' image folders), how they are held compactly in memory (one byte per pixel,
 * {@link io.anglearn.data.ImageDataset}), and how training batches are assembled from them on
 * background threads with the "+" augmentation ({@link io.anglearn.data.BatchLoader},
 * {@link io.anglearn.data.Augmentation}). {@link io.anglearn.data.Datasets#load} is the one entry
 * point training uses.
 */
package io.anglearn.data;
