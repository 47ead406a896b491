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
 * <p>The loss is smoothed with a bias-corrected exponential moving average whose window is scaled
 * to the sweep: by default a twentieth of its steps (at least 2), factor {@code 1 − 1/window}, so a
 * short sweep's smoothed curve does not lag its minimum (a fixed 0.98 averages the last ~50 steps,
 * a quarter of a 200-step sweep). The loss has diverged when its smoothed value rises above
 * {@code divergence} times the lowest seen (an unbounded loss, such as softmax's, blowing up), or,
 * once it has fallen at least {@link #MIN_DROP} below the loss the sweep started from, when it
 * climbs back more than {@link #GIVE_BACK} of the way to that start: a bounded loss, such as the angular loss, whose
 * logits are at most {@code k·π/2}, cannot rise four-fold, but it does give back what it learnt.
 * The suggested one-cycle peak is the rate at the lowest smoothed loss divided by 10, a common
 * reading of the plot (the loss is still falling steeply there, well before it blows up).
 *
 * <p>That reading needs a curve with a minimum inside it. When the loss never diverged, the sweep
 * stopped before the rates at which training breaks down, and its lowest loss (often at its last
 * rate) says nothing about the best peak; when the lowest loss comes in the first 5% of the
 * steps ({@link #EDGE_FRACTION}), the sweep started too high. Either way no peak is
 * suggested and {@link Result#warnings()} says why and what to change.
 *
 * <p>Defaults: rates 1e-7 to 10, 200 iterations, smoothing scaled to them (0.9), divergence 4; momentum (Adam's β1,
 * SGD's momentum) the configuration's one-cycle starting value for a one-cycle configuration, else
 * its constant momentum.
 */
public final class LearningRateFinder {

    private final double minRate;
    private final double maxRate;
    private final int iterations;
    private final double smoothing;
    private final double divergence;
    private final double momentum;

    /** The share of the sweep's first steps in which a minimum means the sweep started too high. */
    public static final double EDGE_FRACTION = 0.05;

    /**
     * How far below its start the smoothed loss must have fallen before climbing back towards the
     * start counts as divergence (a fraction of the start), so that noise on a flat start does not.
     */
    public static final double MIN_DROP = 0.1;

    /**
     * The share of its fall from the start that the smoothed loss must give back to count as
     * diverged. A quarter: the angular loss on Fashion-MNIST (batch 32) falls from 2.33 to 1.15 at
     * lr 0.1 and then hovers between 1.4 and 1.9 above lr 0.3, never returning half-way.
     */
    public static final double GIVE_BACK = 0.25;

    /**
     * The smoothing factor for a sweep of a number of steps: {@code 1 − 1/w} with a window
     * {@code w} of a twentieth of the steps, at least 2.
     *
     * @param iterations the sweep's steps
     * @return the factor, in [0.5, 1)
     */
    public static double smoothingFor(int iterations) {
        return 1 - 1 / Math.max(2.0, iterations / 20.0);
    }

    /**
     * The online reading of a sweep: smooths each step's loss and says when it has diverged.
     * Separate from the training loop so that curves with a known answer can be fed to it.
     */
    static final class Curve {
        private final double smoothing;
        private final double divergence;
        private final int startSteps;
        private final List<Double> rates = new ArrayList<>();
        private final List<Double> losses = new ArrayList<>();
        private final List<Double> smoothed = new ArrayList<>();
        private double avg;
        private double startSum;
        private double best = Double.POSITIVE_INFINITY;

        Curve(double smoothing, double divergence) {
            this.smoothing = smoothing;
            this.divergence = divergence;
            // The start is the mean raw loss over the smoothing window's first steps.
            this.startSteps = (int) Math.max(1, Math.round(1 / (1 - smoothing)));
        }

        /**
         * Records a step.
         *
         * @return whether the loss has now diverged
         */
        boolean add(double rate, double loss) {
            int i = rates.size();
            avg = smoothing * avg + (1 - smoothing) * loss;
            double sm = avg / (1 - Math.pow(smoothing, i + 1));
            rates.add(rate);
            losses.add(loss);
            smoothed.add(sm);
            best = Math.min(best, sm);
            if (i < startSteps) {
                startSum += loss;
                return false;
            }
            double start = startSum / startSteps;
            boolean blewUp = sm > divergence * best;
            boolean gaveBack = best < (1 - MIN_DROP) * start && sm > best + GIVE_BACK * (start - best);
            return blewUp || gaveBack;
        }

        int size() {
            return rates.size();
        }

        Result result(boolean diverged, String divergenceRule) {
            int n = rates.size();
            double[] r = new double[n];
            double[] l = new double[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = rates.get(i);
                l[i] = losses.get(i);
                s[i] = smoothed.get(i);
            }
            return analyse(r, l, s, diverged, divergenceRule);
        }
    }

    /**
     * What the sweep recorded.
     *
     * @param rates the rate of each step
     * @param losses each step's training loss
     * @param smoothed the smoothed loss at each step
     * @param minLossRate the rate at the lowest smoothed loss
     * @param suggestedPeak the suggested one-cycle peak rate, or NaN when the curve does not support one
     * @param diverged whether the sweep stopped because the loss diverged
     * @param warnings why no peak is suggested and what to change; empty when one is
     */
    public record Result(double[] rates, double[] losses, double[] smoothed, double minLossRate,
            double suggestedPeak, boolean diverged, List<String> warnings) {

        /** Copies the warnings. */
        public Result {
            warnings = List.copyOf(warnings);
        }

        /** Returns whether the sweep supports a suggested peak rate. */
        public boolean hasSuggestion() {
            return !Double.isNaN(suggestedPeak);
        }
    }

    private LearningRateFinder(Builder b) {
        minRate = b.minRate;
        maxRate = b.maxRate;
        iterations = b.iterations;
        smoothing = b.smoothing;
        divergence = b.divergence;
        momentum = b.momentum;
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
        EmbeddingLoss loss = TrainingComponents.buildLoss(config);
        EmbeddingNetwork net = TrainingComponents.buildNetwork(config, data.train().numClasses(), loss);
        Normalization norm = Normalization.of(data.train());
        BatchLoader loader = TrainingComponents.buildLoader(config, data, norm);
        double momentum = !Double.isNaN(this.momentum) ? this.momentum
                : config.schedule.equalsIgnoreCase("one-cycle") ? config.maxMomentum : config.momentum;
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
        Curve curve = new Curve(Double.isNaN(smoothing) ? smoothingFor(iterations) : smoothing, divergence);
        boolean[] diverged = {false};
        try (Trainer trainer = Trainer.builder().setNetwork(net).setLoss(loss)
                .setInputShape(new Shape(data.train().channels(), data.train().height(), data.train().width()))
                .setSchedule(sweep).optOptimizer(TrainingComponents.buildOptimizer(config))
                .optDevices(Devices.parseList(config.device)).optSeed(config.seed).build()) {
            TrainingListener recorder = new TrainingListener() {
                @Override
                public void onStep(StepContext s) {
                    if (curve.add(s.learningRate(), s.loss())) {
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
            if (curve.size() == 0) {
                throw e;
            }
            diverged[0] = true;
        }
        return curve.result(diverged[0], divergenceRule(divergence));
    }

    private static String divergenceRule(double divergence) {
        return "above " + fmt(divergence) + " times its minimum, nor back a quarter of the way to its start,";
    }

    /**
     * Reads a recorded sweep: the rate at the lowest smoothed loss, and a suggested peak of a tenth
     * of it only when the curve supports one (the loss diverged, and its minimum is not in the
     * first {@link #EDGE_FRACTION} of the steps); otherwise the warnings say why not.
     *
     * @param r the rate of each step
     * @param l each step's loss
     * @param s the smoothed loss of each step
     * @param diverged whether the sweep stopped because the loss diverged
     * @param divergence the divergence factor the sweep used, for the warning
     * @return the result
     */
    static Result analyse(double[] r, double[] l, double[] s, boolean diverged, double divergence) {
        return analyse(r, l, s, diverged, divergenceRule(divergence));
    }

    private static Result analyse(double[] r, double[] l, double[] s, boolean diverged, String divergenceRule) {
        int n = r.length;
        int argmin = 0;
        for (int i = 1; i < n; i++) {
            if (s[i] < s[argmin]) {
                argmin = i;
            }
        }
        double minLossRate = n == 0 ? Double.NaN : r[argmin];
        long edge = Math.max(1, Math.round(EDGE_FRACTION * n));
        List<String> warnings = new ArrayList<>();
        if (n > 0 && !diverged) {
            warnings.add(String.format(java.util.Locale.ROOT, "the loss did not diverge: its smoothed value never rose"
                    + " %s up to lr %.3g, the sweep's last rate%s. The sweep stopped before"
                    + " the rates at which training breaks down, so its lowest loss is no guide to the peak rate;"
                    + " sweep to a higher --max-lr, or with more --iterations (the loss needs steps to respond"
                    + " to each rate)", divergenceRule, r[n - 1], argmin >= n - edge ? ", where the loss was lowest" : ""));
        }
        if (n > 0 && argmin < edge) {
            warnings.add(String.format(java.util.Locale.ROOT, "the loss was lowest at the start of the sweep (lr %.3g):"
                    + " it only rose, so the sweep started too high; lower --min-lr", minLossRate));
        }
        return new Result(r, l, s, minLossRate, warnings.isEmpty() ? minLossRate / 10 : Double.NaN, diverged, warnings);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Builds a {@link LearningRateFinder}; every setting is optional. */
    public static final class Builder {
        private double minRate = 1e-7;
        private double maxRate = 10;
        private int iterations = 200;
        private double smoothing = Double.NaN;
        private double divergence = 4;
        private double momentum = Double.NaN;

        private Builder() {}

        /**
         * Sets the momentum (Adam's β1, SGD's momentum) held during the sweep, in [0, 1) (default:
         * the configuration's one-cycle starting momentum, or its constant momentum for other schedules).
         */
        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

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

        /**
         * Sets the moving-average factor of the smoothed loss, in [0, 1) (default
         * {@link #smoothingFor}: scaled to the number of steps, 0.9 for 200).
         */
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
            if (!Double.isNaN(smoothing) && !(smoothing >= 0 && smoothing < 1)) {
                throw new IllegalArgumentException("lr-find smoothing must be in [0, 1), got " + smoothing);
            }
            if (!Double.isNaN(momentum) && !(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
            }
            if (!(divergence > 1)) {
                throw new IllegalArgumentException("lr-find divergence factor must be > 1, got " + divergence);
            }
            return new LearningRateFinder(this);
        }
    }
}
