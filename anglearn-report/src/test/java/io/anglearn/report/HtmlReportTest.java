package io.anglearn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.record.RunArtifacts;
import io.anglearn.record.SyntheticRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report of recorded runs: every figure embedded, nothing loaded from elsewhere. */
class HtmlReportTest {

    @TempDir
    Path tmp;

    @Test
    void reportEmbedsEveryFigureAndLoadsNothingFromTheNetwork() throws IOException {
        Path a = SyntheticRuns.write(tmp.resolve("soft-2d"), "soft", 2, 0.4);
        Path b = SyntheticRuns.write(tmp.resolve("arc-16d"), "arc", 16, 0.1);
        HtmlReport r = HtmlReport.builder().addRun(RunArtifacts.load(a)).addRun(RunArtifacts.load(b))
                .optFiguresDir(tmp.resolve("figures")).optRidgeClass(3).build();
        String html = r.render();
        // 3 comparative + per run: scatter (2-D only) + ridge + similarity + confusion
        assertEquals(3 + 1 + 3 + 3, r.figureCount());
        assertEquals(r.figureCount(), html.split("<img ", -1).length - 1);
        assertEquals(r.figureCount(), html.split("src=\"data:image/png;base64,", -1).length - 1);
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("src=\"/"),
                "no network or file resources");
        assertTrue(html.contains("Figure 6 needs a run with --embedding-dim 2"));
        assertTrue(html.contains("<tr class=\"diff\"><td>config.loss</td><td>soft</td><td>arc</td></tr>"), "loss differs");
        assertTrue(Files.isRegularFile(tmp.resolve("figures/wc_intra_by_iteration.svg")));
        assertTrue(Files.isRegularFile(tmp.resolve("figures/soft-2d_feature_scatter.png")));
        try (Stream<Path> s = Files.list(tmp.resolve("figures"))) {
            assertEquals(2 * r.figureCount(), s.count(), "a PNG and an SVG per figure");
        }
    }
}
