package io.anglearn.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.data.ImageDataset;
import io.anglearn.record.NpyFiles;
import io.anglearn.train.CheckpointStore;
import io.anglearn.train.Embeddings;
import io.anglearn.train.Evaluation;
import io.anglearn.train.Prediction;
import io.anglearn.train.SyntheticData;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingData;
import io.anglearn.train.TrainingListener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evaluate, embed and predict on a run trained for one short epoch on synthetic images. */
class TrainedRunTest {

    @TempDir
    static Path runs;
    static Path runDir;
    static TrainingData data;

    @BeforeAll
    static void train() throws IOException {
        data = SyntheticData.small();
        TrainingConfig c = SyntheticData.smallConfig(runs.toString(), "trained");
        c.epochs = 1;
        runDir = new TrainingRun(c, data).execute(new TrainingListener() {}).runDir();
    }

    @Test
    void evaluateMatchesTheTrainingRunsOwnMeasurement() throws Exception {
        List<String> csv = Files.readAllLines(runDir.resolve("metrics.csv"));
        double recordedTop1 = Double.parseDouble(csv.get(1).split(",")[3]);
        try (TrainedRun run = TrainedRun.open(runDir)) {
            Evaluation e = run.evaluate(data.test());
            assertEquals(32, e.images());
            assertEquals(recordedTop1, e.top1Error(), 1e-4);
            assertEquals(32, java.util.Arrays.stream(e.confusion().counts()).flatMapToLong(java.util.Arrays::stream).sum());
            long right = 0;
            for (int i = 0; i < 4; i++) {
                right += e.confusion().counts()[i][i];
            }
            assertEquals(100.0 * (32 - right) / 32, e.top1Error(), 1e-9);
            assertTrue(Double.isFinite(e.angles().wcIntraRaw()));
        }
    }

    @Test
    void embedWritesNpyFilesNumpyCanRead(@TempDir Path out) throws Exception {
        try (TrainedRun run = TrainedRun.open(runDir, "best")) {
            Embeddings e = run.embed(data.test());
            assertEquals(32, e.count());
            assertEquals(64, e.dim());
            TrainedRun.EmbeddingFiles files = run.writeEmbeddings(e, out.resolve("test.npy"));
            NpyFiles.Header fh = NpyFiles.readHeader(files.features());
            assertEquals("<f4", fh.descr());
            assertArrayEquals(new long[] {32, 64}, fh.shape());
            assertEquals(0, fh.dataOffset() % 64);
            assertEquals(fh.dataOffset() + 32L * 64 * 4, Files.size(files.features()));
            NpyFiles.Header lh = NpyFiles.readHeader(files.labels());
            assertEquals("<i4", lh.descr());
            assertArrayEquals(new long[] {32}, lh.shape());
            int[] expected = new int[32];
            for (int i = 0; i < 32; i++) {
                expected[i] = data.test().label(i);
            }
            assertArrayEquals(expected, e.labels());
            assertArrayEquals(expected, NpyFiles.readInt32(files.labels()));
            assertArrayEquals(e.features(), NpyFiles.readFloat32(files.features()));
            List<String> vectors = Files.readAllLines(files.vectorsTsv());
            assertEquals(32, vectors.size());
            assertEquals(64, vectors.get(0).split("\t").length);
            List<String> meta = Files.readAllLines(files.metadataTsv());
            assertEquals("label\tclass", meta.get(0));
            assertEquals(33, meta.size());
        }
    }

    @Test
    void predictClassifiesImageFilesWithCosines(@TempDir Path dir) throws Exception {
        ImageDataset test = data.test();
        List<Path> files = new ArrayList<>();
        byte[] px = new byte[test.imageSize()];
        for (int i = 0; i < 4; i++) {
            test.copyImage(i, px, 0);
            BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 64; p++) {
                img.getRaster().setSample(p % 8, p / 8, 0, px[p] & 0xFF);
            }
            Path f = dir.resolve("img" + i + ".png");
            ImageIO.write(img, "png", f.toFile());
            files.add(f);
        }
        try (TrainedRun run = TrainedRun.open(runDir)) {
            List<Prediction> preds = run.predict(files);
            Embeddings e = run.embed(test.limit(4));
            assertEquals(4, preds.size());
            for (int i = 0; i < 4; i++) {
                Prediction p = preds.get(i);
                assertEquals(4, p.cosines().length);
                int argmax = 0;
                for (int j = 0; j < 4; j++) {
                    assertTrue(p.cosines()[j] >= -1 - 1e-6 && p.cosines()[j] <= 1 + 1e-6);
                    if (p.cosines()[j] > p.cosines()[argmax]) {
                        argmax = j;
                    }
                    // The arc head outputs cos θ: predict's cosines equal the head's scores on the same pixels.
                    assertEquals(e.scores()[i * 4 + j], p.cosines()[j], 1e-4);
                }
                assertEquals(argmax, p.predicted(), "the arc head predicts the class of the largest cosine");
                assertEquals("class" + p.predicted(), p.className());
            }
            assertThrows(IOException.class, () -> run.predict(List.of(dir.resolve("missing.png"))));
            Path notImage = Files.writeString(dir.resolve("x.png"), "not an image");
            IOException ex = assertThrows(IOException.class, () -> run.predict(List.of(notImage)));
            assertTrue(ex.getMessage().contains("x.png"), ex.getMessage());
        }
    }

    @Test
    void aCorruptedCheckpointIsRefusedWithTheFileNamed(@TempDir Path copy) throws Exception {
        Path run = copy.resolve("run");
        try (var walk = Files.walk(runDir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path t = run.resolve(runDir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        Path ckpt = new CheckpointStore(run.resolve("checkpoints"), 3).list().get(0);
        byte[] model = Files.readAllBytes(ckpt.resolve(CheckpointStore.MODEL_FILE));
        model[model.length - 3] ^= 1;
        Files.write(ckpt.resolve(CheckpointStore.MODEL_FILE), model);
        IOException e = assertThrows(IOException.class, () -> TrainedRun.open(run));
        assertTrue(e.getMessage().contains("model.ndlist") && e.getMessage().contains("SHA-256"), e.getMessage());
    }
}
