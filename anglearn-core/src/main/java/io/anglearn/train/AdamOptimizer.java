package io.anglearn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba, ICLR 2015) with L2 weight decay added to the gradient, as in the paper's
 * training, and β1 taken from the schedule each step so the one-cycle policy can cycle it.
 *
 * <p>Each parameter's update is PyTorch's fused kernel reached through DJL, which also zeroes the
 * gradient. The moment estimates live beside the weights, on the model's manager.
 */
public final class AdamOptimizer {

    private final List<Parameter> params;
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> variances = new ArrayList<>();
    private final double weightDecay;
    private final double beta2;
    private final double epsilon;
    private long steps;

    /**
     * Creates the optimiser.
     *
     * @param params the trainable parameters (those requiring gradients)
     * @param weightDecay L2 coefficient (the paper: 5e-4)
     */
    public AdamOptimizer(List<Parameter> params, double weightDecay) {
        this.params = List.copyOf(params);
        this.weightDecay = weightDecay;
        this.beta2 = 0.999;
        this.epsilon = 1e-8;
        for (Parameter p : this.params) {
            NDArray w = p.getArray();
            means.add(w.zerosLike());
            variances.add(w.zerosLike());
        }
    }

    /** Returns the number of steps taken. */
    public long steps() {
        return steps;
    }

    /**
     * Applies one update to every parameter.
     *
     * @param learningRate the step's learning rate
     * @param beta1 the step's β1
     */
    public void step(double learningRate, double beta1) {
        steps++;
        double coef1 = 1 - Math.pow(beta1, steps);
        double coef2 = 1 - Math.pow(beta2, steps);
        float corrected = (float) (learningRate * Math.sqrt(coef2) / coef1);
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getArray();
            try (NDArray g = w.getGradient()) {
                w.getNDArrayInternal().adamUpdate(
                        new ai.djl.ndarray.NDList(w, g, means.get(i), variances.get(i)),
                        new ai.djl.ndarray.NDList(w), (float) learningRate, corrected, (float) weightDecay,
                        1f, -1f, (float) beta1, (float) beta2, (float) epsilon, true, false);
            }
        }
    }
}
