package io.anglearn.train;

import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.EmbeddingQuality;

/**
 * What one epoch measured. Test metrics are NaN for epochs that were not evaluated
 * ({@code --eval-every}).
 *
 * <p>A run whose network does not classify its test classes (a pair loss, or test classes other
 * than the training classes) is evaluated by retrieval instead: its errors, training accuracy,
 * W-Inter and WC-Intra are NaN (not applicable) and {@code quality} holds precision@1,
 * R-precision, MAP@R and the k-means NMI of the test split. Otherwise {@code quality} is null.
 *
 * @param epoch the epoch, counted from 1
 * @param trainLoss mean training loss over the epoch's batches
 * @param trainAccuracy training accuracy in percent (on the batches as they were trained), or NaN
 *     without a classifier head
 * @param testTop1Error test top-1 error in percent
 * @param testTop5Error test top-5 error in percent
 * @param angles angle statistics of the test split
 * @param learningRate the learning rate at the epoch's last step
 * @param seconds wall time of the epoch's training, in seconds
 * @param imagesPerSecond training images per second
 * @param modelSeconds the part of {@code seconds} spent in forward, backward and the update; the
 *     rest is the trainer's overhead (waiting for data, copying batches in, metrics, listeners)
 * @param skippedBatches batches skipped for a non-finite loss or gradient ({@link NonFinitePolicy#SKIP})
 * @param quality the test split's retrieval and clustering metrics when evaluated by retrieval, else null
 * @see #builder()
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double testTop1Error,
        double testTop5Error, AngleStatistics angles, double learningRate, double seconds, double imagesPerSecond,
        double modelSeconds, int skippedBatches, EmbeddingQuality quality) {

    /**
     * A record of an epoch evaluated by classification, or not evaluated.
     *
     * @param epoch the epoch, counted from 1
     * @param trainLoss mean training loss
     * @param trainAccuracy training accuracy in percent
     * @param testTop1Error test top-1 error in percent
     * @param testTop5Error test top-5 error in percent
     * @param angles angle statistics of the test split
     * @param learningRate the learning rate at the epoch's last step
     * @param seconds wall time of the epoch's training
     * @param imagesPerSecond training images per second
     * @param modelSeconds the part spent in forward, backward and the update
     * @param skippedBatches batches skipped for a non-finite loss or gradient
     */
    public EpochRecord(int epoch, double trainLoss, double trainAccuracy, double testTop1Error, double testTop5Error,
            AngleStatistics angles, double learningRate, double seconds, double imagesPerSecond, double modelSeconds,
            int skippedBatches) {
        this(epoch, trainLoss, trainAccuracy, testTop1Error, testTop5Error, angles, learningRate, seconds,
                imagesPerSecond, modelSeconds, skippedBatches, null);
    }

    /** Returns whether the test split was evaluated after this epoch. */
    public boolean evaluated() {
        return !Double.isNaN(testTop1Error) || quality != null;
    }

    /** Returns MAP@R of the test split, or NaN unless evaluated by retrieval. */
    public double mapAtR() {
        return quality == null ? Double.NaN : quality.retrieval().mapAtR();
    }

    /**
     * Returns a builder that names each measurement, for the places that assemble a record from
     * an epoch's progress and its evaluation.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds an {@link EpochRecord} by name. Required: {@link #setEpoch}, {@link #setTrainLoss},
     * {@link #setLearningRate}, {@link #setTiming}. The test metrics default to not evaluated (NaN
     * errors, NaN angle statistics, no retrieval quality), the training accuracy to NaN and the
     * skipped batches to 0.
     */
    public static final class Builder {
        private static final AngleStatistics NOT_MEASURED =
                new AngleStatistics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        private Integer epoch;
        private Double trainLoss;
        private double trainAccuracy = Double.NaN;
        private double testTop1Error = Double.NaN;
        private double testTop5Error = Double.NaN;
        private AngleStatistics angles = NOT_MEASURED;
        private Double learningRate;
        private Double seconds;
        private double imagesPerSecond;
        private double modelSeconds;
        private int skippedBatches;
        private EmbeddingQuality quality;

        private Builder() {}

        /**
         * Sets the epoch.
         *
         * @param epoch counted from 1
         * @return this builder
         */
        public Builder setEpoch(int epoch) {
            this.epoch = epoch;
            return this;
        }

        /**
         * Sets the mean training loss over the epoch's batches.
         *
         * @param trainLoss the mean loss
         * @return this builder
         */
        public Builder setTrainLoss(double trainLoss) {
            this.trainLoss = trainLoss;
            return this;
        }

        /**
         * Sets the learning rate at the epoch's last step.
         *
         * @param learningRate the rate
         * @return this builder
         */
        public Builder setLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets the epoch's timings.
         *
         * @param seconds wall time of the epoch's training
         * @param imagesPerSecond training images per second
         * @param modelSeconds the part spent in forward, backward and the update
         * @return this builder
         */
        public Builder setTiming(double seconds, double imagesPerSecond, double modelSeconds) {
            this.seconds = seconds;
            this.imagesPerSecond = imagesPerSecond;
            this.modelSeconds = modelSeconds;
            return this;
        }

        /**
         * Sets the training accuracy (default NaN: no classifier head).
         *
         * @param trainAccuracy in percent
         * @return this builder
         */
        public Builder optTrainAccuracy(double trainAccuracy) {
            this.trainAccuracy = trainAccuracy;
            return this;
        }

        /**
         * Sets the test errors of an evaluation by classification (default NaN: not evaluated so).
         *
         * @param top1 top-1 error in percent
         * @param top5 top-5 error in percent
         * @return this builder
         */
        public Builder optTestErrors(double top1, double top5) {
            this.testTop1Error = top1;
            this.testTop5Error = top5;
            return this;
        }

        /**
         * Sets the test split's angle statistics (default all NaN: not evaluated).
         *
         * @param angles the statistics
         * @return this builder
         */
        public Builder optAngles(AngleStatistics angles) {
            this.angles = angles;
            return this;
        }

        /**
         * Sets the batches skipped for a non-finite loss or gradient (default 0).
         *
         * @param skippedBatches the count
         * @return this builder
         */
        public Builder optSkippedBatches(int skippedBatches) {
            this.skippedBatches = skippedBatches;
            return this;
        }

        /**
         * Sets the retrieval and clustering metrics of an evaluation by retrieval (default null).
         *
         * @param quality the metrics
         * @return this builder
         */
        public Builder optQuality(EmbeddingQuality quality) {
            this.quality = quality;
            return this;
        }

        /**
         * Builds the record.
         *
         * @return the record
         * @throws IllegalStateException if a required measurement was not set
         */
        public EpochRecord build() {
            if (epoch == null || trainLoss == null || learningRate == null || seconds == null) {
                throw new IllegalStateException("an epoch record needs setEpoch, setTrainLoss, setLearningRate and"
                        + " setTiming");
            }
            return new EpochRecord(epoch, trainLoss, trainAccuracy, testTop1Error, testTop5Error, angles, learningRate,
                    seconds, imagesPerSecond, modelSeconds, skippedBatches, quality);
        }
    }
}
