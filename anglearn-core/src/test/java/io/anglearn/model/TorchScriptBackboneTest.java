package io.anglearn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.anglearn.TorchScriptModules;
import io.anglearn.engine.Engines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TorchScript module written by PyTorch is read, computes what PyTorch computes, passes its
 * gradients to its own parameters, is written back with its buffers, and every kind of unfit file
 * is refused with a message that names it and says what was expected.
 */
class TorchScriptBackboneTest {

    @TempDir
    static Path modules;

    @BeforeAll
    static void generate() throws Exception {
        TorchScriptModules.generate(modules);
    }

    private static final Shape GREY = new Shape(1, 1, 8, 8);

    @Test
    void computesWhatPyTorchComputesAndExposesItsParameters() throws Exception {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            TorchScriptBackbone b = new TorchScriptBackbone(modules.resolve("scripted.pt"));
            b.initialize(m, DataType.FLOAT32, GREY);
            assertEquals(6, b.features());
            assertEquals(new Shape(5, 6), b.getOutputShapes(new Shape[] {new Shape(5, 1, 8, 8)})[0]);
            List<String> names = new ArrayList<>();
            List<Shape> shapes = new ArrayList<>();
            for (Pair<String, Parameter> p : b.getParameters()) {
                names.add(p.getKey());
                shapes.add(p.getValue().getArray().getShape());
                assertTrue(p.getValue().requiresGradient(), p.getKey() + " trains");
            }
            assertEquals(List.of("conv.weight", "conv.bias", "bn.weight", "bn.bias", "fc.weight", "fc.bias"), names);
            assertEquals(List.of(new Shape(8, 1, 3, 3), new Shape(8), new Shape(8), new Shape(8), new Shape(6, 8),
                    new Shape(6)), shapes);

            float[] expected = expected();
            NDArray x = m.create(TorchScriptModules.expectedInput(), new Shape(2, 1, 8, 8));
            float[] actual = b.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            assertEquals(expected.length, actual.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5, "output " + i + " against PyTorch's");
            }

            // A training pass reaches every parameter through TorchScript's autograd.
            try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                NDArray y = b.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                gc.backward(y.mul(m.arange(12f).reshape(2, 6)).sum());
            }
            for (Pair<String, Parameter> p : b.getParameters()) {
                float g = p.getValue().getArray().getGradient().abs().sum().getFloat();
                if (!p.getKey().equals("conv.bias")) { // BatchNorm right after it cancels a bias exactly
                    assertTrue(g > 0, p.getKey() + " has a gradient");
                }
            }
        }
    }

    @Test
    void writesTheModuleWithItsBuffers(@TempDir Path tmp) throws Exception {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            TorchScriptBackbone b = new TorchScriptBackbone(modules.resolve("scripted.pt"));
            b.initialize(m, DataType.FLOAT32, GREY);
            NDArray x = m.create(TorchScriptModules.expectedInput(), new Shape(2, 1, 8, 8));
            ParameterStore ps = new ParameterStore(m, false);
            float[] before = b.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            // A training pass moves BatchNorm's running statistics, which are buffers, not parameters.
            b.forward(ps, new NDList(x.mul(3).add(1)), true);
            float[] after = b.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            assertFalse(java.util.Arrays.equals(before, after), "the running statistics moved");

            Path copy = tmp.resolve("copy.pt");
            Files.write(copy, b.moduleBytes());
            TorchScriptBackbone c = new TorchScriptBackbone(copy);
            c.initialize(m, DataType.FLOAT32, GREY);
            assertArrayEquals(after, c.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray(),
                    "the written module has the parameters and the running statistics of the live one");
            assertThrows(UnsupportedOperationException.class,
                    () -> b.saveParameters(new java.io.DataOutputStream(java.io.OutputStream.nullOutputStream())));
        }
    }

    @Test
    void acceptsAModuleTracedInEvaluationMode() throws Exception {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            TorchScriptBackbone b = new TorchScriptBackbone(modules.resolve("traced-eval.pt"));
            b.initialize(m, DataType.FLOAT32, GREY);
            NDArray x = m.create(TorchScriptModules.expectedInput(), new Shape(2, 1, 8, 8));
            float[] actual = b.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            float[] expected = expected();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5, "output " + i);
            }
        }
    }

    @Test
    void refusesWhatIsNotAFittingModule(@TempDir Path tmp) throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.pt"), "not a module");
        Path zip = tmp.resolve("other.zip");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry("a/readme.txt"));
            z.write(1);
        }
        refused(tmp.resolve("missing.pt"), GREY, "does not exist");
        refused(tmp, GREY, "is not a file");
        refused(text, GREY, "not a zip archive");
        refused(zip, GREY, "is a zip archive but not a TorchScript module");
        refused(modules.resolve("weights.pt"), GREY, "holds tensors saved by torch.save");
        refused(modules.resolve("scripted.pt"), new Shape(1, 3, 8, 8), "does not accept a batch of 3x8x8 images");
        refused(modules.resolve("feature-maps.pt"), GREY, "returns a tensor of shape (3, 8, 8, 8)");
        refused(modules.resolve("two-outputs.pt"), GREY, "returns 2 values");
        refused(modules.resolve("float64.pt"), GREY, "is float64");
        refused(modules.resolve("traced-train.pt"), GREY, "depend on the other images of its batch");
    }

    private static void refused(Path file, Shape input, String reason) {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            TorchScriptBackbone b = new TorchScriptBackbone(file);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.initialize(m, DataType.FLOAT32, input));
            assertTrue(e.getMessage().startsWith("--backbone torchscript:" + file + ": "), e.getMessage());
            assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains(reason.toLowerCase(java.util.Locale.ROOT)),
                    "expected '" + reason + "' in: " + e.getMessage());
        }
    }

    private static float[] expected() throws Exception {
        String[] words = Files.readString(modules.resolve("scripted-expected.txt")).trim().split(" ");
        float[] out = new float[words.length];
        for (int i = 0; i < words.length; i++) {
            out[i] = Float.parseFloat(words[i]);
        }
        return out;
    }
}
