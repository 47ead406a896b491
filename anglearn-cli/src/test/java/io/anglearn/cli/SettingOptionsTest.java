package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.train.Presets;
import io.anglearn.train.Setting;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The training options are made from the settings' descriptors and applied only when given. */
class SettingOptionsTest {

    private static SettingOptions parse(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.parseArgs(args);
        return SettingOptions.given(cli.getCommandSpec());
    }

    @Test
    void trainTakesEverySettingWithAFlagAndLrFindTheTrainingOnes() {
        CommandSpec train = new CommandLine(new TrainCommand()).getCommandSpec();
        CommandSpec lrFind = new CommandLine(new LrFindCommand()).getCommandSpec();
        for (Setting<?> s : TrainingSettings.ALL) {
            for (String flag : s.flags()) {
                assertNotNull(train.findOption(flag), "train " + flag);
                assertEquals(s.help(), train.findOption(flag).description()[0], flag);
                CommandLine.Model.OptionSpec own = lrFind.findOption(flag);
                // lr-find's --momentum is its sweep's own, not the setting.
                assertEquals(s.scope() == Setting.Scope.TRAINING, own != null && own.description()[0].equals(s.help()),
                        "lr-find " + flag);
            }
        }
        // The settings stand in sections of their own, after the command's own options.
        assertEquals(List.of("Data", "Model", "Loss", "Optimisation", "Schedule", "Evaluation", "Run"),
                train.argGroups().stream().map(g -> g.heading().replace("%n", "").replace(":", "")).toList());
        assertTrue(train.argGroups().get(0).options().contains(train.findOption("--dataset")));
        assertTrue(lrFind.argGroups().get(0).options().contains(lrFind.findOption("--dataset")));
    }

    @Test
    void onlyGivenOptionsOverrideAConfiguration() {
        TrainingConfig c = new TrainingConfig();
        c.batchSize = 64;
        c.learningRate = 0.1;
        c.lossParams.put("k", 2.0);
        c.tensorBoard = true;
        SettingOptions given = parse(new TrainCommand(), "--lr", "0.01", "-p", "m=0.5", "--loss-param", "k=8",
                "--no-tensorboard", "--no-augment", "--split-classes", "--devices", "cpu", "--seed", "7");
        given.apply(c);
        assertEquals(64, c.batchSize, "not given: kept");
        assertEquals(0.01, c.learningRate);
        assertEquals(Map.of("m", 0.5, "k", 8.0), c.lossParams, "the given parameters replace the map");
        assertFalse(c.tensorBoard);
        assertEquals(Boolean.FALSE, c.augment);
        assertTrue(c.splitClasses);
        assertEquals("cpu", c.device);
        assertEquals(7L, c.seed);
        assertTrue(given.anyGivenExcept("epochs"));
        assertFalse(parse(new TrainCommand(), "--epochs", "3").anyGivenExcept("epochs"));
        assertEquals(3, parse(new TrainCommand(), "--epochs", "3").value("epochs"));
        assertNull(parse(new TrainCommand()).value("epochs"));
    }

    @Test
    void reproduceTakesTheDeviceAndDataDirectoryOfEveryCell() {
        CommandSpec reproduce = new CommandLine(new ReproduceCommand()).getCommandSpec();
        assertEquals(TrainingSettings.get("device").help(), reproduce.findOption("--devices").description()[0]);
        assertNotNull(reproduce.findOption("--data-dir"));
        assertNull(reproduce.findOption("--lr"));
        SettingOptions none = parse(new ReproduceCommand(), "--study", "table5");
        assertEquals("cpu", none.valueOrDefault("device"), "the setting's default");
        assertNull(none.value("dataDir"));
        assertEquals("gpu:0", parse(new ReproduceCommand(), "--study", "table5", "--device", "gpu:0")
                .valueOrDefault("device"));
    }

    @Test
    void thePresetsInputsApplyFirst() {
        TrainingConfig c = new TrainingConfig();
        SettingOptions given = parse(new TrainCommand(), "--dataset", "cifar10", "--loss", "center", "--epochs", "2");
        given.apply(c, Presets.INPUTS);
        assertEquals("cifar10", c.dataset);
        assertEquals(10, c.epochs, "only the preset's inputs");
        Presets.apply("paper", c);
        assertEquals(160, c.epochs);
        given.apply(c);
        assertEquals(2, c.epochs, "an option given overrides the preset");
        assertEquals(0.01, c.learningRate, "what is not given keeps the preset's value");
    }
}
