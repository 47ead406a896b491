package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one JSON form of a prediction, shared by anglearn predict --json and POST /predict. */
class PredictionJsonTest {

    private static final List<String> NAMES = List.of("T-shirt/top", "Trouser", "Sandal", "Sneaker");

    @Test
    void thePredictedClassThenTheMostProbableClassesWithTheSameFourFields() {
        Prediction p = new Prediction("shoe.png", 3, "Sneaker", new double[] {0.1, -0.2, 0.5, 0.8},
                new double[] {0.05, 0.05, 0.2, 0.7});
        JsonObject o = PredictionJson.toJson(p, NAMES, 2);
        assertEquals("{\"source\":\"shoe.png\",\"classIndex\":3,\"className\":\"Sneaker\",\"probability\":0.7,"
                + "\"cosine\":0.8,\"top\":[{\"classIndex\":3,\"className\":\"Sneaker\",\"probability\":0.7,\"cosine\":0.8},"
                + "{\"classIndex\":2,\"className\":\"Sandal\",\"probability\":0.2,\"cosine\":0.5}]}", o.toString());
    }

    @Test
    void withoutASourceTheFieldIsLeftOutAndALargeKListsEveryClass() {
        Prediction p = new Prediction(null, 3, "Sneaker", new double[] {0.1, -0.2, 0.5, 0.8},
                new double[] {0.05, 0.05, 0.2, 0.7});
        JsonObject o = PredictionJson.toJson(p, NAMES, Integer.MAX_VALUE);
        assertEquals(List.of("classIndex", "className", "probability", "cosine", "top"), List.copyOf(o.keySet()));
        assertEquals(4, o.getAsJsonArray("top").size());
        // Equal probabilities: the higher cosine first (T-shirt/top's 0.1 before Trouser's -0.2).
        assertArrayEquals(new int[] {3, 2, 0, 1}, PredictionJson.order(p, 4));
    }

    @Test
    void badArgumentsAreNamed() {
        Prediction p = new Prediction(null, 0, "a", new double[] {1, 0}, new double[] {0.6, 0.4});
        assertEquals("k must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> PredictionJson.toJson(p, List.of("a", "b"), 0))
                        .getMessage());
        assertEquals("3 class names for a prediction over 2 classes", assertThrows(IllegalArgumentException.class,
                () -> PredictionJson.toJson(p, List.of("a", "b", "c"), 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Prediction(null, 2, "c", new double[2], new double[2]));
    }
}
