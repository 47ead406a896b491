package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateFinderTest {

    @Test
    void sweepsExponentiallyAndSuggestsATenthOfTheLowestLossRate() throws Exception {
        LearningRateFinder f = LearningRateFinder.builder().optMinRate(1e-5).optMaxRate(1e-1).optIterations(4).build();
        TrainingConfig c = SyntheticData.smallConfig("unused", "lr");
        LearningRateFinder.Result r = f.run(c, SyntheticData.small(), new TrainingListener() {});
        assertTrue(r.rates().length >= 2 && r.rates().length <= 4, "steps: " + r.rates().length);
        for (int i = 0; i < r.rates().length; i++) {
            assertEquals(1e-5 * Math.pow(1e4, i / 3.0), r.rates()[i], 1e-12);
            assertTrue(Double.isFinite(r.losses()[i]));
        }
        assertEquals(r.minLossRate() / 10, r.suggestedPeak(), 0);
        assertEquals(r.smoothed()[0], r.losses()[0], 1e-9, "bias correction makes the first smoothed value the loss");
    }

    @Test
    void invalidRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateFinder.builder().optMinRate(1).optMaxRate(0.1).build());
        assertThrows(IllegalArgumentException.class, () -> LearningRateFinder.builder().optIterations(1).build());
    }
}
