package io.anglearn.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.record.tensorboard.EventFileReader;
import io.anglearn.rundir.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecorderTest {

    @TempDir
    Path tmp;

    @Test
    void recordedRunReadsBackAndItsEventFileDecodes() throws IOException {
        Path dir = SyntheticRuns.write(tmp.resolve("arc-2d"), "arc", 2, 0.1);
        RunArtifacts a = RunArtifacts.load(dir);
        assertEquals("arc-2d", a.name());
        assertEquals("arc", a.config().get("config.loss"));
        assertEquals("4.0", a.config().get("config.lossParams.k"));
        assertEquals(3, a.metrics().get("epoch").length);
        // 30 steps, angles every 5 → 6 rows
        assertEquals(6, a.anglesByIteration().get("step").length);
        assertEquals(30.0, a.anglesByIteration().get("step")[5]);
        assertEquals(Set.of(1, 2, 3), a.targetAngles().keySet());
        assertEquals(20, a.targetAngles().get(2).ofClass(4).length, "20 samples per class");
        assertNotNull(a.embedding());
        assertEquals(2, a.embedding().dim());
        assertEquals(300, a.embedding().labels().length);
        assertEquals(SyntheticRuns.CLASSES, a.embedding().classNames());
        assertEquals(10, a.classWeights().length);
        double p1 = Double.parseDouble(a.quality().get("precision_at_1"));
        assertTrue(p1 > 0.5 && p1 <= 1, "precision@1 " + p1);

        Path event;
        try (Stream<Path> s = Files.list(dir.resolve(RunFiles.TENSORBOARD))) {
            event = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst().orElseThrow();
        }
        List<EventFileReader.Event> events = EventFileReader.events(event);
        assertEquals("brain.Event:2", events.get(0).fileVersion());
        Set<String> tags = new HashSet<>();
        int histograms = 0;
        for (EventFileReader.Event e : events.subList(1, events.size())) {
            tags.add(e.tag());
            if (e.histo() != null) {
                histograms++;
                double num = EventFileReader.asDouble(e.histo().get(3).get(0));
                double[] counts = EventFileReader.packedDoubles(e.histo().get(7).get(0));
                assertEquals(num, java.util.Arrays.stream(counts).sum(), 1e-9, "bucket counts add up to num");
                assertEquals(20, num);
            }
        }
        assertEquals(30, histograms, "10 classes × 3 epochs");
        for (String t : List.of("train/loss", "epoch/test_top1_error_percent", "angles/wc_intra", "angles/w_inter",
                "epoch/learning_rate", "angles_by_iteration/wc_intra", "test/map_at_r", "test/nmi_kmeans",
                "target_angle/class_0_T_shirt_top")) {
            assertTrue(tags.contains(t), "missing tag " + t + " in " + tags);
        }
        assertTrue(Files.readString(dir.resolve("tensorboard/projector_config.pbtxt")).contains("test_features.tsv"));
    }

    @Test
    void notARunDirectoryIsNamed() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        IOException e = assertThrows(IOException.class, () -> RunArtifacts.load(tmp.resolve("empty")));
        assertTrue(e.getMessage().endsWith("is not a run directory: config.json is missing"), e.getMessage());
        Path dir = SyntheticRuns.write(tmp.resolve("bad"), "arc", 2, 0.1);
        Files.writeString(dir.resolve(RunFiles.METRICS), "epoch,test_top1_err\n1,abc\n");
        e = assertThrows(IOException.class, () -> RunArtifacts.load(dir));
        assertTrue(e.getMessage().contains("column test_top1_err: 'abc' is not a number"), e.getMessage());
    }
}
