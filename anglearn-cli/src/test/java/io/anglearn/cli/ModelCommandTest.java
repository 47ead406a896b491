package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** {@code anglearn model}: the table, the totals, and its errors. */
class ModelCommandTest {

    private static String[] run(String... args) {
        CliRun r = CliRun.of(args);
        return new String[] {Integer.toString(r.code()), r.out(), r.err()};
    }

    @Test
    void printsTheLayerTableAndTotals() {
        String[] r = run("model", "--arch", "resnet20", "--classes", "10", "--embedding-dim", "2", "--input", "1x28x28");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("backbone/stem_conv"), r[1]);
        assertTrue(r[1].contains("projection"), r[1]);
        assertTrue(r[1].contains("embedded feature x: 2 values"), r[1]);
        // backbone 269,072 − 9·2·16 for one input channel instead of three, + 64·2 + 2 projection, + 10·2 head
        assertTrue(r[1].contains("parameters: 268,934"), r[1]);
    }

    @Test
    void reportsBadOptionsAsUsageErrors() {
        String[] r = run("model", "--arch", "resnet19");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("resnet18"), r[2]);
        r = run("model", "--input", "3x32");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("CxHxW"), r[2]);
        assertEquals("2", run("model", "--classes", "1")[0]);
    }

    @Test
    void parsesInputShapes() {
        assertEquals(new Shape(3, 32, 32), ModelCommand.parseInput("3x32x32"));
        assertEquals(new Shape(1, 28, 28), ModelCommand.parseInput(" 1X28x28 "));
        assertThrows(IllegalArgumentException.class, () -> ModelCommand.parseInput("0x28x28"));
        assertThrows(IllegalArgumentException.class, () -> ModelCommand.parseInput("ax28x28"));
        assertThrows(IllegalArgumentException.class, () -> ModelCommand.parseInput("3x1000000x1000000"));
    }
}
