package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PresetsTest {

    @Test
    void paperPresetFillsTable1ForDatasetAndLoss() {
        TrainingConfig c = new TrainingConfig();
        c.dataset = "cifar10";
        c.loss = "center";
        Presets.apply("paper", c);
        assertEquals("resnet18", c.arch);
        assertEquals(160, c.epochs);
        assertEquals(128, c.batchSize);
        assertEquals(0.01, c.learningRate);
        assertEquals("adam", c.optimizer);
        assertEquals(5e-4, c.weightDecay);
        assertEquals("one-cycle", c.schedule);
        TrainingConfig f = new TrainingConfig();
        f.loss = "arc";
        Presets.apply("recommended", f);
        assertEquals("resnet20", f.arch);
        assertEquals(60, f.epochs);
        assertEquals(3e-3, f.learningRate);
        assertEquals("recommended", f.preset);
    }

    @Test
    void unknownPresetDatasetOrLossIsRejected() {
        TrainingConfig c = new TrainingConfig();
        assertThrows(IllegalArgumentException.class, () -> Presets.apply("fast", c));
        c.loss = "cosface";
        assertThrows(IllegalArgumentException.class, () -> Presets.apply("paper", c));
        c.loss = "arc";
        c.dataset = "mnist";
        assertThrows(IllegalArgumentException.class, () -> Presets.apply("paper", c));
    }
}
