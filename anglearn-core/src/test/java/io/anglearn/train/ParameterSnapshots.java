package io.anglearn.train;

import java.util.ArrayList;
import java.util.List;

/**
 * A listener for tests that copies every parameter array of the network (BatchNorm statistics
 * included) when training starts and at the end of each epoch, to compare what moved.
 */
class ParameterSnapshots implements TrainingListener {

    /** The parameters' names, in {@link Trainer#parameterNames()} order. */
    final List<String> names = new ArrayList<>();
    /** Their values before the first step. */
    final List<float[]> initial = new ArrayList<>();
    /** Their values after each epoch's last step, one list per epoch. */
    final List<List<float[]>> atEpochEnd = new ArrayList<>();

    @Override
    public void onTrainingStart(Trainer trainer) {
        names.addAll(trainer.parameterNames());
        trainer.parameterArrays().forEach(a -> initial.add(a.toFloatArray()));
    }

    @Override
    public void onStep(StepContext s) {
        if (s.batch() == s.batchesPerEpoch()) {
            List<float[]> values = new ArrayList<>();
            s.trainer().parameterArrays().forEach(a -> values.add(a.toFloatArray()));
            atEpochEnd.add(values);
        }
    }
}
