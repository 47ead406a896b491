package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.loss.Losses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code anglearn curves} writes both figures; {@code anglearn train} lists every loss. */
class CurvesCommandTest {

    @Test
    void writesFiguresThreeAndFourAsPngSvgAndCsv(@TempDir Path dir) throws Exception {
        assertEquals(0, Main.execute("curves", "--out", dir.toString(), "--points", "60"));
        for (String base : List.of("figure3-angular-gradient", "figure4-confidence-c10", "figure4-gradient-c10",
                "figure4-confidence-c100", "figure4-gradient-c100")) {
            byte[] png = Files.readAllBytes(dir.resolve(base + ".png"));
            assertEquals((byte) 0x89, png[0], base + ".png is a PNG");
            assertEquals('P', png[1]);
            assertTrue(Files.readString(dir.resolve(base + ".svg")).contains("<svg"), base + ".svg");
            List<String> csv = Files.readAllLines(dir.resolve(base + ".csv"));
            assertEquals("series,x,y", csv.get(0));
            assertEquals(1 + 5 * 60, csv.size(), base + ".csv: 5 series of 60 points");
        }
        List<String> f3 = Files.readAllLines(dir.resolve("figure3-angular-gradient.csv"));
        // The angular loss's curve is the constant −k = −1 everywhere in (0, π).
        f3.stream().filter(l -> l.startsWith("angular loss,")).forEach(l ->
                assertEquals(-1.0, Double.parseDouble(l.split(",")[2]), 2e-3, l));
    }

    @Test
    void rejectsABadPointCount(@TempDir Path dir) {
        assertEquals(2, Main.execute("curves", "--out", dir.toString(), "--points", "1"));
    }

    @Test
    void trainListsEveryLossWithItsParameters() {
        String list = captured("train", "--list-losses");
        String help = captured("train", "--help");
        for (String name : Losses.NAMES) {
            assertTrue(list.contains(name + ": "), "--list-losses shows " + name);
            assertTrue(help.contains(name), "--help names " + name);
        }
        assertTrue(list.contains("arc: k="), list);
        assertTrue(list.contains("subcenter-arcface: subcenters=3"), list);
    }

    private static String captured(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.err());
        return r.out();
    }
}
