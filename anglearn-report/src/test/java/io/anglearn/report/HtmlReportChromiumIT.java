package io.anglearn.report;

import io.anglearn.record.RunArtifacts;
import io.anglearn.record.SyntheticRuns;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report rendered by a real browser: every figure decodes and the page is not blank. */
class HtmlReportChromiumIT {

    @Test
    void reportRendersInHeadlessChromium(@TempDir Path tmp) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.findOrSkip();
        Path a = SyntheticRuns.write(tmp.resolve("soft-2d"), "soft", 2, 0.4);
        Path b = SyntheticRuns.write(tmp.resolve("arc-16d"), "arc", 16, 0.1);
        HtmlReport report = HtmlReport.builder().addRun(RunArtifacts.load(a)).addRun(RunArtifacts.load(b)).build();
        Path page = tmp.resolve("report.html");
        report.write(page);
        assertRendered(chromium, page, report.figureCount(), tmp, Path.of("target", "report-synthetic.png"));
    }

    /** Checks the DOM marker set by the page's script, then the screenshot's ink. */
    static void assertRendered(HeadlessChromium chromium, Path page, int figures, Path work, Path keepScreenshot)
            throws Exception {
        String dom = chromium.dumpDom(page, work);
        Matcher m = Pattern.compile("data-figures=\"([a-z]+) (\\d+)\"").matcher(dom);
        assertTrue(m.find(), "the page's load script did not run; DOM starts: "
                + dom.substring(0, Math.min(300, dom.length())));
        assertTrue(m.group(1).equals("loaded") && Integer.parseInt(m.group(2)) == figures,
                "expected all " + figures + " figures loaded, the page says: " + m.group());
        BufferedImage shot = chromium.screenshot(page, work, 1400, 2400);
        Files.createDirectories(keepScreenshot.toAbsolutePath().getParent());
        javax.imageio.ImageIO.write(shot, "png", keepScreenshot.toFile());
        double ink = HeadlessChromium.inkFraction(shot);
        assertTrue(ink > 0.05, "screenshot looks blank: " + ink + " of pixels are not white");
    }
}
