package io.anglearn.study;

import io.anglearn.train.PaperProtocol;
import io.anglearn.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The unseen-class retrieval study ({@code unseen}): each loss trains on some classes of a dataset
 * and is measured by retrieval on the test images of the classes it never saw, the protocol of
 * metric learning benchmarks (Musgrave, Belongie and Lim, "A Metric Learning Reality Check", ECCV
 * 2020). It sets the angular loss of Wu and Wang (arXiv:1912.07819) and the other
 * classification-style losses against the pair-based ones on the same footing.
 *
 * <p><b>Splits.</b> Fashion-MNIST and CIFAR-10 train on classes 0–4 and retrieve among the test
 * images of classes 5–9; CIFAR-100, where it is present, trains on fine labels 0–49 and retrieves
 * among those of 50–99 (the shape of the usual 50/50 protocol).
 *
 * <p><b>Losses</b> (the table's columns): soft, arcface, cosface, arc, each with its classifier
 * head over the training classes, and the pair losses contrastive, triplet with the batch-hard
 * miner, and multi-similarity with the multi-similarity miner, which see batches of
 * {@value #IMAGES_PER_CLASS} images from each of {@value #BATCH_SIZE}/{@value #IMAGES_PER_CLASS}
 * classes (the class-balanced sampler). Every loss has its library defaults.
 *
 * <p><b>Common to every cell:</b> the same network (ResNet20 at the CPU and full-data scales, a
 * {@value #EMBEDDING_DIM}-d projection after it), Adam with weight decay 5e-4 and the one-cycle
 * policy at peak learning rate {@value Studies#CPU_LEARNING_RATE}, batch size
 * {@value #BATCH_SIZE}, the same epochs and images; the test split is evaluated once, after the
 * last epoch. The metrics are those of the retrieval evaluation: MAP@R, P@1, R-precision and
 * NMI of k-means.
 *
 * <p><b>CPU scale</b> (sized by measurement so that the 28 cells of the two 10-class datasets, 7
 * losses and 2 seeds, take about an hour on one core): the first {@value #CPU_TRAIN_IMAGES}
 * training images of the training classes, {@value #CPU_EPOCHS} epochs, all 5000 test images of
 * the unseen classes. <b>Full-data scale:</b> every training image of the training classes, 10
 * epochs (Fashion-MNIST) or 15 (CIFAR). <b>Paper scale:</b> the paper's networks and epochs
 * (ResNet20 and 60 epochs for Fashion-MNIST, ResNet18 / ResNet34 and 160 for CIFAR-10 / CIFAR-100).
 */
final class UnseenClassStudy {

    /** The study's name. */
    static final String NAME = "unseen";
    /** The losses, in column order. */
    static final List<String> LOSSES = List.of("soft", "arcface", "cosface", "arc", "contrastive", "triplet",
            "multi-similarity");
    /** The miner each pair loss trains with. */
    static final Map<String, String> MINERS = Map.of("triplet", "batch-hard", "multi-similarity", "multi-similarity");
    /** The pair losses, which train on class-balanced batches. */
    static final List<String> PAIR_LOSSES = List.of("contrastive", "triplet", "multi-similarity");
    /** Images per class in a pair loss's batch. */
    static final int IMAGES_PER_CLASS = 20;
    /** Images per batch, for every loss. */
    static final int BATCH_SIZE = 100;
    /** Dimension of the embedding the retrieval compares. */
    static final int EMBEDDING_DIM = 64;
    /** Training images at the CPU scale (the first of the training classes). */
    static final int CPU_TRAIN_IMAGES = 5000;
    /** Epochs at the CPU scale. */
    static final int CPU_EPOCHS = 3;
    /** The metrics tabulated, MAP@R first. */
    static final List<String> METRICS = List.of("map_at_r", "p_at_1", "r_precision", "nmi");

    private UnseenClassStudy() {}

    /** One dataset's split, with the paper's network and epochs for the dataset. */
    private record Split(String id, String trainClasses, String testClasses, PaperProtocol.Dataset paper,
            int fullEpochs) {
        String row() {
            return paper.label() + " " + trainClasses + " / " + testClasses;
        }
    }

    /**
     * Creates the grid.
     *
     * @param scale the scale
     * @param seeds seeds per cell
     * @param withCifar100 whether to add the CIFAR-100 row (where that dataset is present)
     * @return the study
     */
    static Study create(Scale scale, int seeds, boolean withCifar100) {
        List<Split> splits = new ArrayList<>();
        splits.add(new Split("fmnist", "0-4", "5-9", PaperProtocol.FASHION_MNIST, 10));
        splits.add(new Split("cifar10", "0-4", "5-9", PaperProtocol.CIFAR10, 15));
        if (withCifar100) {
            splits.add(new Split("cifar100", "0-49", "50-99", PaperProtocol.CIFAR100, 15));
        }
        List<StudyCell> cells = new ArrayList<>();
        for (Split split : splits) {
            for (String loss : LOSSES) {
                for (int s = 1; s <= seeds; s++) {
                    cells.add(cell(split, loss, s, scale));
                }
            }
        }
        String budget = switch (scale) {
            case CPU -> "CPU scale: ResNet20 with a " + EMBEDDING_DIM + "-d projection, the first " + CPU_TRAIN_IMAGES
                    + " training images of the training classes, " + CPU_EPOCHS + " epochs";
            case FULL -> "Full-data scale: ResNet20 with a " + EMBEDDING_DIM + "-d projection, every training image of"
                    + " the training classes, 10 epochs (Fashion-MNIST) or 15 (CIFAR)";
            default -> "Paper scale: the paper's networks and epochs (" + PaperProtocol.FASHION_MNIST.archLabel() + " and "
                    + PaperProtocol.FASHION_MNIST.epochs() + " for Fashion-MNIST, " + PaperProtocol.CIFAR10.archLabel()
                    + " / " + PaperProtocol.CIFAR100.archLabel() + " and " + PaperProtocol.CIFAR10.epochs()
                    + " for CIFAR-10 / CIFAR-100) with a " + EMBEDDING_DIM + "-d projection";
        };
        String notes = budget + "; batch " + BATCH_SIZE + ", Adam, one-cycle, peak lr " + Studies.CPU_LEARNING_RATE
                + " for every loss. Retrieval among all test images of the classes not trained on. Pair losses on"
                + " class-balanced batches (m-per-class:" + IMAGES_PER_CLASS + "); triplet with the batch-hard"
                + " miner, multi-similarity with its miner; every loss with its default parameters."
                + (withCifar100 ? "" : " CIFAR-100 (fine labels 0-49 / 50-99) was not found, so its row is not run.");
        return new Study(NAME, "Unseen-class retrieval: MAP@R, P@1, R-precision and NMI on classes not trained on",
                scale, List.copyOf(cells), METRICS, Map.of(), notes);
    }

    private static StudyCell cell(Split split, String loss, int seed, Scale scale) {
        int epochs = scale == Scale.CPU ? CPU_EPOCHS : scale == Scale.FULL ? split.fullEpochs() : split.paper().epochs();
        String arch = scale.paperLength() ? split.paper().arch() : "resnet20";
        TrainingConfig c = Studies.base(split.paper().name(), arch, epochs, BATCH_SIZE, loss, Studies.CPU_LEARNING_RATE);
        c.embeddingDim = EMBEDDING_DIM;
        c.trainClasses = split.trainClasses();
        c.testClasses = split.testClasses();
        c.evalEvery = epochs;
        c.angleInterval = 0;
        if (scale == Scale.CPU) {
            c.limitTrain = CPU_TRAIN_IMAGES;
        }
        if (PAIR_LOSSES.contains(loss)) {
            c.sampler = "m-per-class:" + IMAGES_PER_CLASS;
            c.miner = MINERS.get(loss);
        }
        c.seed = seed;
        String id = split.id() + "_" + loss + "_s" + seed;
        c.name = id;
        return new StudyCell(id, split.row(), loss, seed, c);
    }
}
