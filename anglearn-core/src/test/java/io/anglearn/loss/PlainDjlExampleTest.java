package io.anglearn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.anglearn.model.EmbeddingNetwork;
import org.junit.jupiter.api.Test;

/** The plain-Java example of docs/losses.md, kept compiling and working: the angular loss with DJL's own Trainer. */
class PlainDjlExampleTest {

    @Test
    void angularLossTrainsWithDjlsOwnTrainer() {
        float first = Float.NaN;
        float last = Float.NaN;
        // --- example start (docs/losses.md) ---
        EmbeddingLoss loss = AngularLoss.builder().optK(8).build();        // or Losses.create("arc", Map.of("k", 8.0))
        SequentialBlock backbone = new SequentialBlock()
                .add(Linear.builder().setUnits(64).build()).add(Activation::relu);
        EmbeddingNetwork net = new EmbeddingNetwork(backbone, 16, loss.newHead(10)); // features d = 16, 10 classes

        try (Model model = Model.newInstance("angular-example", "PyTorch")) {
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-2f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 784));
                loss.initializeState(trainer.getManager(), DataType.FLOAT32, 10, 16); // no-op except for stateful losses
                NDManager m = trainer.getManager();
                NDArray x = m.randomNormal(new Shape(32, 784));
                NDArray y = m.randomInteger(0, 10, new Shape(32), DataType.INT32);
                for (int step = 0; step < 20; step++) {
                    NDList pred;
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        pred = trainer.forward(new NDList(x));               // [features, cos θ]
                        NDArray l = loss.evaluate(new NDList(y), pred);
                        gc.backward(l);
                        // --- example end ---
                        if (step == 0) {
                            first = l.getFloat();
                        }
                        last = l.getFloat();
                        // --- example resume ---
                    }
                    trainer.step();
                    loss.afterStep(new NDList(pred.get(0).stopGradient(), pred.get(1).stopGradient()), y);
                }
                NDArray predicted = trainer.evaluate(new NDList(x)).get(1).argMax(1); // class = argmax of the head output
                // --- example end ---
                assertEquals(32, predicted.size());
                assertTrue(predicted.toType(DataType.INT32, false).eq(y).sum().getLong() > 16,
                        "fits most of its 32 training samples");
            }
        }
        assertTrue(last < first, "loss fell from " + first + " to " + last);
    }
}
