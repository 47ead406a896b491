package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

    @TempDir
    Path tmp;

    private Path run(String name, String loss, double err) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.writeString(d.resolve("config.json"), "{\"config\": {\"loss\": \"" + loss + "\", \"epochs\": 2}}");
        Files.writeString(d.resolve("metrics.csv"), "epoch,train_loss,test_top1_err\n1,1.5," + (err + 5) + "\n2,0.9,"
                + err + "\n");
        return d;
    }

    @Test
    void writesTheReportAndItsFigureFiles() throws Exception {
        Path a = run("soft-run", "soft", 12.5);
        Path b = run("arc-run", "arc", 11.25);
        Path out = tmp.resolve("cmp.html");
        int code = Main.execute("report", "--run", a.toString(), "--run", b.toString(), "--out", out.toString());
        assertEquals(0, code);
        String html = Files.readString(out);
        assertTrue(html.contains("<td class=\"num\">12.50</td><td class=\"num\">11.25</td>"), "final errors side by side");
        assertTrue(Files.isRegularFile(tmp.resolve("cmp_figures/learning_curve_test_error.svg")));
        assertTrue(Files.isRegularFile(tmp.resolve("cmp_figures/learning_curve_train_loss.png")));
    }

    @Test
    void aMissingRunDirectoryIsAClearError() throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute("report", "--run", tmp.resolve("nope").toString(), "--out", tmp.resolve("r.html").toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(1, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("run directory " + tmp.resolve("nope") + " does not exist"),
                err.toString(StandardCharsets.UTF_8));
        assertTrue(!Files.exists(tmp.resolve("r.html")), "no report written");
    }
}
