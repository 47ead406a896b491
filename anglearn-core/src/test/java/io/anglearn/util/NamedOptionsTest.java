package io.anglearn.util;

import static io.anglearn.util.SuggestionAssertions.suggests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.data.DatasetSpec;
import io.anglearn.data.LabelKind;
import io.anglearn.engine.Devices;
import io.anglearn.loss.ArcFaceLoss;
import io.anglearn.loss.Losses;
import io.anglearn.model.Architectures;
import io.anglearn.train.CheckpointStore;
import io.anglearn.train.Presets;
import io.anglearn.train.TrainingConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every library entry point that takes a name answers a typo with the option, the closest name and the list. */
class NamedOptionsTest {

    @Test
    void factoriesSuggestTheClosestName() {
        suggests(() -> Losses.create("arcfce"), "--loss", "arcfce", "arcface");
        suggests(() -> Losses.create("subcenter_arcfase"), "--loss", "subcenter_arcfase", "subcenter-arcface");
        suggests(() -> Architectures.backbone("resnet5"), "--arch", "resnet5", "resnet56");
        suggests(() -> Presets.apply("recomended", new TrainingConfig()), "--preset", "recomended", "recommended");
        suggests(() -> LabelKind.parse("fien"), "--label", "fien", "fine");
        suggests(() -> DatasetSpec.of("fashion-minst"), "--dataset", "fashion-minst", "fashion-mnist");
        suggests(() -> DatasetSpec.of("cifar1000+"), "--dataset", "cifar1000+", "cifar100+");
        suggests(() -> DatasetSpec.of("idx=some/dir"), "--dataset", "idx=some/dir", "idx:some/dir");
        suggests(() -> Devices.checkNames("cpuu"), "--device", "cpuu", "cpu");
        suggests(() -> CheckpointStore.checkName("bset"), "--checkpoint", "bset", "best");
        suggests(() -> CheckpointStore.checkName("step_40"), "--checkpoint", "step_40", "step-40");
    }

    @Test
    void validNamesStillResolveIgnoringCase() {
        assertTrue(Losses.create("ArcFace") instanceof ArcFaceLoss);
        Architectures.backbone("ResNet20");
        assertEquals(LabelKind.COARSE, LabelKind.parse("COARSE"));
        CheckpointStore.checkName("step-120");
        CheckpointStore.checkName("Last");
    }

    @Test
    void lossParametersSuggestTheClosestParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.create("arcface", Map.of("margin", 0.3)));
        assertTrue(e.getMessage().contains("'margin'") && e.getMessage().contains("one of: s, m, easy_margin"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.create("center", Map.of("lamda", 0.1)));
        assertTrue(e.getMessage().contains("did you mean 'lambda'?"), e.getMessage());
    }

    @Test
    void aConfigurationNamesTheFieldOfEveryUnknownName() {
        String[][] cases = {
            {"loss", "cosfase", "--loss", "cosface"},
            {"arch", "resnet43", "--arch", "resnet34"},
            {"optimizer", "adma", "--optimizer", "adam"},
            {"schedule", "cosin", "--schedule", "cosine"},
            {"labels", "coarce", "--label", "coarse"},
            {"device", "gpu 1", "--device", "gpu:1"},
            {"dataset", "cifar-10O", "--dataset", "cifar10"},
        };
        for (String[] c : cases) {
            TrainingConfig config = new TrainingConfig();
            switch (c[0]) {
                case "loss" -> config.loss = c[1];
                case "arch" -> config.arch = c[1];
                case "optimizer" -> config.optimizer = c[1];
                case "schedule" -> config.schedule = c[1];
                case "labels" -> config.labels = c[1];
                case "device" -> config.device = c[1];
                default -> config.dataset = c[1];
            }
            suggests(config::validate, c[2], c[1], c[3]);
        }
    }
}
