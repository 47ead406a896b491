package io.anglearn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.GsonBuilder;
import io.anglearn.TestData;
import io.anglearn.data.Batch;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.FashionMnist;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.Normalization;
import io.anglearn.engine.Engines;
import io.anglearn.loss.ClassifierHead;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.loss.Losses;
import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.EmbeddingAccumulator;
import io.anglearn.model.Architectures;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.report.tensorboard.EventFileReader;
import io.anglearn.train.EpochRecord;
import io.anglearn.train.OneCycleSchedule;
import io.anglearn.train.Trainer;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * End to end on real Fashion-MNIST: short runs of {@code soft} and {@code arc}, each with the
 * pooled 64-d features and with a 2-d projection, recorded by a {@link RunRecorder} wired to a
 * {@link Trainer} the way a training loop does it (angle statistics on a fixed probe set every N
 * iterations, target angles and test metrics each epoch, the test embedding at the end); then
 * the report with every figure, rendered in headless Chromium, and the TensorBoard files read back.
 * The runs and the report stay in {@code target/fashion-mnist-report} for a look.
 */
class ReportFashionMnistIT {

    private static final int ANGLE_INTERVAL = 5;

    @Test
    void shortRunsProduceEveryFigureInAReportThatRenders() throws Exception {
        Path data = TestData.dataset("fashion-mnist");
        Path out = Path.of("target", "fashion-mnist-report").toAbsolutePath();
        deleteTree(out);
        ImageDataset train = FashionMnist.load(data, FashionMnist.Split.TRAIN).limit(2000);
        ImageDataset test = FashionMnist.load(data, FashionMnist.Split.TEST).limit(1000);
        HtmlReport.Builder report = HtmlReport.builder().optFiguresDir(out.resolve("figures"));
        for (String loss : List.of("soft", "arc")) {
            for (int dim : new int[] {0, 2}) {
                Path dir = out.resolve(loss + (dim == 2 ? "-2d" : "-64d"));
                record(dir, loss, dim, train, test);
                report.addRun(RunArtifacts.load(dir));
            }
        }
        HtmlReport r = report.build();
        Path page = out.resolve("report.html");
        r.write(page);
        // Figures: 3 comparative, and per run ridge + similarity + confusion, plus 2 scatters for the 2-d runs.
        assertEquals(3 + 4 * 3 + 2, r.figureCount());
        for (String loss : List.of("soft", "arc")) {
            RunArtifacts a = RunArtifacts.load(out.resolve(loss + "-2d"));
            assertEquals(2, a.embedding().dim());
            assertEquals(6, a.anglesByIteration().get("step").length, "2 epochs × 15 steps, every 5");
            assertEquals(2, a.targetAngles().size());
            assertNotNull(a.quality().get("map_at_r"));
            Path event;
            try (Stream<Path> s = Files.list(a.dir().resolve(RunFiles.TENSORBOARD))) {
                event = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst()
                        .orElseThrow();
            }
            List<EventFileReader.Event> ev = EventFileReader.events(event);
            assertEquals("brain.Event:2", ev.get(0).fileVersion());
            assertEquals(20, ev.stream().filter(e -> e.histo() != null).count(), "10 classes × 2 epochs");
        }
        HeadlessChromium chromium = HeadlessChromium.findOrSkip();
        Path work = Files.createDirectories(out.resolve("chromium"));
        HtmlReportChromiumIT.assertRendered(chromium, page, r.figureCount(), work, out.resolve("report-screenshot.png"));
    }

    /** One short run recorded as a trainer with a RunRecorder records it. */
    private static void record(Path dir, String lossName, int dim, ImageDataset train, ImageDataset test)
            throws Exception {
        TrainingConfig c = new TrainingConfig();
        c.loss = lossName;
        c.embeddingDim = dim;
        c.epochs = 2;
        c.batchSize = 128;
        c.limitTrain = train.size();
        c.limitTest = test.size();
        c.name = dir.getFileName().toString();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", c);
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(RunFiles.CONFIG), new GsonBuilder().setPrettyPrinting().create().toJson(doc));

