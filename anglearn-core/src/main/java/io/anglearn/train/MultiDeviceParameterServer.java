package io.anglearn.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterServer;
import java.util.Map;

/**
 * Data-parallel updates for training on several devices of one machine with DJL's
 * {@link ai.djl.training.ParameterStore}: each device holds a copy of every parameter and computes
 * gradients on its share of the batch; this server sums the gradients on the first device, lets
 * the {@link Optimizer} update the first device's weight (the parameter itself, where the
 * optimiser's state lives), and copies the result to the other devices.
 *
 * <p>BatchNorm running statistics are those of the first device's share of each batch (the other
 * devices' copies are not averaged in), as in PyTorch's {@code DataParallel} without synchronised
 * BatchNorm.
 */
final class MultiDeviceParameterServer implements ParameterServer {

    private final Optimizer optimizer;
    private final Map<String, Integer> indexById;

    /**
     * Creates the server.
     *
     * @param optimizer the optimiser, initialised with the trainable parameters
     * @param indexById each trainable parameter's id mapped to its index in the optimiser
     */
    MultiDeviceParameterServer(Optimizer optimizer, Map<String, Integer> indexById) {
        this.optimizer = optimizer;
        this.indexById = Map.copyOf(indexById);
    }

    @Override
    public void init(String parameterId, NDArray[] value) {}

    @Override
    public void update(String parameterId, NDArray[] grads, NDArray[] params) {
        Integer index = indexById.get(parameterId);
        if (index == null) {
            throw new IllegalStateException("parameter " + parameterId + " is not known to the optimiser");
        }
        Device first = params[0].getDevice();
        for (int i = 1; i < grads.length; i++) {
            try (NDArray copy = grads[i].toDevice(first, true)) {
                grads[0].addi(copy);
            }
        }
        optimizer.update(index, params[0], grads[0]);
        for (int i = 1; i < params.length; i++) {
            try (NDArray copy = params[0].toDevice(params[i].getDevice(), true)) {
                params[i].muli(0).addi(copy);
            }
            grads[i].muli(0);
        }
    }

    @Override
    public void close() {}
}
