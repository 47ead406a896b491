package io.anglearn.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.anglearn.engine.Engines;

/** Runs a loss on plain Java arrays: head scores from (x, W), the loss value, and its autograd gradients. */
final class LossHarness implements AutoCloseable {

    final NDManager manager = Engines.pytorch().newBaseManager();
    final DataType dataType;

    LossHarness(DataType dataType) {
        this.dataType = dataType;
    }

    NDArray matrix(double[][] rows) {
        return matrix(manager, rows);
    }

    NDArray matrix(NDManager m, double[][] rows) {
        int r = rows.length;
        int c = rows[0].length;
        double[] flat = new double[r * c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(rows[i], 0, flat, i * c, c);
        }
        return m.create(flat, new Shape(r, c)).toType(dataType, false);
    }

    NDArray labels(int... labels) {
        return labels(manager, labels);
    }

    NDArray labels(NDManager m, int... labels) {
        long[] l = new long[labels.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels[i];
        }
        return m.create(l);
    }

    /** The loss value for features x and head weights W (rows C·K). */
    double value(EmbeddingLoss loss, double[][] x, double[][] w, int... labels) {
        try (NDManager step = manager.newSubManager()) {
            NDArray xs = matrix(step, x);
            NDArray ws = matrix(step, w);
            NDArray scores = ClassifierHead.scores(xs, ws, loss.headKind(), loss.subCenters());
            NDArray y = labels(step, labels);
            return loss.evaluate(new NDList(y), new NDList(xs, scores)).toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /**
     * {value, ∂L/∂x (flattened), ∂L/∂W (flattened)} by autograd; ∂L/∂W is empty for a loss without
     * a head, which does not read W.
     */
    double[][] gradients(EmbeddingLoss loss, double[][] x, double[][] w, int... labels) {
        boolean headless = loss.headKind() == HeadKind.NONE;
        try (NDManager step = manager.newSubManager()) {
            NDArray xs = matrix(step, x);
            NDArray ws = matrix(step, w);
            NDArray y = labels(step, labels);
            xs.setRequiresGradient(true);
            ws.setRequiresGradient(!headless);
            double value;
            try (GradientCollector gc = Engine.getEngine(Engines.PYTORCH).newGradientCollector()) {
                NDArray scores = ClassifierHead.scores(xs, ws, loss.headKind(), loss.subCenters());
                NDArray l = loss.evaluate(new NDList(y), new NDList(xs, scores));
                gc.backward(l);
                value = l.toType(DataType.FLOAT64, false).getDouble();
            }
            return new double[][] {{value}, doubles(xs.getGradient()), headless ? new double[0] : doubles(ws.getGradient())};
        }
    }

    static double[] doubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    @Override
    public void close() {
        manager.close();
    }
}
