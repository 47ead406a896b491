package io.anglearn.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.VerificationMetrics;
import io.anglearn.rundir.RunFiles;
import io.anglearn.train.EpochRecord;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files named .json and .jsonl are strict JSON: a value that does not exist is null, not a bare NaN. */
class StrictJsonTest {

    private static JsonObject strict(String json) throws Exception {
        JsonReader r = new JsonReader(new StringReader(json));
        r.setStrictness(Strictness.STRICT);
        return com.google.gson.internal.Streams.parse(r).getAsJsonObject();
    }

    @Test
    void verificationWithTooFewPairsForAFarWritesNullAndReadsItAsNaN(@TempDir Path run) throws Exception {
        // Four pairs: no TAR at FAR 1e-3 exists.
        VerificationMetrics m = VerificationMetrics.compute(new double[] {0.9, 0.8, 0.1, 0.2},
                new boolean[] {true, true, false, false}, 1e-2, 1e-3);
        VerificationRecord.write(run, "test", 3, "abc", 100, 1, m, null, null);
        String json = Files.readString(run.resolve(RunFiles.VERIFICATION));
        assertFalse(json.contains("NaN"), json);
        JsonObject v = strict(json).getAsJsonObject("verification");
        assertTrue(v.get("tarAtFar1e-3").isJsonNull(), json);
        assertTrue(Double.isNaN(VerificationRecord.read(run).value("tarAtFar1e-3")));
        assertEquals(1.0, VerificationRecord.read(run).value("rocAuc"), 1e-12);
    }

    @Test
    void anOldVerificationFileWithNaNIsStillRead(@TempDir Path run) throws Exception {
        VerificationMetrics m = VerificationMetrics.compute(new double[] {0.9, 0.8, 0.1, 0.2},
                new boolean[] {true, true, false, false}, 1e-2, 1e-3);
        VerificationRecord.write(run, "test", 3, "abc", 100, 1, m, null, null);
        Path f = run.resolve(RunFiles.VERIFICATION);
        // As earlier versions wrote it.
        Files.writeString(f, Files.readString(f).replace("null", "NaN"));
        assertTrue(Files.readString(f).contains("NaN"));
        assertTrue(Double.isNaN(VerificationRecord.read(run).value("tarAtFar1e-3")));
        assertEquals(1.0, VerificationRecord.read(run).value("rocAuc"), 1e-12);
    }

    @Test
    void metricsLinesOfAnEpochNotEvaluatedHoldNull() throws Exception {
        EpochRecord r = new EpochRecord(1, 1.0, 50, Double.NaN, Double.NaN, AngleStatistics.of(new float[] {1, 0, 0, 1}, 2,
                new int[] {0, 1}, new double[][] {{1, 0}, {0, 1}}), 1e-3, 1, 100, 1, 0);
        String line = MetricsTable.toJsonLines(List.of(r)).strip();
        assertFalse(line.contains("NaN"), line);
        JsonObject o = strict(line);
        assertTrue(o.get("test_top1_err").isJsonNull() && o.get("map_at_r").isJsonNull(), line);
        assertEquals(1.0, o.get("train_loss").getAsDouble(), 0);
    }
}
