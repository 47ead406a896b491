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

    private final double weightDecay;
    private final double beta2;
    private final double epsilon;
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private long steps;
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
    }

    @Override
    public void beginStep(double learningRate, double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("Adam: beta1 must be in [0, 1), got " + momentum);
        }
        steps++;
        double coef1 = 1 - Math.pow(momentum, steps);
        double coef2 = 1 - Math.pow(beta2, steps);
        this.learningRate = (float) learningRate;
        this.correctedRate = (float) (learningRate * Math.sqrt(coef2) / coef1);
        this.beta1 = (float) momentum;
    }

    @Override
    public void update(int index, NDArray weight, NDArray gradient) {
        weight.getNDArrayInternal().adamUpdate(
                new NDList(weight, gradient, means.get(index), variances.get(index)), new NDList(weight),
                learningRate, correctedRate, (float) weightDecay, 1f, -1f, beta1, (float) beta2,
                (float) epsilon, true, false);
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public NDList state() {
        NDList out = new NDList();
        out.addAll(means);
        out.addAll(variances);
        return out;
    }

    @Override
    public void restore(NDList arrays, long steps) {
        if (arrays.size() != means.size() * 2) {
            throw new IllegalArgumentException("Adam state has " + arrays.size() + " arrays, expected "
                    + means.size() * 2 + " (first and second moments of " + means.size() + " parameters)");
        }
        for (int i = 0; i < means.size(); i++) {
            Optimizer.copyInto(arrays.get(i), means.get(i), "Adam first moment " + i);
            Optimizer.copyInto(arrays.get(means.size() + i), variances.get(i), "Adam second moment " + i);
        }
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
