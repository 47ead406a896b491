package io.anglearn.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Figure 7 is drawn from Table 6's committed CIFAR-10+ cells without training anything. */
class Figure7FromCommittedCellsTest {

    @Test
    void figure7IsDrawnFromTable6sCells(@TempDir Path tmp) throws IOException {
        Path committed = Path.of("..", "results", "table6", "runs");
        Study study = Studies.create("figure7", Scale.FULL, 2);
        for (StudyCell c : study.cells()) {
            copyTree(committed.resolve(c.id()), tmp.resolve("table6/runs").resolve(c.id()));
        }
        StudyRunner runner = new StudyRunner(study, tmp, "cpu", null);
        for (StudyCell c : study.cells()) {
            assertTrue(runner.isComplete(c), c.id() + " is Table 6's finished cell");
        }
        assertTrue(runner.aggregateIfComplete());
        for (String base : List.of("target-angle-median", "target-angles-soft", "target-angles-arc")) {
            assertTrue(Files.size(tmp.resolve("figure7").resolve(base + ".png")) > 0, base);
            assertTrue(Files.size(tmp.resolve("figure7").resolve(base + ".svg")) > 0, base);
        }
        // The medians at epoch 15, per seed: about 0.24 rad for the angular loss, 1.15 for softmax.
        Map<String, Double> median = Files.readAllLines(tmp.resolve("figure7/target-angle-quantiles.csv")).stream()
                .skip(1).map(l -> l.split(",")).filter(f -> f[2].equals("15"))
                .collect(Collectors.toMap(f -> f[1], f -> Double.parseDouble(f[6])));
        assertEquals(4, median.size(), median.toString());
        for (int s = 1; s <= 2; s++) {
            assertEquals(0.245, median.get("cifar10plus_arc_s" + s), 0.01, median.toString());
            assertEquals(1.155, median.get("cifar10plus_soft_s" + s), 0.01, median.toString());
        }
        List<String> curve = Files.readAllLines(tmp.resolve("figure7/target-angle-median.csv"));
        assertEquals(1 + 2 * 15, curve.size(), "15 epochs of two losses: " + curve);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
