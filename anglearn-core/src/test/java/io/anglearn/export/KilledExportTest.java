package io.anglearn.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) while it writes a model leaves the model file as it was: no partial
 * model, only the hidden temporary file beside it.
 */
class KilledExportTest {

    /**
     * The child process: starts writing a model, says so once megabytes of it are on their way to
     * the disk, and waits to be killed.
     *
     * @param args the model file
     * @throws Exception never, in the test: the process is killed first
     */
    public static void main(String[] args) throws Exception {
        OnnxExporter.writeAtomically(Path.of(args[0]), out -> {
            out.write(new byte[4 << 20]);
            out.flush();
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException("interrupted");
            }
        });
    }

    @Test
    void aKilledWriteLeavesThePreviousModel(@TempDir Path dir) throws Exception {
        Path model = Files.writeString(dir.resolve("model.onnx"), "the previous model");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KilledExportTest.class.getName(), model.toString()).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = r.readLine();
            } while (line != null && !line.equals("writing"));
            assertEquals("writing", line, "the child never started writing");
            List<Path> partial;
            try (Stream<Path> s = Files.list(dir)) {
                partial = s.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
            }
            assertEquals(1, partial.size(), "the write goes to a temporary file");
            assertTrue(Files.size(partial.get(0)) > 0, "part of the model is on disk when the process is killed");
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertEquals("the previous model", Files.readString(model));
    }
}
