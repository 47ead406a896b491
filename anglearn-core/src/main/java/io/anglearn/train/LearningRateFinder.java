package io.anglearn.train;

import ai.djl.ndarray.types.Shape;
import io.anglearn.data.BatchLoader;
import io.anglearn.data.Normalization;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.engine.Devices;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The learning-rate range test of L. N. Smith ("Cyclical Learning Rates for Training Neural
 * Networks", WACV 2017; used to pick the one-cycle peak in "A disciplined approach to neural
 * network hyper-parameters", arXiv:1803.09820): train from a fresh network while the rate grows
 * exponentially from {@code minRate} to {@code maxRate} over {@code iterations} steps, record the
 * loss, and stop early once the loss diverges.
 *
 * <p>The loss is smoothed with a bias-corrected exponential moving average (factor
 * {@code smoothing}); divergence is a smoothed loss above {@code divergence} times the lowest seen.
 * The suggested one-cycle peak is the rate at the lowest smoothed loss divided by 10, a common
 * reading of the plot (the loss is still falling steeply there, well before it blows up).
 *
 * <p>Defaults: rates 1e-7 to 10, 200 iterations, smoothing 0.98, divergence 4.
 */
public final class LearningRateFinder {

    private final double minRate;
    private final double maxRate;
    private final int iterations;
    private final double smoothing;
    private final double divergence;

    /** What the sweep recorded. */
    public record Result(double[] rates, double[] losses, double[] smoothed, double minLossRate,
            double suggestedPeak, boolean diverged) {}

    private LearningRateFinder(Builder b) {
        minRate = b.minRate;
        maxRate = b.maxRate;
        iterations = b.iterations;
        smoothing = b.smoothing;
        divergence = b.divergence;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The rate at an iteration: {@code min·(max/min)^(i/(n−1))}.
     *
     * @param iteration from 0
     * @return the rate
     */
    public double rateAt(long iteration) {
        return minRate * Math.pow(maxRate / minRate, (double) iteration / Math.max(1, iterations - 1));
    }

    /**
     * Runs the sweep with a configuration's network, loss, optimiser, data and momentum (its
     * schedule and epochs are ignored). Nothing is written.
     *
     * @param config the configuration
     * @param data the splits (only the training split is used)
     * @param listener progress callbacks (e.g. a progress bar)
     * @return the recorded curve and the suggestion
     * @throws IOException never from the sweep itself; declared for callers that load data
     */
    public Result run(TrainingConfig config, TrainingData data, TrainingListener listener) throws IOException {
        config.validate();
        EmbeddingLoss loss = TrainingRun.buildLoss(config);
        EmbeddingNetwork net = TrainingRun.buildNetwork(config, data.train().numClasses(), loss);
        Normalization norm = Normalization.of(data.train());
        BatchLoader loader = TrainingRun.buildLoader(config, data, norm);
        double momentum = config.schedule.equalsIgnoreCase("one-cycle") ? config.maxMomentum : config.momentum;
        Schedule sweep = new Schedule() {
            @Override
            public double learningRate(long step) {
                return rateAt(step);
            }

            @Override
            public double momentum(long step) {
                return momentum;
            }
        };
        List<Double> rates = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Double> smoothed = new ArrayList<>();
        boolean[] diverged = {false};
        double[] best = {Double.POSITIVE_INFINITY};
        double[] avg = {0};
        try (Trainer trainer = Trainer.builder().setNetwork(net).setLoss(loss)
                .setInputShape(new Shape(data.train().channels(), data.train().height(), data.train().width()))
                .setSchedule(sweep).optOptimizer(TrainingRun.buildOptimizer(config))
                .optDevices(Devices.parseList(config.device)).optSeed(config.seed).build()) {
            TrainingListener recorder = new TrainingListener() {
                @Override
                public void onStep(StepContext s) {
                    long i = s.step() - 1;
                    avg[0] = smoothing * avg[0] + (1 - smoothing) * s.loss();
                    double sm = avg[0] / (1 - Math.pow(smoothing, i + 1));
                    rates.add(s.learningRate());
                    losses.add(s.loss());
                    smoothed.add(sm);
                    best[0] = Math.min(best[0], sm);
                    if (i > 0 && sm > divergence * best[0]) {
                        diverged[0] = true;
                        s.trainer().requestStop();
                    } else if (s.step() >= iterations) {
                        s.trainer().requestStop();
                    }
                }
            };
            TrainingListener all = TrainingListener.all(listener, recorder);
            all.onTrainingStart(trainer);
            int epoch = 1;
            while (!diverged[0] && trainer.steps() < iterations) {
                trainer.trainEpoch(loader, new EpochProgress(epoch++), all);
            }
        } catch (IllegalStateException e) {
            // A non-finite loss ends the sweep: that is divergence, the last recorded point stands.
            if (rates.isEmpty()) {
                throw e;
            }
            diverged[0] = true;
        }
        int n = rates.size();
        double[] r = new double[n];
        double[] l = new double[n];
        double[] s = new double[n];
        int argmin = 0;
        for (int i = 0; i < n; i++) {
            r[i] = rates.get(i);
            l[i] = losses.get(i);
            s[i] = smoothed.get(i);
            if (s[i] < s[argmin]) {
                argmin = i;
            }
        }
        double minLossRate = n == 0 ? Double.NaN : r[argmin];
        return new Result(r, l, s, minLossRate, minLossRate / 10, diverged[0]);
    }

    /** Builds a {@link LearningRateFinder}; every setting is optional. */
    public static final class Builder {
        private double minRate = 1e-7;
        private double maxRate = 10;
        private int iterations = 200;
        private double smoothing = 0.98;
        private double divergence = 4;

        private Builder() {}

        /** Sets the first rate (default 1e-7). */
        public Builder optMinRate(double minRate) {
            this.minRate = minRate;
            return this;
        }

        /** Sets the last rate (default 10). */
        public Builder optMaxRate(double maxRate) {
            this.maxRate = maxRate;
            return this;
        }

        /** Sets the number of steps of the sweep (default 200). */
        public Builder optIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /** Sets the moving-average factor of the smoothed loss, in [0, 1) (default 0.98). */
        public Builder optSmoothing(double smoothing) {
            this.smoothing = smoothing;
            return this;
        }

        /** Sets the divergence threshold as a multiple of the lowest smoothed loss, &gt; 1 (default 4). */
        public Builder optDivergence(double divergence) {
            this.divergence = divergence;
            return this;
        }

        /** Validates and builds. */
        public LearningRateFinder build() {
            if (!(minRate > 0) || !(maxRate > minRate) || Double.isInfinite(maxRate)) {
                throw new IllegalArgumentException("lr-find needs 0 < --min-lr < --max-lr, got " + minRate + " and " + maxRate);
            }
            if (iterations < 2) {
                throw new IllegalArgumentException("lr-find needs --iterations >= 2, got " + iterations);
            }
            if (!(smoothing >= 0 && smoothing < 1)) {
                throw new IllegalArgumentException("lr-find smoothing must be in [0, 1), got " + smoothing);
            }
            if (!(divergence > 1)) {
                throw new IllegalArgumentException("lr-find divergence factor must be > 1, got " + divergence);
            }
            return new LearningRateFinder(this);
        }
    }
}
