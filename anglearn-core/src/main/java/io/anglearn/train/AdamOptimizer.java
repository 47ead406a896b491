package io.anglearn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) with L2
 * weight decay added to the gradient, as the paper trains, and β1 taken from the schedule each
 * step so the one-cycle policy can cycle it.
 *
 * <p>Each parameter's update is PyTorch's fused kernel reached through DJL, which also zeroes the
 * gradient. The bias correction uses the current step's β1, {@code 1 − β1^t}, as PyTorch's Adam
 * does when a scheduler changes β1. The moment estimates live beside the weights, on the
 * weights' manager.
 *
 * <p>t counts the updates of each parameter, as PyTorch's Adam counts them per parameter: a
 * parameter left out of some steps (a backbone frozen for the first epochs) starts its moments
 * and its bias correction at its own first update, not at the optimiser's step count. The counts
 * are part of {@link #state()}.
 *
 * <p>Defaults: weight decay {@value #DEFAULT_WEIGHT_DECAY} (the paper's), β2
 * {@value #DEFAULT_BETA2}, ε {@value #DEFAULT_EPSILON}.
 */
public final class AdamOptimizer implements Optimizer {

    /** The paper's weight decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 5e-4;
    /** Default β2. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** Default ε. */
    public static final double DEFAULT_EPSILON = 1e-8;

    /** Where {@code --adam-epsilon} may add ε: see {@link #AdamOptimizer(double, double, double, boolean)}. */
    public static final List<String> EPSILON_FORMS = List.of("uncorrected", "corrected");

    private final double weightDecay;
    private final double beta2;
    private final double epsilon;
    private final boolean epsilonOnCorrected;
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private long[] updates = new long[0];
    private NDArray updateCounts;
    private long steps;
    private double stepRate;
    private double stepBeta1;
    private float learningRate;
    private float correctedRate;
    private float beta1;

    /**
     * Creates the optimiser with the default β2 and ε.
     *
     * @param weightDecay L2 coefficient added to the gradient, &ge; 0 (the paper: 5e-4)
     */
    public AdamOptimizer(double weightDecay) {
        this(weightDecay, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    /**
     * Creates the optimiser.
     *
     * @param weightDecay L2 coefficient added to the gradient, &ge; 0
     * @param beta2 decay of the second-moment estimate, in [0, 1)
     * @param epsilon added to the denominator, &gt; 0
     */
    public AdamOptimizer(double weightDecay, double beta2, double epsilon) {
        this(weightDecay, beta2, epsilon, false);
    }

    /**
     * Creates the optimiser, choosing where ε enters. The update is
     * {@code lr·√(1−β2^t)/(1−β1^t) · m / (√v + ε')}: with ε' = ε, ε is added to the uncorrected
     * √v (Kingma and Ba's "efficient version"); with ε' = ε·√(1−β2^t), the update equals
     * {@code lr/(1−β1^t) · m / (√v̂ + ε)} with v̂ the bias-corrected moment, as PyTorch's
     * {@code torch.optim.Adam} computes it. The two differ while 1 − β2^t is far from 1, in the
     * first few thousand steps, and only where √v is near ε.
     *
     * @param weightDecay L2 coefficient added to the gradient, &ge; 0
     * @param beta2 decay of the second-moment estimate, in [0, 1)
     * @param epsilon added to the denominator, &gt; 0
     * @param epsilonOnCorrected true to add ε to the bias-corrected √v̂
     */
    public AdamOptimizer(double weightDecay, double beta2, double epsilon, boolean epsilonOnCorrected) {
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("Adam: weight decay must be >= 0, got " + weightDecay);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adam: epsilon must be > 0, got " + epsilon);
        }
        this.weightDecay = weightDecay;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.epsilonOnCorrected = epsilonOnCorrected;
    }

    @Override
    public void initialize(List<Parameter> params) {
        if (!means.isEmpty()) {
            throw new IllegalStateException("Adam is already initialised");
        }
        for (Parameter p : params) {
            NDArray w = p.getArray();
            means.add(w.zerosLike());
            variances.add(w.zerosLike());
        }
        updates = new long[params.size()];
        if (!params.isEmpty()) {
            NDArray w = params.get(0).getArray();
            updateCounts = w.getManager().zeros(new ai.djl.ndarray.types.Shape(params.size()),
                    ai.djl.ndarray.types.DataType.INT64);
        }
    }

    @Override
    public void beginStep(double learningRate, double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("Adam: beta1 must be in [0, 1), got " + momentum);
        }
        steps++;
        this.stepRate = learningRate;
        this.stepBeta1 = momentum;
        this.learningRate = (float) learningRate;
        this.correctedRate = correctedRate(steps);
        this.beta1 = (float) momentum;
    }

    /** The step's learning rate with the bias correction of a parameter's t-th update. */
    private float correctedRate(long t) {
        double coef1 = 1 - Math.pow(stepBeta1, t);
        double coef2 = 1 - Math.pow(beta2, t);
        return (float) (stepRate * Math.sqrt(coef2) / coef1);
    }

    @Override
    public void update(int index, NDArray weight, NDArray gradient) {
        long t = ++updates[index];
        weight.getNDArrayInternal().adamUpdate(
                new NDList(weight, gradient, means.get(index), variances.get(index)), new NDList(weight),
                learningRate, t == steps ? correctedRate : correctedRate(t), (float) weightDecay, 1f, -1f, beta1,
                (float) beta2, (float) (epsilonOnCorrected ? epsilon * Math.sqrt(1 - Math.pow(beta2, t)) : epsilon), true,
                false);
    }

    @Override
    public long steps() {
        return steps;
    }

    /**
     * Returns the first moments, the second moments, then (with at least one parameter) one INT64
     * array of the number of updates each parameter has had.
     */
    @Override
    public NDList state() {
        NDList out = new NDList();
        out.addAll(means);
        out.addAll(variances);
        if (updateCounts != null) {
            updateCounts.set(java.nio.LongBuffer.wrap(updates));
            out.add(updateCounts);
        }
        return out;
    }

    /**
     * Restores {@link #state()}'s arrays. A state without the update counts (written before they
     * were kept) is read as every parameter updated at every step, which is what such runs did.
     */
    @Override
    public void restore(NDList arrays, long steps) {
        int n = means.size();
        if (arrays.size() != n * 2 && arrays.size() != n * 2 + 1) {
            throw new IllegalArgumentException("Adam state has " + arrays.size() + " arrays, expected "
                    + (n * 2 + 1) + " (first and second moments of " + n + " parameters and their update counts)");
        }
        long[] counts = new long[n];
        if (arrays.size() == n * 2 + 1) {
            NDArray saved = arrays.get(n * 2);
            if (saved.getDataType() != ai.djl.ndarray.types.DataType.INT64 || saved.getShape().dimension() != 1
                    || saved.getShape().get(0) != n) {
                throw new IllegalArgumentException("Adam update counts are " + saved.getShape() + " "
                        + saved.getDataType() + ", expected (" + n + ") INT64");
            }
            counts = saved.toLongArray();
            for (long c : counts) {
                if (c < 0 || c > steps) {
                    throw new IllegalArgumentException("Adam update count " + c + " is outside 0.." + steps
                            + ", the steps taken");
                }
            }
        } else {
            java.util.Arrays.fill(counts, steps);
        }
        for (int i = 0; i < n; i++) {
            Optimizer.copyInto(arrays.get(i), means.get(i), "Adam first moment " + i);
            Optimizer.copyInto(arrays.get(n + i), variances.get(i), "Adam second moment " + i);
        }
        this.updates = counts;
        this.steps = steps;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "adam");
        m.put("weightDecay", weightDecay);
        m.put("beta2", beta2);
        m.put("epsilon", epsilon);
        return m;
    }
}
