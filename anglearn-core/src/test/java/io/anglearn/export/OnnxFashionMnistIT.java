package io.anglearn.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.TestData;
import io.anglearn.data.Batch;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.ImageDataset;
import io.anglearn.run.TrainedRun;
import io.anglearn.run.TrainingRun;
import io.anglearn.train.Embeddings;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingData;
import io.anglearn.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ResNet20 trained with the angular loss on real Fashion-MNIST (one epoch on 3000 images), exported
 * and run in ONNX Runtime on the whole test split: the embeddings are the run's within 1e-4 relative
 * error, and the predicted class of every one of the 10000 test images is the run's, from the
 * float input and from the graph's own preprocessing of the image bytes.
 */
class OnnxFashionMnistIT {

    @Test
    void aTrainedRunPredictsTheSameClassesInOnnxRuntime(@TempDir Path runs, @TempDir Path out) throws Exception {
        TrainingConfig c = new TrainingConfig();
        c.dataDir = TestData.dataset("fashion-mnist").toString();
        c.limitTrain = 3000;
        c.limitTest = 500;
        c.epochs = 1;
        c.batchSize = 128;
        c.loss = "arc";
        c.arch = "resnet20";
        c.tensorBoard = false;
        c.name = "onnx";
        c.runsDir = runs.toString();
        Path runDir = new TrainingRun(c).execute(new TrainingListener() {}).runDir();
        try (TrainedRun run = TrainedRun.open(runDir)) {
            TrainingConfig all = run.config();
            all.limitTest = 0;
            ImageDataset test = TrainingData.load(all).test();
            assertEquals(10000, test.size());
            Embeddings e = run.embed(test);
            Path model = out.resolve("fashion.onnx");
            Path pixelsModel = out.resolve("fashion-pixels.onnx");
            OnnxExporter.Options outputs = new OnnxExporter.Options(Set.of(OnnxExporter.Output.COSINES,
                    OnnxExporter.Output.LOGITS), false, false);
            OnnxExporter.export(run, model, outputs);
            OnnxExporter.export(run, pixelsModel, new OnnxExporter.Options(outputs.outputs(), true, false));
            byte[] floatBytes = Files.readAllBytes(model);
            byte[] pixelBytes = Files.readAllBytes(pixelsModel);
            int classes = 10;
            int agreeCosines = 0;
            int agreeLogits = 0;
            int agreePixels = 0;
            double worst = 0;
            double worstPixels = 0;
            int at = 0;
            for (Batch b : BatchLoader.builder().setData(test).setNormalization(run.normalization()).optBatchSize(500)
                    .build()) {
                int n = b.size();
                Ort.Outputs o = Ort.run(floatBytes, OnnxExporter.INPUT, b.images(), n, 1, 28, 28);
                byte[] pixels = new byte[n * 784];
                for (int i = 0; i < n; i++) {
                    test.copyImage(at + i, pixels, i * 784); // one channel: planar is N×H×W×1
                }
                Ort.Outputs p = Ort.runPixels(pixelBytes, OnnxExporter.PIXELS_INPUT, pixels, n, 28, 28, 1);
                int d = e.dim();
                float[] expected = Arrays.copyOfRange(e.features(), at * d, (at + n) * d);
                worst = Math.max(worst, Ort.relativeError(o.get("embedding"), expected));
                worstPixels = Math.max(worstPixels, Ort.relativeError(p.get("embedding"), expected));
                for (int i = 0; i < n; i++) {
                    int want = OnnxExportTest.argmax(e.scores(), at + i, classes);
                    agreeCosines += OnnxExportTest.argmax(o.get("cosines"), i, classes) == want ? 1 : 0;
                    agreeLogits += OnnxExportTest.argmax(o.get("logits"), i, classes) == want ? 1 : 0;
                    agreePixels += OnnxExportTest.argmax(p.get("cosines"), i, classes) == want ? 1 : 0;
                }
                at += n;
            }
            System.out.printf("ONNX Fashion-MNIST: embedding max relative error %.3g (float input), %.3g (uint8 input);"
                    + " classes agree on %d (cosines), %d (logits), %d (uint8 input) of %d%n", worst, worstPixels,
                    agreeCosines, agreeLogits, agreePixels, test.size());
            assertTrue(worst < OnnxExportTest.TOLERANCE, "relative error " + worst);
            assertTrue(worstPixels < OnnxExportTest.TOLERANCE, "relative error with preprocessing " + worstPixels);
            assertEquals(test.size(), agreeCosines);
            assertEquals(test.size(), agreeLogits);
            assertEquals(test.size(), agreePixels);
        }
    }
}
