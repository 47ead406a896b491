package io.anglearn.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Batch normalisation over the channel axis of an {@code N×C×H×W} batch (Ioffe and Szegedy,
 * "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift",
 * ICML 2015), computed by one native call.
 *
 * <p>It is DJL's {@code BatchNorm} with the channel axis fixed at 1, and the same parameters
 * ({@code gamma}, {@code beta}, {@code runningMean}, {@code runningVar}), initial values (γ = 1,
 * β = 0, mean 0, variance 1), momentum convention ({@code running = momentum·running + (1 −
 * momentum)·batch}) and saved encoding, so parameters saved by either load into the other. It
 * exists for speed: for any axis DJL's block transposes the batch twice and juggles managers around
 * the PyTorch call, which costs about a quarter of the operation's own time on ResNet20's
 * activations (BENCHMARKS.md); the PyTorch engine normalises axis 1 directly, and this block asks it
 * to.
 */
final class ChannelBatchNorm extends AbstractBlock {

    /** DJL's encoding version of {@code BatchNorm}, kept so saved parameters stay interchangeable. */
    private static final byte VERSION = 2;

    /**
     * The axis handed to the engine: DJL's PyTorch engine takes {@code -1} to mean "PyTorch's own
     * layout, channels at axis 1" and then skips its transposes; other engines read the axis
     * literally.
     */
    private static final int PYTORCH_NATIVE_AXIS = -1;

    private final float momentum;
    private final float epsilon;
    private long channels;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    /**
     * Creates the block.
     *
     * @param momentum the running statistics' momentum in DJL's convention, in [0, 1)
     * @param epsilon added to the variance, &gt; 0
     */
    ChannelBatchNorm(float momentum, float epsilon) {
        super(VERSION);
        ResNetCifar.checkBatchNorm(momentum, epsilon);
        this.momentum = momentum;
        this.epsilon = epsilon;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optRequiresGrad(true).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optRequiresGrad(true).build());
        runningMean = addParameter(Parameter.builder().setName("runningMean").setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("runningVar").setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false).build());
    }

    /** Returns the momentum, in DJL's convention. */
    float momentum() {
        return momentum;
    }

    /** Returns epsilon. */
    float epsilon() {
        return epsilon;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().dimension() < 2 || x.getShape().get(1) != channels) {
            throw new IllegalArgumentException("batch norm over " + channels + " channels got an input of shape "
                    + x.getShape());
        }
        Device device = x.getDevice();
        NDArray g = store.getValue(gamma, device, training);
        NDArray b = store.getValue(beta, device, training);
        NDArray mean = store.getValue(runningMean, device, training);
        NDArray var = store.getValue(runningVar, device, training);
        int axis = "PyTorch".equals(x.getManager().getEngine().getEngineName()) ? PYTORCH_NATIVE_AXIS : 1;
        return x.getNDArrayInternal().batchNorm(x, mean, var, g, b, axis, momentum, epsilon, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        channels = inputShapes[0].get(1);
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        Shape s = new Shape(channels);
        gamma.setShape(s);
        beta.setShape(s);
        runningMean.setShape(s);
        runningVar.setShape(s);
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(channels);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("batch norm parameters of encoding version " + loadVersion
                    + ", expected " + VERSION);
        }
        readInputShapes(is);
        channels = is.readLong();
    }
}
