package io.anglearn.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that determines a training run. Serialised as the run's {@code config.json}; a run is
 * reproducible from it alone. Fields are public for JSON binding; {@link #validate()} checks them.
 */
public final class TrainingConfig {

    /**
     * Dataset: {@code fashion-mnist}, {@code cifar10}, {@code cifar100}, {@code idx:PATH} or
     * {@code folder:PATH}; a trailing {@code +} turns on the standard augmentation.
     */
    public String dataset = "fashion-mnist";
    /** CIFAR-100 labels: {@code fine} (100 classes) or {@code coarse} (20). */
    public String labels = "fine";
    /** Standard augmentation on or off, overriding the dataset name's {@code +}; null = from the name. */
    public Boolean augment;
    /** Side that {@code folder:} images are resized to. */
    public int imageSize = 32;
    /** Channels of {@code folder:} images: 1 (grey) or 3 (RGB). */
    public int imageChannels = 3;
    /** Share of each class held out for testing in a {@code folder:} dataset without train/test sub-folders. */
    public double testFraction = 0.2;
    /** Threads assembling training batches in the background. */
    public int dataWorkers = 1;
    /** Folder to look for the dataset in first, or null for the standard search order. */
    public String dataDir;
    /** Use only the first N training images (0 = all). */
    public int limitTrain;
    /** Use only the first N test images (0 = all). */
    public int limitTest;
    /** Backbone architecture, e.g. {@code resnet20}. */
    public String arch = "resnet20";
    /** Projection to d dimensions after the backbone (0 = none). */
    public int embeddingDim;
    /** Loss name, e.g. {@code arc}. */
    public String loss = "arc";
    /** Loss parameters by name, e.g. {@code k=4}. */
    public Map<String, Double> lossParams = new LinkedHashMap<>();
    /** Epochs. */
    public int epochs = 10;
    /** Mini-batch size. */
    public int batchSize = 256;
    /** Peak learning rate of the schedule. */
    public double learningRate = 3e-3;
    /** Adam weight decay (L2 added to the gradient, as in the paper). */
    public double weightDecay = 5e-4;
    /** Learning-rate schedule: {@code one-cycle} or {@code constant}. */
    public String schedule = "one-cycle";
    /** Random seed for initialisation and data order. */
    public long seed = 42;
    /** Device: {@code cpu}, {@code gpu} or {@code gpu:N}. */
    public String device = "cpu";
    /** Run name; the run directory is {@code runsDir/name}. */
    public String name;
    /** Parent folder of run directories. */
    public String runsDir = "runs";

    /**
     * Checks every field, naming the option at fault.
     *
     * @throws IllegalArgumentException on the first invalid value
     */
    public void validate() {
        require(epochs > 0, "--epochs must be > 0, got " + epochs);
        require(batchSize > 0, "--batch-size must be > 0, got " + batchSize);
        require(learningRate > 0 && Double.isFinite(learningRate), "--lr must be a positive number, got " + learningRate);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay must be >= 0, got " + weightDecay);
        require(limitTrain >= 0, "--limit-train must be >= 0, got " + limitTrain);
        require(limitTest >= 0, "--limit-test must be >= 0, got " + limitTest);
        require(embeddingDim >= 0, "--embedding-dim must be >= 0, got " + embeddingDim);
        require(labels != null && (labels.equalsIgnoreCase("fine") || labels.equalsIgnoreCase("coarse")),
                "--label must be fine or coarse, got " + labels);
        datasetSpec();
        require(dataWorkers >= 1 && dataWorkers <= 64, "--data-workers must be in 1..64, got " + dataWorkers);
        String s = schedule.toLowerCase(Locale.ROOT);
        require(s.equals("one-cycle") || s.equals("constant"), "--schedule must be one-cycle or constant, got " + schedule);
        require(name == null || name.matches("[A-Za-z0-9._-]+"),
                "--name may contain only letters, digits, '.', '_' and '-', got '" + name + "'");
    }

    /**
     * Returns the dataset request these fields describe (checked when built).
     *
     * @return the spec
     */
    public io.anglearn.data.DatasetSpec datasetSpec() {
        return io.anglearn.data.DatasetSpec.builder().setName(dataset).optAugment(augment)
                .optLabels(io.anglearn.data.LabelKind.valueOf(labels.toUpperCase(Locale.ROOT)))
                .optImageSize(imageSize).optChannels(imageChannels).optTestFraction(testFraction)
                .optSplitSeed(seed).build();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
