package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.run.TrainingRun;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void oneCycleWarmsUpToThePeakWhileMomentumFallsThenAnneals() {
        OneCycleSchedule s = new OneCycleSchedule(0.01, 100);
        assertEquals(0.01 / 25, s.learningRate(0), 1e-12);
        assertEquals(0.01, s.learningRate(30), 1e-12);
        assertEquals(0.85, s.momentum(30), 1e-12);
        assertEquals(0.95, s.momentum(0), 1e-12);
        assertEquals(0.01 / 25 / 1e4, s.learningRate(99), 1e-15);
        for (long i = 31; i < 100; i++) {
            assertTrue(s.learningRate(i) < s.learningRate(i - 1));
        }
    }

    @Test
    void aTwoStepCycleEndsAnnealedNotAtItsPeak() {
        OneCycleSchedule s = new OneCycleSchedule(0.003, 2);
        assertEquals(0.003 / 25, s.learningRate(0), 1e-12);
        assertEquals(0.003 / 25 / 1e4, s.learningRate(1), 1e-12);
        // Longer runs keep their schedule: three steps rise to the peak and anneal to the end.
        OneCycleSchedule three = new OneCycleSchedule(0.003, 3);
        assertEquals(0.003, three.learningRate(1), 1e-12);
        assertEquals(0.003 / 25 / 1e4, three.learningRate(2), 1e-12);
    }

    @Test
    void cosineFallsFromThePeakToTheMinimum() {
        CosineSchedule s = new CosineSchedule(0.1, 11, 0, 0.001);
        assertEquals(0.1, s.learningRate(0), 1e-12);
        assertEquals((0.1 + 0.001) / 2, s.learningRate(5), 1e-12);
        assertEquals(0.001, s.learningRate(10), 1e-12);
        CosineSchedule warm = new CosineSchedule(0.1, 20, 4, 0);
        assertEquals(0.025, warm.learningRate(0), 1e-12);
        assertEquals(0.1, warm.learningRate(4), 1e-12);
        assertEquals(0.9, warm.momentum(3), 0);
    }

    @Test
    void stepDecaysByGammaEveryStepSize() {
        Schedule s = new StepSchedule(0.1, 10, 0.1).withMomentum(0.8);
        assertEquals(0.1, s.learningRate(9), 1e-12);
        assertEquals(0.01, s.learningRate(10), 1e-12);
        assertEquals(0.001, s.learningRate(25), 1e-12);
        assertEquals(0.8, s.momentum(25), 0);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(0.1, 10, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new StepSchedule(0.1, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Schedule.constant(-1));
        assertThrows(IllegalArgumentException.class, () -> Schedule.constant(1).withMomentum(1));
    }

    @Test
    void configurationBuildsEveryNamedSchedule() {
        TrainingConfig c = new TrainingConfig();
        c.epochs = 6;
        c.learningRate = 0.1;
        c.schedule = "step";
        Schedule step = TrainingComponents.buildSchedule(c, 10);
        assertEquals(0.01, step.learningRate(20), 1e-12, "default decay every third of the run");
        c.schedule = "constant";
        assertEquals(0.1, TrainingComponents.buildSchedule(c, 10).learningRate(59), 0);
        c.schedule = "cosine";
        assertEquals(0.1, TrainingComponents.buildSchedule(c, 10).learningRate(0), 1e-12);
        c.schedule = "linear";
        assertThrows(IllegalArgumentException.class, c::validate);
    }
}
