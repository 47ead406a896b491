package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void helpListsEverySubcommandWithADescription() {
        CliRun r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Commands:"), r.out());
        assertTrue(r.out().matches("(?s).*\\n\\s+train\\s+\\S.*"), "train has a one-line description:\n" + r.out());
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun r = run("train", "--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--no-such-option"), r.err());
    }

    @Test
    void invalidValuesNameTheOption() {
        CliRun r = run("train", "--epochs", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--epochs must be > 0"), r.err());
        r = run("train", "--device", "tpu");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("device 'tpu'"), r.err());
    }
}
