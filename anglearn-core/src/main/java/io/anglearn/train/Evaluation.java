package io.anglearn.train;

import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.ConfusionMatrix;

/**
 * What evaluating a trained network on one split measured.
 *
 * @param split the dataset's name
 * @param images the number of images evaluated
 * @param top1Error top-1 error in percent
 * @param top5Error top-5 error in percent
 * @param angles the paper's angle statistics on this split
 * @param confusion the confusion matrix (rows: true class, columns: predicted)
 */
public record Evaluation(String split, long images, double top1Error, double top5Error, AngleStatistics angles,
        ConfusionMatrix confusion) {}
