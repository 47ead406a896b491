package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.anglearn.run.TrainingRun;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --freeze-backbone-epochs} on a built-in architecture: during the frozen epoch nothing of
 * the ResNet moves, neither its weights nor its BatchNorm running statistics, while the projection
 * and the head train; after it the backbone trains too.
 */
class FreezeBackboneTest {

    @Test
    void aFrozenResNetKeepsEveryArrayWhileProjectionAndHeadTrain(@TempDir Path runs) throws Exception {
        TrainingConfig c = SyntheticData.smallConfig(runs.toString(), "frozen");
        c.epochs = 2;
        c.freezeBackboneEpochs = 1;
        c.embeddingDim = 4;
        c.angleInterval = 0;
        ParameterSnapshots snapshots = new ParameterSnapshots();
        new TrainingRun(c, SyntheticData.small()).execute(snapshots);
        List<String> names = snapshots.names;
        List<float[]> initial = snapshots.initial;
        List<List<float[]>> atEpochEnd = snapshots.atEpochEnd;
        assertEquals(2, atEpochEnd.size());
        int backbone = 0;
        int runningStats = 0;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.startsWith("01backbone")) {
                backbone++;
                runningStats += name.contains("running") ? 1 : 0;
                assertArrayEquals(initial.get(i), atEpochEnd.get(0).get(i), name + " does not move while frozen");
            } else {
                assertFalse(Arrays.equals(initial.get(i), atEpochEnd.get(0).get(i)), name + " trains while frozen");
            }
        }
        assertEquals(true, backbone > 0 && runningStats > 0, "the backbone's arrays, running statistics included: "
                + names);
        int moved = 0;
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).startsWith("01backbone") && !Arrays.equals(atEpochEnd.get(0).get(i), atEpochEnd.get(1).get(i))) {
                moved++;
            }
        }
        assertEquals(backbone, moved, "every backbone array trains once thawed");
    }
}
