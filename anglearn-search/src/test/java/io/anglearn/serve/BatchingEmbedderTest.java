package io.anglearn.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The forward worker outlives any failure of one batch, an {@link Error} included. */
class BatchingEmbedderTest {

    @Test
    void anErrorInOneForwardPassFailsThatBatchOnlyAndTheWorkerGoesOn() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        BatchingEmbedder.Network network = (px, n) -> {
            if (passes.incrementAndGet() <= 2) {
                throw passes.get() == 1 ? new OutOfMemoryError("native pass") : new StackOverflowError();
            }
            return new float[][] {new float[2 * n], new float[3 * n]};
        };
        try (BatchingEmbedder e = BatchingEmbedder.start(network, 4, 1, 0, n -> { })) {
            ExecutionException first = assertThrows(ExecutionException.class,
                    () -> e.submit(new byte[4]).get(10, TimeUnit.SECONDS));
            assertInstanceOf(OutOfMemoryError.class, first.getCause());
            ExecutionException second = assertThrows(ExecutionException.class,
                    () -> e.submit(new byte[4]).get(10, TimeUnit.SECONDS));
            assertInstanceOf(StackOverflowError.class, second.getCause());
            BatchingEmbedder.Output out = e.submit(new byte[4]).get(10, TimeUnit.SECONDS);
            assertEquals(2, out.embedding().length);
            assertEquals(3, out.scores().length);
        }
    }
}
