package io.anglearn.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.anglearn.loss.ClassifierHead;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Backbone → (optional projection to d dimensions) → classifier head.
 *
 * <p>Its forward pass returns {@code [x, head(x)]}: the embedded feature x of the paper (the
 * pooled backbone output, or its projection) and the head's output ({@code W·x} or
 * {@code cos θ}), so every loss and every metric can use both.
 *
 * <p>The projection, when asked for, is a linear layer with bias and nothing after it: no
 * BatchNorm and no ReLU, so the d-dimensional features may point anywhere, which angular losses
 * need (after a ReLU every feature would sit in the positive orthant, and a 2-D scatter could use
 * only a quarter of the circle). The feature is a plain linear projection of the pooled output, as
 * in the paper's 2-D experiments; a BatchNorm after it
 * would re-centre and re-scale each coordinate with batch statistics, so during training a
 * sample's feature, and its angle to the class weights, would depend on the rest of its batch.
 *
 * Its weights start Kaiming normal with fan-in (DJL's default for weights), its bias at zero.
 *
 * <p>The backbone is any block mapping images to {@code N×F}: a {@link ResNetCifar}, or a
 * user's {@link TorchScriptBackbone}. It can be {@link #freezeBackbone frozen}, so that training
 * moves only the projection and the head.
 *
 * <p>Parameters are saved and loaded with DJL's {@link #saveParameters}/{@link #loadParameters}
 * (BatchNorm running statistics included). The saved metadata records d, the number of classes
 * and the head's kind, and loading into a network built differently fails with a
 * {@link MalformedModelException} saying which of them differs. (A {@link TorchScriptBackbone} is
 * not saved this way: its module is written whole.)
 */
public final class EmbeddingNetwork extends AbstractBlock {

    private static final byte VERSION = 2;

    private final Block backbone;
    private final Block projection;
    private final ClassifierHead head;
    private final int embeddingDim;
    private volatile boolean backboneFrozen;

    /**
     * Creates the network.
     *
     * @param backbone maps images to {@code N×F} features
     * @param embeddingDim d for a projection, or 0 to use the backbone's features as they are
     * @param head the classifier head
     */
    public EmbeddingNetwork(Block backbone, int embeddingDim, ClassifierHead head) {
        super(VERSION);
        if (embeddingDim < 0) {
            throw new IllegalArgumentException("embedding dimension must be >= 0 (0 = none), got " + embeddingDim);
        }
        this.backbone = addChildBlock("backbone", backbone);
        this.embeddingDim = embeddingDim;
        this.projection = embeddingDim > 0
                ? addChildBlock("projection", Linear.builder().setUnits(embeddingDim).optBias(true).build())
                : null;
        this.head = addChildBlock("head", head);
    }

    /** Returns the classifier head. */
    public ClassifierHead head() {
        return head;
    }

    /** Returns the backbone. */
    public Block backbone() {
        return backbone;
    }

    /**
     * Returns the projection to d dimensions (a linear layer with parameters {@code weight},
     * d×F, and {@code bias}), or null when there is none.
     */
    public Block projection() {
        return projection;
    }

    /** Returns d, or 0 when there is no projection. */
    public int embeddingDim() {
        return embeddingDim;
    }

    /**
     * Freezes or thaws the backbone. While frozen, a training forward pass runs the backbone as
     * an evaluation pass does (BatchNorm on its running statistics, which stay as they are;
     * dropout off) and cuts the gradient at its output, so only the projection and the head
     * learn, and nothing in the backbone changes. Evaluation passes are the same either way.
     *
     * @param frozen true to freeze, false (the initial state) to train the backbone too
     */
    public void freezeBackbone(boolean frozen) {
        this.backboneFrozen = frozen;
    }

    /** Returns whether the backbone is frozen ({@link #freezeBackbone}). */
    public boolean backboneFrozen() {
        return backboneFrozen;
    }

    /**
     * Computes the embedded features only.
     *
     * @param store the parameter store
     * @param images {@code N×C×H×W}
     * @param training whether BatchNorm uses batch statistics (in the backbone only while it is not
     *     {@link #freezeBackbone frozen})
     * @return {@code N×d} features
     */
    public NDArray embed(ParameterStore store, NDArray images, boolean training) {
        NDList x;
        if (training && backboneFrozen) {
            x = new NDList(backbone.forward(store, new NDList(images), false).singletonOrThrow().stopGradient());
        } else {
            x = backbone.forward(store, new NDList(images), training);
        }
        if (projection != null) {
            x = projection.forward(store, x, training);
        }
        return x.singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = embed(store, inputs.singletonOrThrow(), training);
        NDArray out = head.forward(store, new NDList(x), training).singletonOrThrow();
        return new NDList(x, out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] f = backbone.getOutputShapes(inputShapes);
        if (projection != null) {
            f = projection.getOutputShapes(f);
        }
        return new Shape[] {f[0], head.getOutputShapes(f)[0]};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        Shape[] f = backbone.getOutputShapes(inputShapes);
        if (projection != null) {
            projection.initialize(manager, dataType, f);
            f = projection.getOutputShapes(f);
        }
        head.initialize(manager, dataType, f);
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeInt(embeddingDim);
        os.writeInt(head.numClasses());
        os.writeUTF(head.kind().name());
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("saved embedding network has format version " + loadVersion
                    + ", this build reads version " + VERSION);
        }
        readInputShapes(is);
        int savedDim = is.readInt();
        int savedClasses = is.readInt();
        String savedKind = is.readUTF();
        if (savedDim != embeddingDim || savedClasses != head.numClasses() || !savedKind.equals(head.kind().name())) {
            throw new MalformedModelException("saved network has embedding dimension " + savedDim + ", " + savedClasses
                    + " classes and a " + savedKind + " head; this one has " + embeddingDim + ", "
                    + head.numClasses() + " and " + head.kind());
        }
    }
}
