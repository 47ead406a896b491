package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.anglearn.engine.Engines;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parts of multi-device training that can run on one CPU: splitting a batch, and the
 * parameter server summing gradients and keeping the copies equal.
 */
class MultiDeviceTest {

    @Test
    void sharesCoverTheBatchWithSizesDifferingByAtMostOne() {
        assertArrayEquals(new int[][] {{0, 4}, {4, 7}, {7, 10}}, Trainer.shares(10, 3));
        assertArrayEquals(new int[][] {{0, 1}, {1, 2}}, Trainer.shares(2, 4));
        assertArrayEquals(new int[][] {{0, 5}}, Trainer.shares(5, 1));
    }

    @Test
    void serverSumsGradientsUpdatesTheFirstCopyAndBroadcastsIt() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(m.create(new float[] {1f, 1f}));
            SgdOptimizer sgd = new SgdOptimizer(0, false);
            sgd.initialize(List.of(p));
            MultiDeviceParameterServer server = new MultiDeviceParameterServer(sgd, Map.of(p.getId(), 0));
            NDArray copy = m.create(new float[] {1f, 1f});
            NDArray g0 = m.create(new float[] {1f, 2f});
            NDArray g1 = m.create(new float[] {3f, 4f});
            sgd.beginStep(0.1, 0);
            server.update(p.getId(), new NDArray[] {g0, g1}, new NDArray[] {p.getArray(), copy});
            assertArrayEquals(new float[] {0.6f, 0.4f}, p.getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(p.getArray().toFloatArray(), copy.toFloatArray(), 0f);
            assertEquals(0f, g1.abs().sum().getFloat(), "the other devices' gradients are zeroed");
        }
    }
}
