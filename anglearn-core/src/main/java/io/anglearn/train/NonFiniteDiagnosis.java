package io.anglearn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.anglearn.loss.EmbeddingLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Works out where a step's NaN or infinity came from, once the trainer has seen one: the input
 * batch, the parameters (an earlier update), the features, the head output, which loss term, or
 * only the backward pass. Runs only on the failing step, so it may afford a pass over every array.
 */
final class NonFiniteDiagnosis {

    private static final int NAMES_SHOWN = 4;

    private final List<String> findings = new ArrayList<>();
    private String cause;
    private boolean parametersFinite = true;
    private boolean anyNonFinite;

    private NonFiniteDiagnosis() {}

    /**
     * Examines a step.
     *
     * @param x the input batch
     * @param y the labels
     * @param pred the step's {@code [features, head output, loss]}
     * @param loss the loss, asked for its terms
     * @param names every parameter's name
     * @param params every parameter's array, in {@code names} order
     * @param grads each parameter's gradient, or null where it has none
     * @return the diagnosis
     */
    static NonFiniteDiagnosis examine(NDArray x, NDArray y, NDList pred, EmbeddingLoss loss, List<String> names,
            List<NDArray> params, List<NDArray> grads) {
        NonFiniteDiagnosis d = new NonFiniteDiagnosis();
        float value = pred.get(2).getFloat();
        StringBuilder terms = new StringBuilder();
        String badTerm = null;
        for (Map.Entry<String, NDArray> t : loss.terms(new NDList(y), new NDList(pred.get(0), pred.get(1))).entrySet()) {
            float v = t.getValue().getFloat();
            terms.append(terms.length() == 0 ? "" : ", ").append(t.getKey()).append(" = ").append(v);
            if (!Float.isFinite(v) && badTerm == null) {
                badTerm = t.getKey();
            }
        }
        d.findings.add("loss = " + value + " (" + terms + ")");
        long badInput = nonFinite(x);
        d.findings.add("input batch " + describe(x, badInput));
        List<String> badParams = new ArrayList<>();
        List<String> badWeights = new ArrayList<>();
        List<String> badGrads = new ArrayList<>();
        int withGrad = 0;
        for (int i = 0; i < names.size(); i++) {
            if (nonFinite(params.get(i)) > 0) {
                badParams.add(names.get(i));
                if (grads.get(i) != null) {
                    badWeights.add(names.get(i));
                }
            }
            if (grads.get(i) != null) {
                withGrad++;
                if (nonFinite(grads.get(i)) > 0) {
                    badGrads.add(names.get(i));
                }
            }
        }
        d.parametersFinite = badParams.isEmpty();
        long badFeatures = nonFinite(pred.get(0));
        long badHead = nonFinite(pred.get(1));
        d.anyNonFinite = !Float.isFinite(value) || badTerm != null || badInput > 0 || !badParams.isEmpty()
                || !badGrads.isEmpty() || badFeatures > 0 || badHead > 0;
        d.findings.add("parameters " + (badParams.isEmpty() ? "finite"
                : "NaN or infinite in " + badParams.size() + " of " + names.size() + ", " + badWeights.size()
                        + " of them trained weights (" + first(badWeights.isEmpty() ? badParams : badWeights) + ")"));
        d.findings.add("features " + describe(pred.get(0), badFeatures));
        d.findings.add("head output " + describe(pred.get(1), badHead));
        d.findings.add("gradients " + (badGrads.isEmpty() ? "finite"
                : "NaN or infinite in " + badGrads.size() + " of " + withGrad + " parameters (" + first(badGrads) + ")"));
        if (badInput > 0) {
            d.cause = "the input batch holds NaN or infinite values: check the data";
        } else if (!badWeights.isEmpty()) {
            d.cause = "an earlier update made the weights non-finite: the learning rate is too high";
        } else if (badFeatures > 0 || !badParams.isEmpty()) {
            // Only BatchNorm's running statistics bad: this step's forward pass wrote them.
            d.cause = "the network's forward pass overflowed: the learning rate is too high or the input is badly scaled";
        } else if (badHead > 0) {
            d.cause = "the classifier head overflowed";
        } else if (badTerm != null) {
            d.cause = "the loss term '" + badTerm + "'";
        } else if (!Float.isFinite(value)) {
            d.cause = "the sum of the loss terms overflowed";
        } else {
            d.cause = "the backward pass: the loss is finite but its gradient is not (a derivative unbounded at this point)";
        }
        return d;
    }

    /** Returns whether every parameter (BatchNorm statistics included) was still finite. */
    boolean parametersFinite() {
        return parametersFinite;
    }

    /** Returns whether anything examined was NaN or infinite. */
    boolean anyNonFinite() {
        return anyNonFinite;
    }

    /** Returns the most likely origin, in words. */
    String cause() {
        return cause;
    }

    /** Returns the findings and the cause in one line. */
    String summary() {
        return String.join("; ", findings) + ". Likely cause: " + cause;
    }

    private static String describe(NDArray a, long bad) {
        if (bad > 0) {
            return bad + " of " + a.size() + " values NaN or infinite";
        }
        if (a.isEmpty()) {
            return "empty";
        }
        float max = a.abs().max().toType(DataType.FLOAT32, false).getFloat();
        return String.format(Locale.ROOT, "finite (largest |value| %.3g)", max);
    }

    private static String first(List<String> names) {
        return names.size() <= NAMES_SHOWN ? String.join(", ", names)
                : String.join(", ", names.subList(0, NAMES_SHOWN)) + ", ...";
    }

    /** Counts the NaN and infinite values of an array (0 for integer arrays). */
    static long nonFinite(NDArray a) {
        if (a.isEmpty() || !a.getDataType().isFloating()) {
            return 0;
        }
        return a.isNaN().logicalOr(a.isInfinite()).toType(DataType.INT64, false).sum().getLong();
    }
}
