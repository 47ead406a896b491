package io.anglearn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with heavy-ball momentum (B. T. Polyak, 1964) or Nesterov momentum
 * (as formulated by I. Sutskever et al., "On the importance of initialization and momentum in deep
 * learning", ICML 2013), with L2 weight decay added to the gradient.
 *
 * <p>With {@code g = ∇ + λ·w} and the velocity {@code v ← μ·v + g}, the step is
 * {@code w ← w − η·v}, or with Nesterov {@code w ← w − η·(g + μ·v)}; this is PyTorch's
 * {@code torch.optim.SGD} with dampening 0. The momentum μ comes from the schedule each step (so
 * one-cycle can cycle it); μ = 0 is plain SGD. Written with in-place NDArray operations; the
 * velocities live beside the weights.
 *
 * <p>Defaults: weight decay {@value #DEFAULT_WEIGHT_DECAY}, Nesterov off.
 */
public final class SgdOptimizer implements Optimizer {

    /** Default weight decay, the same as the paper's Adam setting. */
    public static final double DEFAULT_WEIGHT_DECAY = 5e-4;

    private final double weightDecay;
    private final boolean nesterov;
    private final List<NDArray> velocities = new ArrayList<>();
    private long steps;
    private float learningRate;
    private float momentum;

    /**
     * Creates the optimiser.
     *
     * @param weightDecay L2 coefficient added to the gradient, &ge; 0
     * @param nesterov whether to use Nesterov momentum
     */
    public SgdOptimizer(double weightDecay, boolean nesterov) {
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("SGD: weight decay must be >= 0, got " + weightDecay);
        }
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    public void initialize(List<Parameter> params) {
        if (!velocities.isEmpty()) {
            throw new IllegalStateException("SGD is already initialised");
        }
        for (Parameter p : params) {
            velocities.add(p.getArray().zerosLike());
        }
    }

    @Override
    public void beginStep(double learningRate, double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD: momentum must be in [0, 1), got " + momentum);
        }
        steps++;
        this.learningRate = (float) learningRate;
        this.momentum = (float) momentum;
    }

    @Override
    public void update(int index, NDArray weight, NDArray gradient) {
        NDArray v = velocities.get(index);
        try (NDArray g = weightDecay == 0 ? gradient.duplicate() : gradient.add(weight.mul((float) weightDecay))) {
            v.muli(momentum).addi(g);
            if (nesterov) {
                try (NDArray scaledV = v.mul(momentum)) {
                    g.addi(scaledV).muli(learningRate);
                    weight.subi(g);
                }
            } else {
                try (NDArray delta = v.mul(learningRate)) {
                    weight.subi(delta);
                }
            }
        }
        gradient.muli(0);
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public NDList state() {
        return new NDList(velocities);
    }

    @Override
    public void restore(NDList arrays, long steps) {
        if (arrays.size() != velocities.size()) {
            throw new IllegalArgumentException("SGD state has " + arrays.size() + " arrays, expected "
                    + velocities.size() + " velocities");
        }
        for (int i = 0; i < velocities.size(); i++) {
            Optimizer.copyInto(arrays.get(i), velocities.get(i), "SGD velocity " + i);
        }
        this.steps = steps;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "sgd");
        m.put("weightDecay", weightDecay);
        m.put("nesterov", nesterov);
        return m;
    }
}
