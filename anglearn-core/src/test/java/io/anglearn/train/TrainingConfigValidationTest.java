package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every numeric setting is range-checked, and the error names the option and the value. */
class TrainingConfigValidationTest {

    private static void rejects(String option, String value, Consumer<TrainingConfig> change) {
        TrainingConfig c = new TrainingConfig();
        change.accept(c);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate, option + " " + value);
        assertTrue(e.getMessage().startsWith(option) && e.getMessage().contains(value),
                option + " " + value + ": " + e.getMessage());
    }

    @Test
    void theDefaultsAreValid() {
        new TrainingConfig().validate();
    }

    @Test
    void theNetworksShortcutAndInitialisationsAreChecked() {
        rejects("--shortcut", "C", c -> c.shortcut = "C");
        for (String[] bad : new String[][] {{"--conv-init", "xavier"}, {"--class-init", "normal-0.1"}}) {
            TrainingConfig c = new TrainingConfig();
            if (bad[0].equals("--conv-init")) {
                c.convInit = bad[1];
            } else {
                c.classInit = bad[1];
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
            assertTrue(e.getMessage().contains(bad[0]) && e.getMessage().contains(bad[1]), e.getMessage());
        }
        rejects("--shortcut and --conv-init", "TorchScript", c -> {
            c.backbone = "torchscript:m.pt";
            c.shortcut = "B";
        });
        TrainingConfig c = new TrainingConfig();
        c.shortcut = "b";
        c.convInit = "PyTorch";
        c.classInit = "Normal-0.01";
        c.validate();
        c.canonicalize();
        assertEquals("B", c.shortcut);
        assertEquals("pytorch", c.convInit);
        assertEquals("normal-0.01", c.classInit);
    }

    @Test
    void integersOutsideTheirRangeAreRefused() {
        rejects("--epochs", "0", c -> c.epochs = 0);
        rejects("--epochs", "-3", c -> c.epochs = -3);
        rejects("--batch-size", "0", c -> c.batchSize = 0);
        rejects("--batch-size", "2147483647", c -> c.batchSize = Integer.MAX_VALUE);
        rejects("--limit-train", "-1", c -> c.limitTrain = -1);
        rejects("--limit-test", "-1", c -> c.limitTest = -1);
        rejects("--embedding-dim", "-2", c -> c.embeddingDim = -2);
        rejects("--embedding-dim", "100000000", c -> c.embeddingDim = 100_000_000);
        rejects("--image-size", "0", c -> c.imageSize = 0);
        rejects("--image-size", "5000", c -> c.imageSize = 5000);
        rejects("--channels", "2", c -> c.imageChannels = 2);
        rejects("--data-workers", "0", c -> c.dataWorkers = 0);
        rejects("--data-workers", "1000", c -> c.dataWorkers = 1000);
        rejects("--step-epochs", "-1", c -> c.stepEpochs = -1);
        rejects("--eval-every", "0", c -> c.evalEvery = 0);
        rejects("--checkpoint-every", "-5", c -> c.checkpointEvery = -5);
        rejects("--keep-checkpoints", "0", c -> c.keepCheckpoints = 0);
        rejects("--angle-interval", "-1", c -> c.angleInterval = -1);
        rejects("--target-angle-samples", "0", c -> c.targetAngleSamples = 0);
    }

    @Test
    void realsOutsideTheirRangeOrNotANumberAreRefused() {
        rejects("--lr", "0.0", c -> c.learningRate = 0);
        rejects("--lr", "-0.1", c -> c.learningRate = -0.1);
        rejects("--lr", "NaN", c -> c.learningRate = Double.NaN);
        rejects("--lr", "Infinity", c -> c.learningRate = Double.POSITIVE_INFINITY);
        rejects("--weight-decay", "-1.0E-4", c -> c.weightDecay = -1e-4);
        rejects("--weight-decay", "NaN", c -> c.weightDecay = Double.NaN);
        rejects("--momentum", "1.0", c -> c.momentum = 1);
        rejects("--momentum", "NaN", c -> c.momentum = Double.NaN);
        rejects("--warmup", "0.0", c -> c.warmupFraction = 0);
        rejects("--warmup", "NaN", c -> c.warmupFraction = Double.NaN);
        rejects("--max-momentum", "NaN", c -> c.maxMomentum = Double.NaN);
        rejects("--max-momentum", "0.99", c -> c.minMomentum = 0.99);
        rejects("--step-gamma", "0.0", c -> c.stepGamma = 0);
        rejects("--step-gamma", "1.5", c -> c.stepGamma = 1.5);
        rejects("--step-gamma", "NaN", c -> c.stepGamma = Double.NaN);
        rejects("--test-fraction", "1.0", c -> c.testFraction = 1);
        rejects("--test-fraction", "NaN", c -> c.testFraction = Double.NaN);
    }

    @Test
    void aMisspelledSettingInAFileIsRefusedWithTheClosestName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"config\": {\"loss\": \"arc\", \"learningrate\": 0.1}}");
        IOException e = assertThrows(IOException.class, () -> TrainingConfig.read(file));
        assertTrue(e.getMessage().startsWith(file + ": unknown setting 'learningrate': did you mean 'learningRate'?"),
                e.getMessage());
        Files.writeString(file, "{\"batchSize\": 0}");
        e = assertThrows(IOException.class, () -> TrainingConfig.read(file));
        assertTrue(e.getMessage().equals(file + ": --batch-size must be > 0, got 0"), e.getMessage());
        e = assertThrows(IOException.class, () -> TrainingConfig.read(dir));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
        TrainingConfig written = new TrainingConfig();
        written.lossParams.put("k", 8.0);
        Files.writeString(file, written.toJson());
        assertEquals(8.0, TrainingConfig.read(file).lossParams.get("k"), "every written setting reads back");
    }

    @Test
    void namesAndTextFieldsAreChecked() {
        rejects("--name", "a/b", c -> c.name = "a/b");
        rejects("--runs-dir", "empty", c -> c.runsDir = " ");
        rejects("--device", "gpu:0,gpu:0", c -> c.device = "gpu:0,gpu:0");
        rejects("--dataset", "must be given", c -> c.dataset = "");
    }
}
