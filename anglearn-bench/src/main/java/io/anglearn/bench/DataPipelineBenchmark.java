package io.anglearn.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.anglearn.data.Batch;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.DatasetLocator;
import io.anglearn.data.DatasetSpec;
import io.anglearn.data.Datasets;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.LoadedDataset;
import io.anglearn.data.Normalization;
import io.anglearn.engine.Engines;
import io.anglearn.loss.ClassifierHead;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.loss.Losses;
import io.anglearn.model.Architectures;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.train.Schedule;
import io.anglearn.train.Trainer;
import io.anglearn.train.TrainingListener;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Measures how fast the data pipeline delivers training batches, and how fast training consumes
 * them, on Fashion-MNIST (batch 256, no augmentation) and CIFAR-10+ (batch 128, crop + flip).
 *
 * <p>Pipeline side: full shuffled epochs from {@link BatchLoader} (background assembly,
 * augmentation, normalisation), each batch also copied into one NDArray as the trainer does.
 * Training side: ResNet20 with the angular loss for a few steps through {@link Trainer} on the
 * same batches. The ratio of the two is what the pipeline has to spare.
 *
 * <p>Usage: {@code java -cp anglearn-cli/target/anglearn.jar:anglearn-bench/target/classes
 * io.anglearn.bench.DataPipelineBenchmark DATA_DIR [WORKERS] [TRAIN_STEPS]}.
 */
public final class DataPipelineBenchmark {

    private DataPipelineBenchmark() {}

    /**
     * Runs the benchmark and prints one line per dataset.
     *
     * @param args the data folder (holding fashion-mnist/ and cifar-10/), the number of pipeline
     *     workers (default 1) and the training steps timed (default 20)
     * @throws Exception if a dataset cannot be read
     */
    public static void main(String[] args) throws Exception {
        Engines.configureDefaults();
        Path root = args.length > 0 ? Path.of(args[0]) : null;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int trainSteps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        System.out.println(String.format(Locale.ROOT, "cores=%d workers=%d engine=%s",
                Runtime.getRuntime().availableProcessors(), workers, Engines.describe()));
        System.out.println(String.format(Locale.ROOT, "%-14s %6s %12s %12s %14s %8s", "dataset", "batch",
                "pipe_batch/s", "pipe_img/s", "train_img/s", "ratio"));
        for (String name : new String[] {"fashion-mnist", "cifar10+"}) {
            int batch = name.startsWith("fashion") ? 256 : 128;
            LoadedDataset d = Datasets.load(DatasetSpec.of(name), new DatasetLocator(root));
            Normalization norm = Normalization.of(d.train());
            BatchLoader loader = BatchLoader.builder().setData(d.train()).setNormalization(norm)
                    .optAugmentation(d.augmentation()).optBatchSize(batch).optShuffle(true).optDropLast(true)
                    .optSeed(1).optWorkers(workers).build();
            pipeline(loader, 0, 50); // warm-up
            double batchesPerSecond = pipeline(loader, 1, Integer.MAX_VALUE);
            double trainImages = training(d.train(), norm, d, batch, trainSteps);
            double pipeImages = batchesPerSecond * batch;
            System.out.println(String.format(Locale.ROOT, "%-14s %6d %12.1f %12.0f %14.1f %7.0fx", name, batch,
                    batchesPerSecond, pipeImages, trainImages, pipeImages / trainImages));
        }
    }

    /** Consumes up to {@code maxBatches} of one epoch, making each batch's NDArray; returns batches/s. */
    private static double pipeline(BatchLoader loader, int epoch, int maxBatches) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.PYTORCH)) {
            long start = System.nanoTime();
            int n = 0;
            try (BatchLoader.BatchIterator it = loader.epoch(epoch, 0)) {
                while (it.hasNext() && n < maxBatches) {
                    Batch b = it.next();
                    try (NDManager step = manager.newSubManager()) {
                        NDArray x = step.create(b.images(), new Shape(b.size(), b.channels(), b.height(), b.width()));
                        if (x.getShape().get(0) != b.size()) {
                            throw new IllegalStateException("bad batch");
                        }
                    }
                    n++;
                }
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Trains ResNet20 with the angular loss for {@code steps} batches (after 3 warm-up steps); returns images/s. */
    private static double training(ImageDataset train, Normalization norm, LoadedDataset d, int batch, int steps) {
        EmbeddingLoss loss = Losses.create("arc", Map.of());
        EmbeddingNetwork net = new EmbeddingNetwork(Architectures.backbone("resnet20"), 0,
                new ClassifierHead(train.numClasses(), loss.headKind()));
        try (Trainer trainer = Trainer.builder().setNetwork(net).setLoss(loss)
                .setInputShape(new Shape(train.channels(), train.height(), train.width()))
                .setSchedule(Schedule.constant(1e-3)).optOptimizer(new io.anglearn.train.AdamOptimizer(5e-4))
                .optDevices(Device.cpu()).optSeed(1).build()) {
            BatchLoader warm = BatchLoader.builder().setData(train.limit(3 * batch)).setNormalization(norm)
                    .optAugmentation(d.augmentation()).optBatchSize(batch).optDropLast(true).build();
            trainer.trainEpoch(warm, new io.anglearn.train.EpochProgress(1), new TrainingListener() {});
            BatchLoader timed = BatchLoader.builder().setData(train.limit(steps * batch)).setNormalization(norm)
                    .optAugmentation(d.augmentation()).optBatchSize(batch).optDropLast(true).build();
            io.anglearn.train.EpochProgress r = trainer.trainEpoch(timed, new io.anglearn.train.EpochProgress(2),
                    new TrainingListener() {});
            return r.images() / r.seconds();
        }
    }
}
