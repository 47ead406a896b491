package io.anglearn.train;

import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.ConfusionMatrix;
import io.anglearn.metrics.EmbeddingQuality;

/**
 * What evaluating a trained network on one split measured.
 *
 * <p>It is one of two kinds. When the network classifies the split's classes, the errors, the
 * angle statistics and the confusion matrix are measured and {@code quality} is null. When it
 * does not (a network trained with a pair loss has no classifier head; a split of classes the
 * network was not trained on has no class weights), the errors are NaN, W-Inter and WC-Intra are
 * NaN (not applicable), the confusion matrix is null, and {@code quality} holds the retrieval and
 * clustering metrics, the measures that need no class weights.
 *
 * @param split the dataset's name
 * @param images the number of images evaluated
 * @param top1Error top-1 error in percent, or NaN
 * @param top5Error top-5 error in percent, or NaN
 * @param angles the paper's angle statistics on this split
 * @param confusion the confusion matrix (rows: true class, columns: predicted), or null
 * @param quality precision@1, R-precision, MAP@R and k-means NMI, or null
 */
public record Evaluation(String split, long images, double top1Error, double top5Error, AngleStatistics angles,
        ConfusionMatrix confusion, EmbeddingQuality quality) {

    /**
     * An evaluation of a network that classifies the split's classes.
     *
     * @param split the dataset's name
     * @param images the number of images evaluated
     * @param top1Error top-1 error in percent
     * @param top5Error top-5 error in percent
     * @param angles the angle statistics
     * @param confusion the confusion matrix
     */
    public Evaluation(String split, long images, double top1Error, double top5Error, AngleStatistics angles,
            ConfusionMatrix confusion) {
        this(split, images, top1Error, top5Error, angles, confusion, null);
    }

    /** Returns whether the classification metrics were measured (else the retrieval ones were). */
    public boolean classified() {
        return confusion != null;
    }
}
