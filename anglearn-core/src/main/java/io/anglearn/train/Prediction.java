package io.anglearn.train;

/**
 * The classification of one image: the predicted class, the cosine similarity between the
 * image's embedded feature and each class's weight vector, and each class's probability.
 * {@link PredictionJson} writes it in the one JSON form of {@code anglearn predict --json} and
 * {@code POST /predict}.
 *
 * @param source where the image came from (a file name), for display; null when unknown (an HTTP request body)
 * @param predicted the index of the class with the highest head score
 * @param className its name
 * @param cosines cos θ_j for every class j, in class order
 * @param probabilities the probability of every class j, in class order: the softmax of the logits the run's
 *     loss declares for inference ({@link io.anglearn.loss.InferenceLogits}), summing to 1
 */
public record Prediction(String source, int predicted, String className, double[] cosines, double[] probabilities) {

    /** Checks that there is a cosine and a probability per class and that the predicted class is one of them. */
    public Prediction {
        if (cosines.length != probabilities.length || predicted < 0 || predicted >= cosines.length) {
            throw new IllegalArgumentException("a prediction needs a cosine and a probability per class and a"
                    + " predicted class among them; got " + cosines.length + " cosines, " + probabilities.length
                    + " probabilities, class " + predicted);
        }
    }
}
