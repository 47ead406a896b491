package io.anglearn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every loss declares its parameters once; the registry, defaults and kind checks come from those declarations. */
class LossDeclarationsTest {

    @Test
    void everyLossDeclaresEachParameterWithAKindADefaultAndADescription() {
        for (String name : Losses.NAMES) {
            List<LossParameter> declared = Losses.declarations(name);
            Map<String, Double> defaults = new LinkedHashMap<>();
            declared.forEach(p -> defaults.put(p.name(), p.defaultValue()));
            assertEquals(defaults, Losses.parameters(name), name);
            for (LossParameter p : declared) {
                assertFalse(p.description().isBlank(), name + " " + p.name());
            }
            // Each loss builds with its defaults and with every default given explicitly.
            Losses.create(name, Map.of(), null);
            Losses.create(name, defaults, null);
        }
        assertEquals(LossParameter.Kind.INTEGER, Losses.declarations("sphereface").get(0).kind());
        assertEquals(LossParameter.Kind.SWITCH, Losses.declarations("adacos").get(0).kind());
    }

    @Test
    void valuesOfTheWrongKindAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.create("sphereface", Map.of("m", 2.5)));
        assertEquals("loss 'sphereface': parameter 'm' must be a whole number, got 2.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.create("arcface", Map.of("easy_margin", 2.0)));
        assertEquals("loss 'arcface': parameter 'easy_margin' is a switch, 0 or 1, got 2.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.create("arc", Map.of("k", Double.NaN)));
        assertTrue(e.getMessage().contains("'k' needs a number"), e.getMessage());
    }

    @Test
    void aDeclarationIsCheckedWhenMade() {
        assertThrows(IllegalArgumentException.class, () -> LossParameter.real("Bad Name", 1, "x"));
        assertThrows(IllegalArgumentException.class, () -> LossParameter.real("s", 1, " "));
        assertThrows(IllegalArgumentException.class, () -> LossParameter.real("s", Double.POSITIVE_INFINITY, "x"));
        assertThrows(IllegalArgumentException.class, () -> new LossParameter("m", LossParameter.Kind.INTEGER, 0.5, "x"));
    }

    @Test
    void everyShippedLossDeclaresItsInferenceLogits() {
        for (String name : Losses.NAMES) {
            EmbeddingLoss loss = Losses.create(name);
            if (loss.headKind() == HeadKind.NONE) {
                assertThrows(IllegalArgumentException.class, () -> loss.inferenceLogits(10), name);
            } else {
                assertFalse(loss.inferenceLogits(10).describe().contains("fallback"), name + " uses its own logits");
            }
        }
    }
}
