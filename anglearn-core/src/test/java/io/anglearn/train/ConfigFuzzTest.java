package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anglearn.fuzz.FuzzBudget;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Fuzzes the training configuration file ({@code --config}, a run's {@code config.json}): fields set
 * to values of every JSON type and range, unknown fields, and byte-level damage of the text. A file
 * either reads as a configuration that validates and builds its loss and backbone, or fails with an
 * error naming the file.
 */
@AddLifecycleHook(FuzzBudget.class)
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

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<String> field = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.of(FIELDS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("config", "resolved", "unknownField", "")));
        Arbitrary<Change> one = Combinators.combine(field, Arbitraries.of(VALUES), Arbitraries.of(false, false, true))
                .as(Change::new);
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<List<Mutation>> edits() {
        return Mutations.some(3);
    }

    /** The unchanged configuration reads, bare and wrapped: a reader that refused everything would fail here. */
    @Example
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
    @Property(tries = 250)
    void changedFieldsReadOrFailCleanly(@ForAll("changes") List<Change> changes, @ForAll boolean wrapped)
            throws Exception {
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
    @Property(tries = 300)
    void damagedTextReadsOrFailsCleanly(@ForAll("edits") List<Mutation> edits, @ForAll boolean wrapped) throws Exception {
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
