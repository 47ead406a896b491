package io.anglearn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Top-1 and top-5 errors, and when top-5 says nothing. */
class EmbeddingAccumulatorTest {

    @Test
    void topFiveErrorIsNotApplicableWithFiveClassesOrFewer() {
        EmbeddingAccumulator four = new EmbeddingAccumulator(4, 2);
        // Image 0 (class 0) is scored highest for class 1: a top-1 error; image 1 is right.
        four.add(new float[] {1, 0, 0, 1}, new float[] {0.2f, 0.9f, 0.1f, 0f, 0f, 0.1f, 0.8f, 0.3f}, new int[] {0, 2});
        assertEquals(50.0, four.top1Error(), 0);
        assertTrue(Double.isNaN(four.top5Error()), "every one of 4 classes is in the top five");

        EmbeddingAccumulator six = new EmbeddingAccumulator(6, 2);
        // Class 0 ranked sixth of six for image 0: a top-5 error; image 1's class ranked second.
        six.add(new float[] {1, 0, 0, 1}, new float[] {0f, 1f, 2f, 3f, 4f, 5f, 0f, 9f, 8f, 1f, 1f, 1f}, new int[] {0, 2});
        assertEquals(100.0, six.top1Error(), 0);
        assertEquals(50.0, six.top5Error(), 0);
    }
}
