package io.anglearn.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The strict check of DJL's array encoding: everything DJL writes passes, damaged counts do not. */
class ArrayEncodingTest {

    @Test
    void acceptsWhatDjlWritesForEveryNumericTypeAndShape() throws IOException {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            NDArray named = m.arange(6f).reshape(2, 3);
            named.setName("weight");
            NDList list = new NDList(named, m.create(3.5), m.zeros(new Shape(0)), m.ones(new Shape(2, 1, 2),
                    DataType.FLOAT64), m.arange(4).toType(DataType.INT64, false), m.arange(3).toType(DataType.INT32,
                    false), m.arange(3).toType(DataType.INT8, false), m.arange(3).toType(DataType.UINT8, false),
                    m.create(new boolean[] {true, false}), m.ones(new Shape(2)).toType(DataType.FLOAT16, false));
            byte[] bytes = list.encode();
            ArrayEncoding.checkList("list", bytes);
            NDList back = NDList.decode(m, bytes);
            assertEquals(list.size(), back.size());
            for (int i = 0; i < list.size(); i++) {
                assertEquals(list.get(i).getShape(), back.get(i).getShape());
                assertEquals(list.get(i).getDataType(), back.get(i).getDataType());
            }
            assertArrayEquals(named.toFloatArray(), back.get(0).toFloatArray());
            assertDoesNotThrow(() -> ArrayEncoding.checkArray("one", named.encode()));
            assertDoesNotThrow(() -> ArrayEncoding.checkList("empty", new NDList().encode()));
        }
    }

    @Test
    void refusesCountsTheBytesCannotHold() throws IOException {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            byte[] good = new NDList(m.arange(6f).reshape(2, 3)).encode();
            int type = indexOf(good, "FLOAT32");
            int rank = type + 7;
            assertProblem(with(good, 0, 1_000_000), "declares 1000000 arrays");
            assertProblem(with(good, 0, -1), "declares -1 arrays");
            assertProblem(with(good, rank, Integer.MAX_VALUE), "rank 2147483647");
            assertProblem(with(good, rank + 4, -2), "dimension 0 is");
            int length = rank + 4 + 16 + 4 + 2 * ByteBuffer.wrap(good).getInt(rank + 4 + 16) + 1;
            assertProblem(with(good, length, 1 << 30), "holds 1073741824 data bytes, but its shape and type need 24");
            assertProblem(Arrays.copyOf(good, good.length - 1), "truncated");
            assertProblem(Arrays.copyOf(good, good.length + 3), "3 unexpected bytes");
            byte[] unknownType = good.clone();
            System.arraycopy("FLOAT33".getBytes(StandardCharsets.US_ASCII), 0, unknownType, type, 7);
            assertProblem(unknownType, "unknown data type 'FLOAT33'");
            byte[] zip = new byte[64];
            zip[0] = 'P';
            zip[1] = 'K';
            assertProblem(zip, "impossible in 64 bytes");
        }
    }

    private static void assertProblem(byte[] bytes, String problem) {
        IOException e = assertThrows(IOException.class, () -> ArrayEncoding.checkList("model.ndlist", bytes));
        assertTrue(e.getMessage().startsWith("model.ndlist: ") && e.getMessage().contains(problem), e.getMessage());
    }

    private static byte[] with(byte[] b, int at, int value) {
        byte[] out = b.clone();
        ByteBuffer.wrap(out).putInt(at, value);
        return out;
    }

    private static int indexOf(byte[] b, String s) {
        byte[] t = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + t.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + t.length, t, 0, t.length)) {
                return i;
            }
        }
        throw new AssertionError(s + " not found");
    }
}
