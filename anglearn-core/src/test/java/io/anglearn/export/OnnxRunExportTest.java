package io.anglearn.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.anglearn.TorchScriptModules;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.Batch;
import io.anglearn.data.ImageDataset;
import io.anglearn.engine.Engines;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.loss.Losses;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.model.TorchScriptBackbone;
import io.anglearn.run.TrainedRun;
import io.anglearn.run.TrainingRun;
import io.anglearn.rundir.RunFiles;
import io.anglearn.train.Embeddings;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingListener;
import io.anglearn.util.Digests;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exporting a trained run: ONNX Runtime and DJL's ONNX Runtime engine give the run's own
 * embeddings and classes, the preprocessing takes image bytes, and every bad target or checkpoint
 * is refused with a message naming it, leaving the run directory unchanged.
 */
class OnnxRunExportTest {

    @TempDir
    static Path work;

    private static Path runDir;
    private static Map<String, String> runBefore;

    /** A three-class colour-patch run, trained for a few steps on 8×8 images. */
    @BeforeAll
    static void train() throws IOException {
        Random r = new Random(3);
        int[] rgb = {0x2040e0, 0x20c040, 0xe03020};
        String[] classes = {"blue", "green", "red"};
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 3; c++) {
                Path dir = Files.createDirectories(work.resolve("images").resolve(split).resolve(classes[c]));
                for (int i = 0; i < (split.equals("train") ? 8 : 5); i++) {
                    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                    for (int p = 0; p < 64; p++) {
                        int v = rgb[c];
                        int shift = r.nextInt(81) - 40;
                        img.setRGB(p % 8, p / 8, clamp((v >> 16 & 0xff) + shift) << 16
                                | clamp((v >> 8 & 0xff) + r.nextInt(81) - 40) << 8 | clamp((v & 0xff) - shift));
                    }
                    ImageIO.write(img, "png", dir.resolve(classes[c] + i + ".png").toFile());
                }
            }
        }
        TrainingConfig c = new TrainingConfig();
        c.dataset = "folder:" + work.resolve("images");
        c.imageSize = 8;
        c.imageChannels = 3;
        c.embeddingDim = 8;
        c.epochs = 2;
        c.batchSize = 8;
        c.tensorBoard = false;
        c.runsDir = work.resolve("runs").toString();
        c.name = "tiny";
        runDir = new TrainingRun(c).execute(new TrainingListener() {}).runDir();
        runBefore = tree(runDir);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** Every file of a folder with its SHA-256, to show nothing in it changed. */
    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Digests.sha256Hex(p));
            }
        }
        return out;
    }

    @AfterAll
    static void runDirectoryIsUnchanged() throws IOException {
        assertEquals(runBefore, tree(runDir), "exporting changed the run directory");
    }

    private static OnnxExporter.Options all(boolean preprocessing, boolean force) {
        return new OnnxExporter.Options(Set.of(OnnxExporter.Output.values()), preprocessing, force);
    }

    /** The test split as normalised N×C×H×W floats, as anglearn feeds them to its network. */
    private static float[] normalised(TrainedRun run, ImageDataset data) {
        float[] x = new float[data.size() * data.imageSize()];
        int at = 0;
        for (Batch b : BatchLoader.builder().setData(data).setNormalization(run.normalization()).optBatchSize(64).build()) {
            System.arraycopy(b.images(), 0, x, at, b.images().length);
            at += b.images().length;
        }
        return x;
    }

    @Test
    void onnxRuntimeGivesTheRunsEmbeddingsAndClasses(@TempDir Path out) throws Exception {
        try (TrainedRun run = TrainedRun.open(runDir)) {
            Path model = out.resolve("model.onnx");
            OnnxExporter.Result result = OnnxExporter.export(run, model, all(false, false));
            assertEquals(Digests.sha256Hex(model), result.sha256());
            ImageDataset test = run.split("test");
            Embeddings e = run.embed(test);
            float[] x = normalised(run, test);
            Ort.Outputs o = Ort.run(Files.readAllBytes(model), OnnxExporter.INPUT, x, test.size(), 3, 8, 8);
            double err = Ort.relativeError(o.get("embedding"), e.features());
            System.out.printf("ONNX export of a trained run: embedding max relative error %.3g%n", err);
            assertTrue(err < OnnxExportTest.TOLERANCE, "relative error " + err);
            assertTrue(Ort.relativeError(o.get("cosines"), e.scores()) < OnnxExportTest.TOLERANCE);
            for (int i = 0; i < test.size(); i++) {
                int expected = OnnxExportTest.argmax(e.scores(), i, 3);
                assertEquals(expected, OnnxExportTest.argmax(o.get("cosines"), i, 3), "image " + i);
                assertEquals(expected, OnnxExportTest.argmax(o.get("logits"), i, 3), "image " + i);
            }
            assertEquals(run.checkpointDigest(), o.metadata().get("checkpoint_sha256"));
            assertEquals("[\"blue\",\"green\",\"red\"]", o.metadata().get("class_names"));
            // The run set no loss parameter: the metadata gives the defaults it trained with.
            assertTrue(o.metadata().get("loss_params").contains("\"k\":4.0"), o.metadata().get("loss_params"));
            String card = Files.readString(result.card(), StandardCharsets.UTF_8);
            assertTrue(card.contains(result.sha256()) && card.contains(run.checkpointDigest()) && card.contains("\"red\""),
                    card);
        }
    }

    @Test
    void thePreprocessingTakesDecodedImageBytes(@TempDir Path out) throws Exception {
        try (TrainedRun run = TrainedRun.open(runDir)) {
            Path model = out.resolve("pixels.onnx");
            OnnxExporter.export(run, model, all(true, false));
            ImageDataset test = run.split("test");
            int n = test.size();
            byte[] planar = new byte[n * test.imageSize()];
            for (int i = 0; i < n; i++) {
                test.copyImage(i, planar, i * test.imageSize());
            }
            byte[] nhwc = new byte[planar.length];
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < 3; ch++) {
                    for (int p = 0; p < 64; p++) {
                        nhwc[(i * 64 + p) * 3 + ch] = planar[(i * 3 + ch) * 64 + p];
                    }
                }
            }
            float[][] expected = run.forwardPixels(planar, n);
            Ort.Outputs o = Ort.runPixels(Files.readAllBytes(model), OnnxExporter.PIXELS_INPUT, nhwc, n, 8, 8, 3);
            assertTrue(Ort.relativeError(o.get("embedding"), expected[0]) < OnnxExportTest.TOLERANCE);
        }
    }

    @Test
    void djlsOnnxRuntimeEngineLoadsTheModelWithACriteria(@TempDir Path out) throws Exception {
        try (TrainedRun run = TrainedRun.open(runDir)) {
            Path model = out.resolve("model.onnx");
            OnnxExporter.export(run, model, OnnxExporter.Options.defaults());
            ImageDataset test = run.split("test");
            Embeddings e = run.embed(test);
            float[] x = normalised(run, test);
            Criteria<NDList, NDList> criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(model)
                    .optEngine("OnnxRuntime")
                    .build();
            try (ZooModel<NDList, NDList> m = criteria.loadModel();
                    Predictor<NDList, NDList> predictor = m.newPredictor();
                    NDManager manager = m.getNDManager().newSubManager()) {
                assertEquals("OnnxRuntime", m.getNDManager().getEngine().getEngineName());
                NDArray images = manager.create(x, new Shape(test.size(), 3, 8, 8));
                images.setName(OnnxExporter.INPUT);
                NDList result = predictor.predict(new NDList(images));
                float[] embedding = result.get(0).toFloatArray();
                double err = Ort.relativeError(embedding, e.features());
                assertTrue(err < OnnxExportTest.TOLERANCE, "relative error " + err);
            }
        }
    }

    @Test
    void anExistingFileIsReplacedOnlyWithForce(@TempDir Path out) throws Exception {
        Path model = Files.writeString(out.resolve("model.onnx"), "keep me");
        try (TrainedRun run = TrainedRun.open(runDir)) {
            IOException e = assertThrows(IOException.class, () -> OnnxExporter.export(run, model, all(false, false)));
            assertTrue(e.getMessage().contains(model.toString()) && e.getMessage().contains("already exists"),
                    e.getMessage());
            assertEquals("keep me", Files.readString(model));
            assertFalse(Files.exists(OnnxExporter.cardFile(model)));
            OnnxExporter.export(run, model, all(false, true));
            assertTrue(Files.size(model) > 1000);
        }
    }

    @Test
    void aMissingFolderIsNamed(@TempDir Path out) throws Exception {
        Path model = out.resolve("missing").resolve("model.onnx");
        try (TrainedRun run = TrainedRun.open(runDir)) {
            IOException e = assertThrows(IOException.class, () -> OnnxExporter.export(run, model, all(false, false)));
            assertTrue(e.getMessage().contains(out.resolve("missing").toString()) && e.getMessage().contains("does not exist"),
                    e.getMessage());
        }
        assertFalse(Files.exists(out.resolve("missing")));
    }

    @Test
    void aFolderThatCannotBeWrittenIsNamed(@TempDir Path out) throws Exception {
        Path locked = Files.createDirectory(out.resolve("locked"));
        locked.toFile().setWritable(false, false);
        try {
            // The superuser writes into any folder; a read-only file system refuses everyone, but
            // needs privileges to set up, so the check runs where permissions bind.
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(locked),
                    "running as a user who can write into a read-only folder (root)");
            try (TrainedRun run = TrainedRun.open(runDir)) {
                IOException e = assertThrows(IOException.class,
                        () -> OnnxExporter.export(run, locked.resolve("model.onnx"), all(false, false)));
                assertTrue(e.getMessage().contains(locked.toString()) && e.getMessage().contains("not writable"),
                        e.getMessage());
            }
            try (Stream<Path> s = Files.list(locked)) {
                assertEquals(0, s.count());
            }
        } finally {
            locked.toFile().setWritable(true, false);
        }
    }

    @Test
    void aWriteThatFailsHalfWayLeavesNoModel(@TempDir Path out) throws Exception {
        Path model = out.resolve("model.onnx");
        IOException e = assertThrows(IOException.class, () -> OnnxExporter.writeAtomically(model, stream -> {
            stream.write(new byte[3 << 20]); // past the buffer, so part of it reached the disk
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains(model.toString()) && e.getMessage().contains("No space left"), e.getMessage());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(0, s.count(), "neither the model nor its temporary file is left");
        }
        Files.writeString(model, "previous");
        assertThrows(IOException.class, () -> OnnxExporter.writeAtomically(model, stream -> {
            stream.write(new byte[3 << 20]);
            throw new IOException("killed");
        }));
        assertEquals("previous", Files.readString(model));
    }

    @Test
    void checkpointsThatAreNotThereAreNamed(@TempDir Path out) throws Exception {
        IOException e = assertThrows(IOException.class, () -> TrainedRun.open(runDir, "step-999999"));
        assertTrue(e.getMessage().contains("step-999999") || e.getMessage().contains("999999"), e.getMessage());
        // A run directory whose training never finished a checkpoint.
        Path unfinished = Files.createDirectories(out.resolve("unfinished"));
        Files.copy(RunFiles.config(runDir), RunFiles.config(unfinished));
        Files.createDirectories(RunFiles.checkpoints(unfinished));
        IOException none = assertThrows(IOException.class, () -> TrainedRun.open(unfinished));
        assertTrue(none.getMessage().contains("no checkpoint"), none.getMessage());
    }

    @Test
    void aTorchScriptBackboneIsRefusedWithTheReason(@TempDir Path modules) throws Exception {
        TorchScriptModules.generate(modules);
        try (NDManager m = Engines.pytorch().newBaseManager(Device.cpu())) {
            EmbeddingLoss loss = Losses.create("arc", Map.of());
            EmbeddingNetwork net = new EmbeddingNetwork(new TorchScriptBackbone(modules.resolve("scripted.pt")), 0,
                    loss.newHead(3));
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 8, 8));
            OnnxExporter.ModelDescription d = new OnnxExporter.ModelDescription("torchscript", new int[] {1, 8, 8},
                    new double[] {0.5}, new double[] {0.25}, java.util.List.of("a", "b", "c"), "arc", Map.of(), 1, "x");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.write(net, loss,
                    d, OnnxExporter.Options.defaults(), new ByteArrayOutputStream()));
            assertTrue(e.getMessage().contains("TorchScript") && e.getMessage().contains("torch.onnx.export"),
                    e.getMessage());
        }
    }

    @Test
    void theWrittenBytesAreTheStreamedModel(@TempDir Path out) throws Exception {
        Path file = out.resolve("m.onnx");
        OnnxExporter.Written w = OnnxExporter.writeAtomically(file, s -> s.write(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        assertEquals(3, w.bytes());
        assertEquals(Digests.sha256Hex(new byte[] {1, 2, 3}), w.sha256());
    }
}
