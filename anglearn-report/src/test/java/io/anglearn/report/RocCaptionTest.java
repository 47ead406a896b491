package io.anglearn.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.metrics.VerificationMetrics;
import io.anglearn.record.VerificationRecord;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ROC figure's caption in the report, from a run's {@code verification.json}. */
class RocCaptionTest {

    @Test
    void theRocCaptionSaysWhenTarAtFar1e3CannotBeMeasuredInsteadOfNaN(@TempDir Path run) throws Exception {
        VerificationMetrics m = VerificationMetrics.compute(new double[] {0.9, 0.8, 0.1, 0.2},
                new boolean[] {true, true, false, false}, 1e-2, 1e-3);
        VerificationRecord.write(run, "test", 3, "abc", 100, 1, m, null, null);
        String caption = HtmlReport.rocCaption("a", VerificationRecord.read(run));
        assertFalse(caption.contains("NaN"), caption);
        assertTrue(caption.contains("TAR at FAR 1e-3 not measurable with 2 negative pairs"), caption);
    }
}
