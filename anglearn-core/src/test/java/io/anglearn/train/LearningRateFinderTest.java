package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LearningRateFinderTest {

    @Test
    void sweepsExponentiallyAndSuggestsNothingWhenTheLossDidNotDiverge() throws Exception {
        LearningRateFinder f = LearningRateFinder.builder().optMinRate(1e-5).optMaxRate(1e-1).optIterations(4).build();
        TrainingConfig c = SyntheticData.smallConfig("unused", "lr");
        LearningRateFinder.Result r = f.run(c, SyntheticData.small(), new TrainingListener() {});
        assertTrue(r.rates().length >= 2 && r.rates().length <= 4, "steps: " + r.rates().length);
        for (int i = 0; i < r.rates().length; i++) {
            assertEquals(1e-5 * Math.pow(1e4, i / 3.0), r.rates()[i], 1e-12);
            assertTrue(Double.isFinite(r.losses()[i]));
        }
        assertEquals(r.smoothed()[0], r.losses()[0], 1e-9, "bias correction makes the first smoothed value the loss");
        if (!r.diverged()) {
            // Four steps up to 0.1 do not break a small network: no minimum to read, so no suggestion.
            assertFalse(r.hasSuggestion());
            assertTrue(r.warnings().get(0).startsWith("the loss did not diverge"), r.warnings().toString());
        }
    }

    @Test
    void suggestsATenthOfTheLowestLossRateWhenTheCurveHasAnInnerMinimum() {
        double[] rates = {1e-4, 1e-3, 1e-2, 1e-1, 1, 10};
        double[] smoothed = {2.0, 1.5, 0.9, 1.2, 3.0, 9.0};
        LearningRateFinder.Result r = LearningRateFinder.analyse(rates, smoothed, smoothed, true, 4);
        assertEquals(1e-2, r.minLossRate(), 0);
        assertEquals(1e-3, r.suggestedPeak(), 1e-18);
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void warnsAndSuggestsNothingWhenTheMinimumIsAtTheTopEdgeAndTheLossNeverDiverged() {
        // The case: lowest loss at the last rate, 10, and no divergence.
        double[] rates = {1e-3, 1e-2, 1e-1, 1, 10};
        double[] smoothed = {2.3, 2.2, 1.8, 1.1, 0.7};
        LearningRateFinder.Result r = LearningRateFinder.analyse(rates, smoothed, smoothed, false, 4);
        assertEquals(10, r.minLossRate(), 0);
        assertFalse(r.hasSuggestion());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("did not diverge") && r.warnings().get(0).contains("lr 10.0, the sweep's"
                + " last rate, where the loss was lowest") && r.warnings().get(0).contains("--max-lr"), r.warnings().get(0));
    }

    @Test
    void warnsWhenTheLossWasLowestAtTheStart() {
        double[] rates = new double[40];
        double[] smoothed = new double[40];
        for (int i = 0; i < 40; i++) {
            rates[i] = Math.pow(10, -3 + i / 10.0);
            smoothed[i] = 1 + i;
        }
        LearningRateFinder.Result r = LearningRateFinder.analyse(rates, smoothed, smoothed, true, 4);
        assertFalse(r.hasSuggestion());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("lowest at the start") && r.warnings().get(0).contains("--min-lr"),
                r.warnings().get(0));
        // The minimum just past the first 5% of the steps (2 of 40) is an inner one.
        smoothed[2] = 0.5;
        assertEquals(rates[2] / 10, LearningRateFinder.analyse(rates, smoothed, smoothed, true, 4).suggestedPeak(), 0);
    }

    @Test
    void invalidRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateFinder.builder().optMinRate(1).optMaxRate(0.1).build());
        assertThrows(IllegalArgumentException.class, () -> LearningRateFinder.builder().optIterations(1).build());
        assertThrows(IllegalArgumentException.class, () -> LearningRateFinder.builder().optMomentum(1).build());
    }
}
