package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad command lines end with a one-line message naming the option or file, and a non-zero code. */
class CommandErrorsTest {

    private static String[] run(String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(oldErr);
        }
    }

    @Test
    void resumeRefusesOtherTrainingOptions(@TempDir Path dir) {
        String[] r = run("train", "--resume", dir.toString(), "--lr", "0.1");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--resume continues a run with its own configuration"), r[1]);
    }

    @Test
    void unknownPresetAndBadValuesAreNamed() {
        String[] r = run("train", "--preset", "fast");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--preset"), r[1]);
        r = run("train", "--schedule", "linear");
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("--schedule"), r[1]);
    }

    @Test
    void usingARunThatIsNotThereNamesTheDirectory(@TempDir Path dir) {
        for (String cmd : new String[] {"evaluate", "embed", "predict"}) {
            String[] r = cmd.equals("embed") ? run(cmd, "--run", dir.resolve("nope").toString(), "--out", "x.npy")
                    : cmd.equals("predict") ? run(cmd, "--run", dir.resolve("nope").toString(), "a.png")
                    : run(cmd, "--run", dir.resolve("nope").toString());
            assertEquals("1", r[0], cmd);
            assertTrue(r[1].contains("nope") && r[1].contains("config.json"), cmd + ": " + r[1]);
        }
    }
}
