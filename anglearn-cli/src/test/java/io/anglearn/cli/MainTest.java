package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsEverySubcommandWithADescription() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Commands:"), r.out());
        assertTrue(r.out().matches("(?s).*\\n\\s+train\\s+\\S.*"), "train has a one-line description:\n" + r.out());
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = run("train", "--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--no-such-option"), r.err());
    }

    @Test
    void invalidValuesNameTheOption() {
        Run r = run("train", "--epochs", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--epochs must be > 0"), r.err());
        r = run("train", "--device", "tpu");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("device 'tpu'"), r.err());
    }
}
