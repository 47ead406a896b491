package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.loss.Losses;
import io.anglearn.model.Architectures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The settings' descriptors cover every field of {@link TrainingConfig} once, give the defaults
 * the fields hold, copy exactly, and are what docs/training.md's settings table says.
 *
 * <p>To rewrite the table after changing a setting: {@code mvn -B -q -o -pl anglearn-core -am
 * -Dtest=TrainingSettingsTest -Dsurefire.failIfNoSpecifiedTests=false -Danglearn.writeDocs=true test}.
 */
class TrainingSettingsTest {

    private static final Path DOC = Path.of("..", "docs", "training.md");
    private static final String BEGIN = "<!-- settings table: generated from io.anglearn.train.TrainingSettings"
            + " (see TrainingSettingsTest); edit the descriptors, not these lines -->\n";
    private static final String END = "<!-- end of the settings table -->\n";

    @Test
    void everyFieldHasOneDescriptorAndEveryFlagOneSetting() {
        List<String> keys = TrainingSettings.ALL.stream().map(Setting::key).toList();
        assertEquals(new HashSet<>(TrainingConfig.SETTINGS), new HashSet<>(keys));
        assertEquals(TrainingConfig.SETTINGS.size(), keys.size(), "no setting described twice");
        Set<String> flags = new HashSet<>();
        for (Setting<?> s : TrainingSettings.ALL) {
            for (String f : s.flags()) {
                assertTrue(flags.add(f), f + " belongs to one setting");
            }
        }
        assertEquals(Setting.Scope.FILE, TrainingSettings.get("scheduleRestarts").scope());
        assertEquals(List.of("--device", "--devices"), TrainingSettings.get("device").flags());
    }

    @Test
    void helpShowsTheDefaultsTheFieldsHoldAndTheNamesTheFactoriesTake() {
        assertEquals("Mini-batch size (default: 256).", TrainingSettings.get("batchSize").help());
        assertEquals("Peak (one-cycle, cosine) or initial learning rate (default: 3e-3).",
                TrainingSettings.get("learningRate").help());
        assertEquals("L2 weight decay (default: 5e-4, the paper's).", TrainingSettings.get("weightDecay").help());
        assertEquals("One-cycle warm-up fraction (default: 0.3).", TrainingSettings.get("warmupFraction").help());
        assertEquals("one-cycle (default), cosine, step or constant.", TrainingSettings.get("schedule").help());
        assertEquals("Backbone: resnet18, resnet20 (default), resnet32, resnet34, resnet44, resnet56, resnet110; see"
                + " anglearn model.", TrainingSettings.get("arch").help());
        assertEquals("on", TrainingSettings.get("tensorBoard").defaultText());
        assertEquals("42", TrainingSettings.get("seed").defaultText());
        String loss = TrainingSettings.get("loss").help();
        for (String name : Losses.NAMES) {
            assertTrue(loss.contains(name), loss);
        }
        for (String name : Architectures.NAMES) {
            assertTrue(TrainingSettings.get("arch").help().contains(name));
        }
    }

    @Test
    void formatsDefaultsAsTheHelpSpellsThem() {
        assertEquals("5e-4", Setting.format(5e-4));
        assertEquals("1.5e-3", Setting.format(1.5e-3));
        assertEquals("0.95", Setting.format(0.95));
        assertEquals("0", Setting.format(0.0));
        assertEquals("10", Setting.format(10.0));
        assertEquals("off", Setting.format(false));
    }

    @Test
    void aCopyIsExactAndSharesNothing() {
        TrainingConfig c = new TrainingConfig();
        c.lossParams.put("k", 8.0);
        c.minerParams.put("margin", 0.2);
        c.scheduleRestarts.add(3);
        c.augment = true;
        c.name = "x";
        c.learningRate = 0.1;
        TrainingConfig copy = c.copy();
        assertEquals(c.toJson(), copy.toJson());
        assertNotSame(c.lossParams, copy.lossParams);
        assertNotSame(c.minerParams, copy.minerParams);
        assertNotSame(c.scheduleRestarts, copy.scheduleRestarts);
        copy.lossParams.put("k", 2.0);
        assertEquals(8.0, c.lossParams.get("k"));
    }

    @Test
    void aSettingsOwnCheckNamesItsOption() {
        TrainingConfig c = new TrainingConfig();
        c.imageChannels = 2;
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                c::validate);
        assertEquals("--channels must be 1 or 3, got 2", e.getMessage());
    }

    @Test
    void theDocsTableIsTheGeneratedOne() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertTrue(begin >= 0 && end > begin, DOC + " has the settings table's markers");
        String table = TrainingSettings.markdownTable();
        String written = doc.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("anglearn.writeDocs") && !written.equals(table)) {
            String updated = doc.substring(0, begin + BEGIN.length()) + table + doc.substring(end);
            Path tmp = DOC.resolveSibling("training.md.tmp");
            Files.writeString(tmp, updated, StandardCharsets.UTF_8);
            Files.move(tmp, DOC, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            written = table;
        }
        List<String> want = new ArrayList<>(table.lines().toList());
        List<String> got = new ArrayList<>(written.lines().toList());
        for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
            // The first line that differs, not the whole table, so that the message says what changed.
            assertEquals(i < want.size() ? want.get(i) : "(no line)", i < got.size() ? got.get(i) : "(no line)",
                    DOC + "'s settings table differs from the descriptors at its line " + (i + 1)
                            + "; rewrite it with -Danglearn.writeDocs=true (see this class's Javadoc)");
        }
    }
}
