package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The help a person reads: train's options in sections (golden file), one-paragraph descriptions,
 * a placeholder for every value, and -V on every command. To update the golden file after an
 * intended change, write {@code anglearn train --help} into
 * {@code src/test/resources/io/anglearn/cli/train-help.txt}.
 */
class HelpLayoutTest {

    @Test
    void trainHelpIsInSectionsAsTheGoldenFileHasIt() throws Exception {
        String expected;
        try (var in = HelpLayoutTest.class.getResourceAsStream("train-help.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        CliRun help = CliRun.of("train", "--help");
        assertEquals(0, help.code(), help.err());
        assertEquals(expected, help.out());
        for (String section : new String[] {"Options:", "Data:", "Model:", "Loss:", "Optimisation:", "Schedule:",
            "Evaluation:", "Run:"}) {
            assertTrue(help.out().contains("\n" + section + "\n"), section);
        }
    }

    @Test
    void everyCommandsHelpHasPlaceholdersAndParagraphsAndEveryCommandHasAVersion() {
        for (String[] command : new String[][] {{"train"}, {"evaluate"}, {"embed"}, {"predict"}, {"lr-find"},
            {"reproduce"}, {"bench"}, {"report"}, {"index", "build"}, {"index", "push"}, {"index", "info"}, {"search"}, {"serve"},
            {"model"}, {"curves"}, {"export"}, {"index", "verify"}}) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            CliRun help = CliRun.of(args);
            assertEquals(0, help.code(), String.join(" ", command));
            // picocli's default placeholder is the field's name in angle brackets, e.g. --port=<port>.
            assertFalse(help.out().matches("(?s).*=<[a-zA-Z]+>.*"), String.join(" ", command) + ":\n" + help.out());
            args[command.length] = "-V";
            CliRun version = CliRun.of(args);
            assertTrue(version.out().startsWith("anglearn "), String.join(" ", command) + ": '" + version.out() + "'");
        }
        assertTrue(CliRun.of("serve", "--help").out().replaceAll("\\s+", " ").contains("at least 8 printable ASCII"));
    }
}
