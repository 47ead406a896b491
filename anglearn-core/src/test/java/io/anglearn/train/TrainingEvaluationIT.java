package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.TestData;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.Normalization;
import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.EmbeddingAccumulator;
import io.anglearn.record.NpyFiles;
import io.anglearn.run.TrainedRun;
import io.anglearn.run.TrainingRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ResNet20 with the angular loss on 5000 Fashion-MNIST images for 2 epochs: test accuracy and
 * WC-Intra improve over the untrained network; then evaluate, embed and predict on the run.
 */
class TrainingEvaluationIT {

    @Test
    void trainsAndUsesTheRun(@TempDir Path runs, @TempDir Path out) throws Exception {
        TrainingConfig c = new TrainingConfig();
        c.dataDir = TestData.dataset("fashion-mnist").toString();
        c.limitTrain = 5000;
        c.limitTest = 1000;
        c.epochs = 2;
        c.batchSize = 128;
        c.loss = "arc";
        c.arch = "resnet20";
        c.name = "arc-5000";
        c.runsDir = runs.toString();
        TrainingData data = TrainingData.load(c);
        Normalization norm = Normalization.of(data.train());
        double[] untrained = new double[2];
        TrainingRun.Result result = new TrainingRun(c, data).execute(new TrainingListener() {
            @Override
            public void onTrainingStart(Trainer trainer) {
                EmbeddingAccumulator acc = trainer.evaluate(data.test(), norm, 256);
                untrained[0] = acc.top1Error();
                untrained[1] = acc.angles(trainer.classWeights()).wcIntraRaw();
            }
        });
        EpochRecord last = result.epochs().get(1);
        AngleStatistics a = last.angles();
        System.out.printf("untrained: top-1 error %.2f%%, WC-Intra %.4f; after 2 epochs: %.2f%%, WC-Intra %.4f%n",
                untrained[0], untrained[1], last.testTop1Error(), a.wcIntraRaw());
        assertTrue(last.testTop1Error() < untrained[0] - 30, "test error " + last.testTop1Error()
                + "% should be far below the untrained " + untrained[0] + "%");
        assertTrue(a.wcIntraRaw() < untrained[1] - 0.2, "WC-Intra " + a.wcIntraRaw()
                + " should fall from the untrained " + untrained[1]);

        try (TrainedRun run = TrainedRun.open(result.runDir())) {
            Evaluation e = run.evaluate(run.split("test"));
            assertEquals(1000, e.images());
            assertEquals(last.testTop1Error(), e.top1Error(), 1e-9);
            assertEquals(a.wcIntraRaw(), e.angles().wcIntraRaw(), 1e-9);
            assertEquals(1000, java.util.Arrays.stream(e.confusion().counts()).flatMapToLong(java.util.Arrays::stream).sum());

            Embeddings emb = run.embed(run.split("test"));
            TrainedRun.EmbeddingFiles files = run.writeEmbeddings(emb, out.resolve("test.npy"));
            NpyFiles.Header fh = NpyFiles.readHeader(files.features());
            assertEquals("<f4", fh.descr());
            assertArrayEquals(new long[] {1000, 64}, fh.shape());
            assertEquals(fh.dataOffset() + 1000L * 64 * 4, Files.size(files.features()));
            NpyFiles.Header lh = NpyFiles.readHeader(files.labels());
            assertEquals("<i4", lh.descr());
            assertArrayEquals(new long[] {1000}, lh.shape());
            int[] labels = NpyFiles.readInt32(files.labels());
            for (int i = 0; i < 1000; i++) {
                assertEquals(data.test().label(i), labels[i]);
            }
            assertEquals(1000, Files.readAllLines(files.vectorsTsv()).size());
            assertEquals(1001, Files.readAllLines(files.metadataTsv()).size());

            ImageDataset test = data.test();
            List<Path> images = new ArrayList<>();
            byte[] px = new byte[test.imageSize()];
            for (int i = 0; i < 20; i++) {
                test.copyImage(i, px, 0);
                BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                for (int p = 0; p < px.length; p++) {
                    img.getRaster().setSample(p % 28, p / 28, 0, px[p] & 0xFF);
                }
                Path f = out.resolve("test-" + i + ".png");
                ImageIO.write(img, "png", f.toFile());
                images.add(f);
            }
            List<Prediction> preds = run.predict(images);
            int right = 0;
            for (int i = 0; i < 20; i++) {
                Prediction p = preds.get(i);
                for (int j = 0; j < 10; j++) {
                    assertEquals(emb.scores()[i * 10 + j], p.cosines()[j], 1e-4, "image " + i + ", class " + j);
                }
                right += p.predicted() == test.label(i) ? 1 : 0;
            }
            assertTrue(right >= 12, right + " of 20 test images predicted right");
        }
    }
}
