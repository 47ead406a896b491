package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The lr-find chart's loss axis: the whole raw curve but a diverging end. */
class LrFindCommandTest {

    @Test
    void theAxisHoldsTheRawCurveUpToFourTimesTheLowestSmoothedLoss() {
        // Lowest smoothed 3, so raw values up to max(10, 4 × 3) = 12 are shown; 50 lies above the chart.
        double[] range = LrFindCommand.range(new double[] {5, 3, 2, 50}, new double[] {5, 4, 3, 10});
        assertArrayEquals(new double[] {2 - 0.4, 10 + 0.4}, range, 1e-12);
        // Raw values that stay low are all shown, below the smoothed curve too.
        range = LrFindCommand.range(new double[] {1, 0.5}, new double[] {1, 0.8});
        assertArrayEquals(new double[] {0.5 - 0.025, 1 + 0.025}, range, 1e-12);
        assertNull(LrFindCommand.range(new double[] {Double.NaN}, new double[] {Double.NaN}));
    }
}
