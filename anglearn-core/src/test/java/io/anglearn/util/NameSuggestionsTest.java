package io.anglearn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NameSuggestionsTest {

    private static final List<String> LOSSES = List.of("soft", "center", "arcface", "arc", "cosface", "sphereface",
            "lsoftmax", "normface", "adacos", "subcenter-arcface");
    private static final List<String> ARCHS =
            List.of("resnet18", "resnet20", "resnet32", "resnet34", "resnet44", "resnet56", "resnet110");

    @Test
    void distanceCountsEditsAndAdjacentSwaps() {
        assertEquals(0, NameSuggestions.distance("", ""));
        assertEquals(3, NameSuggestions.distance("", "abc"));
        assertEquals(3, NameSuggestions.distance("abc", ""));
        assertEquals(0, NameSuggestions.distance("arcface", "arcface"));
        assertEquals(1, NameSuggestions.distance("arcfce", "arcface"), "one deletion");
        assertEquals(1, NameSuggestions.distance("arcfacee", "arcface"), "one insertion");
        assertEquals(1, NameSuggestions.distance("arcfaco", "arcface"), "one substitution");
        assertEquals(1, NameSuggestions.distance("trian", "train"), "one swap of neighbours");
        assertEquals(1, NameSuggestions.distance("sdg", "sgd"));
        assertEquals(3, NameSuggestions.distance("kitten", "sitting"), "the textbook Levenshtein pair");
        // Optimal string alignment edits no substring twice: "ca" -> "abc" is 3, not the unrestricted 2.
        assertEquals(3, NameSuggestions.distance("ca", "abc"));
        assertEquals(NameSuggestions.distance("resnet20", "rensetx"), NameSuggestions.distance("rensetx", "resnet20"));
    }

    @Test
    void findIgnoresCaseAndReturnsTheCanonicalSpelling() {
        assertEquals(Optional.of("arcface"), NameSuggestions.find("ArcFace", LOSSES));
        assertEquals(Optional.of("arc"), NameSuggestions.find(" arc ", LOSSES));
        assertEquals(Optional.empty(), NameSuggestions.find("arcfce", LOSSES));
        assertEquals(Optional.empty(), NameSuggestions.find(null, LOSSES));
        assertEquals("subcenter-arcface", NameSuggestions.resolve("--loss", "SubCenter-ArcFace", LOSSES));
    }

    @Test
    void closeTyposSuggestTheClosestNames() {
        assertEquals(List.of("arcface"), NameSuggestions.closest("arcfce", LOSSES));
        assertEquals(List.of("sphereface"), NameSuggestions.closest("spherefac", LOSSES));
        assertEquals(List.of("sgd"), NameSuggestions.closest("sdg", List.of("adam", "sgd")));
        assertEquals(List.of("cpu", "gpu"), NameSuggestions.closest("tpu", List.of("cpu", "gpu")));
        assertEquals(List.of("resnet20"), NameSuggestions.closest("resnt20", ARCHS));
        assertEquals(List.of("resnet20"), NameSuggestions.closest("resnet200", ARCHS), "only the closest tier");
        assertEquals(List.of("table5"), NameSuggestions.closest("tabel5", List.of("table4", "table5", "tables2-3")));
    }

    @Test
    void separatorsAndCaseDoNotCountAsEdits() {
        assertEquals(List.of("one-cycle"), NameSuggestions.closest("OneCycle", List.of("one-cycle", "cosine", "step")));
        assertEquals(List.of("subcenter-arcface"), NameSuggestions.closest("subcenter_arcface", LOSSES));
    }

    @Test
    void aPrefixOfTwoOrMoreCharactersSuggestsTheNamesItStarts() {
        assertEquals(List.of("subcenter-arcface"), NameSuggestions.closest("sub", LOSSES));
        assertEquals(3, NameSuggestions.closest("resnet", ARCHS).size(), "at most three suggestions");
        assertEquals(List.of(), NameSuggestions.closest("s", List.of("slurm")), "one letter is no prefix");
    }

    @Test
    void farOffOrEmptyNamesGetNoSuggestion() {
        assertEquals(List.of(), NameSuggestions.closest("xgboost", LOSSES));
        assertEquals(List.of(), NameSuggestions.closest("zz", List.of("soft", "arc")));
        assertEquals(List.of(), NameSuggestions.closest("q", List.of("fine", "coarse")));
        assertEquals(List.of(), NameSuggestions.closest("", LOSSES));
        assertEquals(List.of(), NameSuggestions.closest(null, LOSSES));
    }

    @Test
    void theMessageNamesTheOptionTheValueTheSuggestionAndEveryValidName() {
        String m = NameSuggestions.message("--loss", "arcfce", LOSSES);
        assertEquals("unknown --loss 'arcfce': did you mean 'arcface'? Expected one of: soft, center, arcface, arc,"
                + " cosface, sphereface, lsoftmax, normface, adacos, subcenter-arcface", m);
        assertEquals("unknown --device 'tpu': did you mean 'cpu' or 'gpu'? Expected one of: cpu, gpu",
                NameSuggestions.message("--device", "tpu", List.of("cpu", "gpu")));
        assertEquals("unknown --optimizer 'lbfgs': expected one of: adam, sgd",
                NameSuggestions.message("--optimizer", "lbfgs", List.of("adam", "sgd")));
        assertEquals("--label needs a value: expected one of: fine, coarse",
                NameSuggestions.message("--label", " ", List.of("fine", "coarse")));
        assertEquals("did you mean 'a', 'b' or 'c'? Expected one of: a, b, c",
                NameSuggestions.hint(List.of("a", "b", "c"), List.of("a", "b", "c")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NameSuggestions.resolve("--schedule", "one_cycle", List.of("one-cycle", "cosine")));
        assertTrue(e.getMessage().contains("did you mean 'one-cycle'?"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    private enum Mode { FIRST_TRY, SKIP }

    @Test
    void anEnumsOptionValuesAreItsNamesInLowerCaseAndResolveToItsConstants() {
        assertEquals(List.of("first_try", "skip"), NameSuggestions.optionNames(Mode.values()));
        assertEquals(Mode.FIRST_TRY, NameSuggestions.resolveConstant("--mode", "First_Try", Mode.class));
        assertEquals(Mode.SKIP, NameSuggestions.resolveConstant("--mode", "skip", Mode.class));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NameSuggestions.resolveConstant("--mode", "skp", Mode.class));
        assertEquals("unknown --mode 'skp': did you mean 'skip'? Expected one of: first_try, skip", e.getMessage());
    }
}
