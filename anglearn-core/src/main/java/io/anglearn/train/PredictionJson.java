package io.anglearn.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The one JSON form of a {@link Prediction}, written by {@code anglearn predict --json} (an array
 * of them) and by {@code POST /predict} and {@code POST /search} (one):
 * <pre>{@code
 * {"source": "shoe.png",          (only when the image came from a file)
 *  "classIndex": 7, "className": "Sneaker", "probability": 0.93, "cosine": 0.81,
 *  "top": [{"classIndex": 7, "className": "Sneaker", "probability": 0.93, "cosine": 0.81},
 *          {"classIndex": 5, "className": "Sandal", "probability": 0.05, "cosine": 0.42}, ...]}
 * }</pre>
 * The top-level fields describe the predicted class (the head's highest score); {@code top} lists
 * the k most probable classes, most probable first (ties: the higher cosine, then the lower
 * index), every class by default. A class is always its index into the run's classes and its
 * name, with the probability and the cosine similarity between the image's feature and the class
 * weight vector: the same four field names wherever a class appears.
 */
public final class PredictionJson {

    /** The source's field, left out when the source is unknown. */
    public static final String SOURCE = "source";
    /** A class's index into the run's classes. */
    public static final String CLASS_INDEX = "classIndex";
    /** A class's name. */
    public static final String CLASS_NAME = "className";
    /** A class's probability. */
    public static final String PROBABILITY = "probability";
    /** A class's cosine similarity to the image. */
    public static final String COSINE = "cosine";
    /** The k most probable classes. */
    public static final String TOP = "top";

    private PredictionJson() {}

    /**
     * Writes one prediction.
     *
     * @param p the prediction
     * @param classNames the run's class names, in class order
     * @param k how many classes {@code top} lists, at least 1 (more than the classes: every class)
     * @return the JSON object
     * @throws IllegalArgumentException if k &lt; 1 or the names do not match the prediction's classes
     */
    public static JsonObject toJson(Prediction p, List<String> classNames, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (classNames.size() != p.cosines().length) {
            throw new IllegalArgumentException(classNames.size() + " class names for a prediction over "
                    + p.cosines().length + " classes");
        }
        JsonObject o = new JsonObject();
        if (p.source() != null) {
            o.addProperty(SOURCE, p.source());
        }
        addClass(o, p, classNames, p.predicted());
        JsonArray top = new JsonArray();
        for (int j : order(p, k)) {
            JsonObject c = new JsonObject();
            addClass(c, p, classNames, j);
            top.add(c);
        }
        o.add(TOP, top);
        return o;
    }

    /**
     * Returns the classes {@code top} lists: the k most probable, most probable first (ties: the
     * higher cosine, then the lower index).
     *
     * @param p the prediction
     * @param k how many, at least 1
     * @return class indices
     */
    public static int[] order(Prediction p, int k) {
        return IntStream.range(0, p.probabilities().length).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -p.probabilities()[j])
                        .thenComparingDouble(j -> -p.cosines()[j]).thenComparingInt(j -> j))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    private static void addClass(JsonObject o, Prediction p, List<String> classNames, int j) {
        o.addProperty(CLASS_INDEX, j);
        o.addProperty(CLASS_NAME, classNames.get(j));
        o.addProperty(PROBABILITY, p.probabilities()[j]);
        o.addProperty(COSINE, p.cosines()[j]);
    }
}
