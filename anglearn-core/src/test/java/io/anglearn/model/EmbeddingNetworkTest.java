package io.anglearn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.anglearn.engine.Engines;
import io.anglearn.loss.ClassifierHead;
import io.anglearn.loss.HeadKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedding network: outputs, determinism, training with d = 2, and save → load. */
class EmbeddingNetworkTest {

    private static final int CLASSES = 4;
    private static final Shape IMAGE = new Shape(1, 8, 8);

    private static Engine engine;
    private static NDManager manager;

    @BeforeAll
    static void open() {
        engine = Engines.pytorch();
        manager = engine.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** ResNet8 (one block per stage) keeps these tests fast; the blocks are the same as ResNet20's. */
    private static EmbeddingNetwork network(int d, HeadKind kind) {
        return new EmbeddingNetwork(ResNetCifar.threeStage(8), d, new ClassifierHead(CLASSES, kind));
    }

    private static EmbeddingNetwork initialised(int d, HeadKind kind, int seed, NDManager m) {
        engine.setRandomSeed(seed);
        EmbeddingNetwork net = network(d, kind);
        net.initialize(m, DataType.FLOAT32, new Shape(1).addAll(IMAGE));
        return net;
    }

    /** Class c lights up quadrant c of an 8×8 image, plus Gaussian noise. */
    private static NDList syntheticBatch(NDManager m, int n, long seed) {
        Random rnd = new Random(seed);
        float[] pixels = new float[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            int r0 = (labels[i] / 2) * 4;
            int c0 = (labels[i] % 2) * 4;
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    boolean on = r >= r0 && r < r0 + 4 && c >= c0 && c < c0 + 4;
                    pixels[i * 64 + r * 8 + c] = (on ? 1f : 0f) + 0.3f * (float) rnd.nextGaussian();
                }
            }
        }
        return new NDList(m.create(pixels, new Shape(n).addAll(IMAGE)), m.create(labels));
    }

    private static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return logits.logSoftmax(1).mul(labels.oneHot(CLASSES)).sum(new int[] {1}).neg().mean();
    }

    /** Plain SGD steps on the synthetic batch (DJL's fused update zeroes each gradient after use). */
    private static List<Float> train(EmbeddingNetwork net, int steps, float lr) {
        ParameterStore store = new ParameterStore(manager, false);
        List<Float> losses = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            try (NDManager step = manager.newSubManager()) {
                NDList batch = syntheticBatch(step, 16, s);
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDList out = net.forward(store, new NDList(batch.get(0)), true);
                    NDArray loss = crossEntropy(out.get(1), batch.get(1));
                    gc.backward(loss);
                    losses.add(loss.getFloat());
                }
                for (Pair<String, Parameter> p : net.getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        NDArray w = p.getValue().getArray();
                        NDArray g = w.getGradient();
                        w.getNDArrayInternal().sgdUpdate(new NDList(w, g), new NDList(w), lr, 0f, 1f, -1f, 0f, true);
                        g.close();
                    }
                }
            }
        }
        return losses;
    }

    private static float[][] evalOutputs(EmbeddingNetwork net, NDManager m) {
        try (NDManager step = m.newSubManager()) {
            NDList batch = syntheticBatch(step, 16, 1234);
            NDList out = net.forward(new ParameterStore(step, false), new NDList(batch.get(0)), false);
            return new float[][] {out.get(0).toFloatArray(), out.get(1).toFloatArray()};
        }
    }

    private static byte[] save(EmbeddingNetwork net) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream os = new DataOutputStream(bytes)) {
            net.saveParameters(os);
        }
        return bytes.toByteArray();
    }

    private static void load(EmbeddingNetwork net, byte[] saved, NDManager m) throws IOException, MalformedModelException {
        try (DataInputStream is = new DataInputStream(new ByteArrayInputStream(saved))) {
            net.loadParameters(m, is);
        }
    }

    @Test
    void returnsTheFeatureAndTheHeadOutput() {
        for (int d : new int[] {0, 2, 16}) {
            EmbeddingNetwork net = initialised(d, HeadKind.COSINE, 1, manager);
            float[][] out = evalOutputs(net, manager);
            int features = d == 0 ? 64 : d;
            assertEquals(16 * features, out[0].length, "x is N×" + features);
            assertEquals(16 * CLASSES, out[1].length, "head output is N×C");
            for (float c : out[1]) {
                assertTrue(Math.abs(c) <= 1 + 1e-5, "a cosine head gives cosines, got " + c);
            }
            Shape[] shapes = net.getOutputShapes(new Shape[] {new Shape(16).addAll(IMAGE)});
            assertEquals(new Shape(16, features), shapes[0]);
            assertEquals(new Shape(16, CLASSES), shapes[1]);
        }
    }

    @Test
    void sameSeedGivesIdenticalParametersAndOutputs() {
        try (NDManager a = manager.newSubManager(); NDManager b = manager.newSubManager();
                NDManager c = manager.newSubManager()) {
            EmbeddingNetwork first = initialised(2, HeadKind.LINEAR, 7, a);
            EmbeddingNetwork second = initialised(2, HeadKind.LINEAR, 7, b);
            EmbeddingNetwork other = initialised(2, HeadKind.LINEAR, 8, c);
            ai.djl.nn.ParameterList p1 = first.getParameters();
            ai.djl.nn.ParameterList p2 = second.getParameters();
            assertEquals(p1.size(), p2.size());
            for (int i = 0; i < p1.size(); i++) {
                assertArrayEquals(p1.get(i).getValue().getArray().toFloatArray(),
                        p2.get(i).getValue().getArray().toFloatArray(), p1.get(i).getKey());
            }
            float[][] o1 = evalOutputs(first, a);
            float[][] o2 = evalOutputs(second, b);
            assertArrayEquals(o1[0], o2[0]);
            assertArrayEquals(o1[1], o2[1]);
            assertFalse(java.util.Arrays.equals(o1[0], evalOutputs(other, c)[0]), "another seed gives another network");
        }
    }

    @Test
    void twoDimensionalEmbeddingTrains() {
        try (NDManager m = manager.newSubManager()) {
            EmbeddingNetwork net = initialised(2, HeadKind.LINEAR, 3, m);
            List<Float> losses = train(net, 15, 0.05f);
            float first = losses.get(0);
            float last = (losses.get(12) + losses.get(13) + losses.get(14)) / 3;
            // Chance level is ln 4 ≈ 1.39; a 2-D feature that separates the four classes goes well below.
            assertTrue(Float.isFinite(last) && last < 0.5f * first && last < 0.5 * Math.log(CLASSES),
                    "loss should fall well below chance with d = 2: first " + first + ", last " + last + ", all " + losses);
        }
    }

    @Test
    void savedAndLoadedNetworkGivesIdenticalOutputs() throws Exception {
        EmbeddingNetwork trained = initialised(2, HeadKind.COSINE, 5, manager);
        train(trained, 3, 0.05f); // moves the weights and the BatchNorm running statistics off their start
        byte[] saved = save(trained);
        float[][] expected = evalOutputs(trained, manager);

        try (NDManager m = manager.newSubManager()) {
            // Into a network initialised from another seed: every value must be replaced.
            EmbeddingNetwork restored = initialised(2, HeadKind.COSINE, 99, m);
            assertFalse(java.util.Arrays.equals(expected[0], evalOutputs(restored, m)[0]));
            load(restored, saved, m);
            float[][] actual = evalOutputs(restored, m);
            assertArrayEquals(expected[0], actual[0], "features");
            assertArrayEquals(expected[1], actual[1], "head output");
            ai.djl.nn.ParameterList want = trained.getParameters();
            ai.djl.nn.ParameterList got = restored.getParameters();
            boolean sawRunningMean = false;
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.get(i).getKey(), got.get(i).getKey());
                assertArrayEquals(want.get(i).getValue().getArray().toFloatArray(),
                        got.get(i).getValue().getArray().toFloatArray(), want.get(i).getKey());
                sawRunningMean |= want.get(i).getValue().getType() == Parameter.Type.RUNNING_MEAN
                        && want.get(i).getValue().getArray().abs().sum().getFloat() > 0;
            }
            assertTrue(sawRunningMean, "training moved BatchNorm running means, and they round-trip");
            assertArrayEquals(saved, save(restored), "saving the loaded network reproduces the file");

            // Into a fresh network that was never initialised.
            EmbeddingNetwork fresh = network(2, HeadKind.COSINE);
            load(fresh, saved, m);
            float[][] fromFresh = evalOutputs(fresh, m);
            assertArrayEquals(expected[0], fromFresh[0]);
            assertArrayEquals(expected[1], fromFresh[1]);
        }
    }

    @Test
    void loadingIntoADifferentlyBuiltNetworkFailsClearly() throws Exception {
        byte[] saved = save(initialised(2, HeadKind.COSINE, 5, manager));
        try (NDManager m = manager.newSubManager()) {
            EmbeddingNetwork otherDim = network(3, HeadKind.COSINE);
            MalformedModelException e = assertThrows(MalformedModelException.class, () -> load(otherDim, saved, m));
            assertTrue(e.getMessage().contains("embedding dimension 2"), e.getMessage());
            EmbeddingNetwork otherHead = network(2, HeadKind.LINEAR);
            e = assertThrows(MalformedModelException.class, () -> load(otherHead, saved, m));
            assertTrue(e.getMessage().contains("COSINE"), e.getMessage());
        }
    }
}
