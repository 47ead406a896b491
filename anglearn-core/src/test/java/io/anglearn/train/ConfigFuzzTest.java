package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anglearn.fuzz.Draw;
import io.anglearn.fuzz.Fuzz;
import io.anglearn.fuzz.FuzzCheck;
import io.anglearn.fuzz.Mutation;
import io.anglearn.fuzz.Mutations;
import io.anglearn.fuzz.ScratchDir;
import io.anglearn.loss.Losses;
import io.anglearn.model.Architectures;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the training configuration file ({@code --config}, a run's {@code config.json}): fields set
 * to values of every JSON type and range, unknown fields, and byte-level damage of the text. A file
 * either reads as a configuration that validates and builds its loss and backbone, or fails with an
 * error naming the file. Inputs are drawn from seeded random sources and not shrunk; a failure
 * prints its seed for replay.
 */
class ConfigFuzzTest {

    /** JSON values of every type, with the ranges and spellings that break binders. */
    private static final List<String> VALUES = List.of("null", "true", "false", "0", "-1", "1", "2", "0.5", "-0.0",
            "1e309", "-1e309", "4.9e-324", "2147483647", "2147483648", "-2147483649", "9223372036854775808",
            "1.5", "\"NaN\"", "NaN", "Infinity", "\"\"", "\" \"", "\"x\"", "\"arc\"", "\"angular\"", "\"resnet20\"",
            "\"sgd\"", "\"cosine\"", "\"folder:/nonexistent\"", "\"idx:\"", "\"cifar100\"", "\"coarse\"",
            "\"../..\"", "\"a/b\"", "[]", "[1,2]", "{}", "{\"k\":4}", "{\"k\":null}", "{\"nope\":1}", "{\"k\":\"x\"}",
            "\"\\u0000\"", "[".repeat(300) + "]".repeat(300), "{\"a\":".repeat(300) + "1" + "}".repeat(300));

    private static final List<String> FIELDS = fieldNames();

    /** One change: a field (or an unknown one) set to a value, or removed. */
    record Change(String field, String value, boolean remove) {}

    /** Names that are not fields of a bare configuration: the wrapper's, an unknown one, the empty one. */
    private static final List<String> OTHER_NAMES = List.of("config", "resolved", "unknownField", "");

    /** One change: a known field (weight 8) or another name (weight 1), any value, removed one time in three. */
    private static Change change(SplittableRandom r) {
        String field = Draw.weighted(r, 8, 1) == 0 ? Draw.oneOf(r, FIELDS) : Draw.oneOf(r, OTHER_NAMES);
        return new Change(field, Draw.oneOf(r, VALUES), r.nextInt(3) == 2);
    }

    /** The unchanged configuration reads, bare and wrapped: a reader that refused everything would fail here. */
    @Test
    void unchangedConfigurationReads() throws Exception {
        try (ScratchDir scratch = ScratchDir.create()) {
            Path file = scratch.path().resolve("config.json");
            Files.writeString(file, new TrainingConfig().toJson());
            assertEquals(new TrainingConfig().toJson(), TrainingConfig.read(file).toJson());
            Files.writeString(file, "{\"config\": " + new TrainingConfig().toJson() + "}");
            assertEquals(new TrainingConfig().toJson(), TrainingConfig.read(file).toJson());
        }
    }

    /** Field-level changes of a valid configuration, optionally wrapped as a run's config.json. */
    @Test
    void changedFieldsReadOrFailCleanly() {
        Fuzz.run(getClass(), "changedFieldsReadOrFailCleanly", 250, ConfigFuzzTest::changedTry);
    }

    private static void changedTry(SplittableRandom r) throws Exception {
        List<Change> changes = Draw.listOf(r, 1, 3, ConfigFuzzTest::change);
        boolean wrapped = r.nextBoolean();
        JsonObject cfg = JsonParser.parseString(new TrainingConfig().toJson()).getAsJsonObject();
        // Values go in as text, through placeholders, so nesting deeper than the parser allows reaches the reader.
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            if (c.remove()) {
                cfg.remove(c.field());
            } else {
                cfg.addProperty(c.field(), "@@" + i + "@@");
            }
        }
        String text;
        if (wrapped) {
            JsonObject doc = new JsonObject();
            doc.add("config", cfg);
            text = doc.toString();
        } else {
            text = cfg.toString();
        }
        for (int i = 0; i < changes.size(); i++) {
            text = text.replace("\"@@" + i + "@@\"", changes.get(i).value());
        }
        check(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Byte-level damage of a valid configuration's text. */
    @Test
    void damagedTextReadsOrFailsCleanly() {
        Fuzz.run(getClass(), "damagedTextReadsOrFailsCleanly", 300, ConfigFuzzTest::damagedTry);
    }

    private static void damagedTry(SplittableRandom r) throws Exception {
        List<Mutation> edits = Mutations.some(r, 3);
        boolean wrapped = r.nextBoolean();
        String json = new TrainingConfig().toJson();
        if (wrapped) {
            json = "{\"config\": " + json + ", \"resolved\": {\"trainImages\": 3}}";
        }
        check(Mutation.applyAll(json.getBytes(StandardCharsets.UTF_8), edits));
    }

    private static void check(byte[] content) throws Exception {
        try (ScratchDir scratch = ScratchDir.create()) {
            Path file = scratch.path().resolve("config.json");
            Files.write(file, content);
            FuzzCheck.Outcome<TrainingConfig> out = FuzzCheck.run(file, () -> TrainingConfig.read(file));
            if (out.ok()) {
                TrainingConfig c = out.value();
                // What reads must also copy and build: the loss and the backbone it names.
                assertEquals(c.toJson(), c.copy().toJson());
                Losses.create(c.loss, c.lossParams);
                Architectures.backbone(c.arch);
            }
        }
    }

    private static List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        for (Field f : TrainingConfig.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                names.add(f.getName());
            }
        }
        return names;
    }
}
