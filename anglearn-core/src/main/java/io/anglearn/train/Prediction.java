package io.anglearn.train;

/**
 * The classification of one image: the predicted class and the cosine similarity between the
 * image's embedded feature and each class's weight vector.
 *
 * @param source where the image came from (a file name), for display
 * @param predicted the index of the class with the highest head score
 * @param className its name
 * @param cosines cos θ_j for every class j, in class order
 */
public record Prediction(String source, int predicted, String className, double[] cosines) {}