        Normalization norm = Normalization.of(train);
        BatchLoader loader = BatchLoader.builder().setData(train).setNormalization(norm).optBatchSize(c.batchSize)
                .optShuffle(true).optSeed(c.seed).optDropLast(true).build();
        EmbeddingLoss loss = Losses.create(lossName, Map.of());
        EmbeddingNetwork net = new EmbeddingNetwork(Architectures.backbone(c.arch), dim,
                new ClassifierHead(train.numClasses(), loss.headKind()));
        OneCycleSchedule schedule = new OneCycleSchedule(c.learningRate, (long) loader.batchesPerEpoch() * c.epochs);
        ImageDataset probe = test.limit(500);
        List<EpochRecord> records = new ArrayList<>();
        try (Trainer trainer = Trainer.builder().setNetwork(net).setLoss(loss).setInputShape(new Shape(1, 28, 28))
                        .setSchedule(schedule).optOptimizer(new io.anglearn.train.AdamOptimizer(c.weightDecay))
                        .optDevices(Device.cpu()).optSeed(c.seed).build();
                RunRecorder rec = RunRecorder.builder().setRunDir(dir).optAngleInterval(ANGLE_INTERVAL).optLossInterval(1)
                        .optSeed(c.seed).build();
                NDManager manager = Engines.pytorch().newBaseManager(Device.cpu())) {
            ParameterStore store = new ParameterStore(manager, false);
            TrainingListener hooks = new TrainingListener() {
                @Override
                public void onBatch(int epoch, int batch, double l) {
                    rec.onBatch(epoch, batch, l);
                    if (rec.step() % rec.angleInterval() == 0) {
                        Embedded e = embed(net, store, manager, probe, norm);
                        try {
                            rec.recordAngles(rec.step(), epoch, AngleStatistics.of(e.features, e.dim, e.labels,
                                    trainer.classWeights()));
                        } catch (java.io.IOException ex) {
                            throw new java.io.UncheckedIOException(ex);
                        }
                    }
                }
            };
            Embedded e = null;
            for (int epoch = 1; epoch <= c.epochs; epoch++) {
                io.anglearn.train.EpochProgress t = trainer.trainEpoch(loader, new io.anglearn.train.EpochProgress(epoch), hooks);
                e = embed(net, store, manager, test, norm);
                EmbeddingAccumulator acc = new EmbeddingAccumulator(test.numClasses(), e.dim);
                acc.add(e.features, e.scores, e.labels);
                double[][] w = trainer.classWeights();
                EpochRecord r = new EpochRecord(epoch, t.meanLoss(), t.accuracy(), acc.top1Error(), acc.top5Error(),
                        acc.angles(w), schedule.learningRate(trainer.steps() - 1), t.seconds(), t.images() / t.seconds(),
                        t.modelSeconds());
                records.add(r);
                MetricsTable.write(dir.resolve(RunFiles.METRICS), records);
                rec.onEpochEnd(r);
                rec.recordTargetAngles(epoch, e.features, e.dim, e.labels, w, test.classNames());
            }
            rec.recordTestEmbedding(e.features, e.dim, e.labels, e.predictions(test.numClasses()),
                    trainer.classWeights(), test.classNames());
        }
    }

    /** Features and head outputs of a split. */
    private record Embedded(float[] features, int dim, float[] scores, int[] labels) {
        int[] predictions(int c) {
            int[] p = new int[labels.length];
            for (int i = 0; i < p.length; i++) {
                int best = 0;
                for (int j = 1; j < c; j++) {
                    if (scores[i * c + j] > scores[i * c + best]) {
                        best = j;
                    }
                }
                p[i] = best;
            }
            return p;
        }
    }

    private static Embedded embed(EmbeddingNetwork net, ParameterStore store, NDManager manager, ImageDataset data,
            Normalization norm) {
        BatchLoader loader = BatchLoader.builder().setData(data).setNormalization(norm).optBatchSize(250).build();
        List<float[]> fs = new ArrayList<>();
        List<float[]> ss = new ArrayList<>();
        int[] labels = new int[data.size()];
        int n = 0;
        int dim = 0;
        for (Batch b : loader) {
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.create(b.images(), new Shape(b.size(), b.channels(), b.height(), b.width()));
                NDList out = net.forward(store, new NDList(x), false);
                dim = (int) out.get(0).getShape().get(1);
                fs.add(out.get(0).toFloatArray());
                ss.add(out.get(1).toFloatArray());
                System.arraycopy(b.labels(), 0, labels, n, b.size());
                n += b.size();
            }
        }
        return new Embedded(concat(fs), dim, concat(ss), labels);
    }

    private static float[] concat(List<float[]> parts) {
        float[] all = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, o, p.length);
            o += p.length;
        }
        return all;
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
