package io.anglearn.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.train.StepContext;
import io.anglearn.train.SyntheticData;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint records the SHA-256 of the run's configuration: resuming after config.json was
 * edited is refused, because the resumed steps would not be the run's; restoring the file lets the
 * run continue.
 */
class RunFileIntegrityTest {

    /** Stops the run after the given step, as a crash would. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void resumingRefusesAChangedConfiguration(@TempDir Path runs) throws Exception {
        TrainingConfig c = SyntheticData.smallConfig(runs.toString(), "edited");
        c.epochs = 2;
        assertThrows(Stop.class, () -> new TrainingRun(c, SyntheticData.small()).execute(new TrainingListener() {
            @Override
            public void onStep(StepContext s) {
                if (s.step() == 6) {
                    throw new Stop();
                }
            }
        }));
        Path config = runs.resolve("edited").resolve("config.json");
        String original = Files.readString(config);
        Files.writeString(config, original.replace("\"learningRate\": 0.003", "\"learningRate\": 0.3"));
        assertTrue(!Files.readString(config).equals(original), "the test changed the file");
        IOException e = assertThrows(IOException.class,
                () -> TrainingRun.resume(runs.resolve("edited"), SyntheticData.small()).execute(new TrainingListener() {}));
        assertTrue(e.getMessage().contains("config.json was changed after step-000000004"), e.getMessage());

        Files.writeString(config, original);
        TrainingRun.Result r = TrainingRun.resume(runs.resolve("edited"), SyntheticData.small())
                .execute(new TrainingListener() {});
        assertEquals(2, r.epochs().size());
    }
}
