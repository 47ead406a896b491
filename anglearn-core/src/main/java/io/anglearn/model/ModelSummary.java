package io.anglearn.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import io.anglearn.loss.ClassifierHead;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A network's size and cost: a table of its layers with output shape, parameters and
 * multiply-accumulates (MACs) per image, and the totals.
 *
 * <p>MACs are computed from each layer's shapes, not measured: a convolution costs
 * {@code Cout·Hout·Wout·(Cin/groups)·kh·kw}, a linear layer or classifier head {@code in·out}.
 * BatchNorm, ReLU, the residual additions, the option-A zero padding, global average pooling,
 * biases and a cosine head's normalisation are not multiply-accumulates of a weight and are left
 * out; they are element-wise and small next to the convolutions. Parameters are the trainable
 * values (what PyTorch's {@code parameters()} counts); BatchNorm's running mean and variance are
 * reported separately as buffers.
 */
public final class ModelSummary {

    private final Shape inputShape;
    private final List<LayerSummary> layers;
    private final long parameters;
    private final long buffers;
    private final long macs;

    private ModelSummary(Shape inputShape, List<LayerSummary> layers) {
        this.inputShape = inputShape;
        this.layers = Collections.unmodifiableList(layers);
        long p = 0;
        long b = 0;
        long m = 0;
        for (LayerSummary l : layers) {
            p += l.parameters();
            b += l.buffers();
            m += l.macs();
        }
        parameters = p;
        buffers = b;
        macs = m;
    }

    /**
     * Summarises an initialised network, one row per layer that holds parameters.
     *
     * @param network the network, initialised with its input shape
     * @return the summary
     */
    public static ModelSummary of(Block network) {
        return of(network, Integer.MAX_VALUE);
    }

    /**
     * Summarises an initialised network, with blocks nested deeper than {@code depth} summed into
     * one row (depth 1: the network's own children, e.g. backbone, projection, head; depth 2 adds
     * the residual blocks).
     *
     * @param network the network, initialised with its input shape
     * @param depth how many levels of blocks to show, at least 1
     * @return the summary
     * @throws IllegalArgumentException if {@code depth < 1}
     * @throws IllegalStateException if the network is not initialised
     */
    public static ModelSummary of(Block network, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("summary depth must be >= 1, got " + depth);
        }
        if (!network.isInitialized()) {
            throw new IllegalStateException("initialise the network with its input shape before summarising it");
        }
        List<LayerSummary> rows = new ArrayList<>();
        for (Pair<String, Block> child : network.getChildren()) {
            walk(child.getValue(), displayName(child.getKey()), 1, depth, rows);
        }
        if (network.getChildren().isEmpty()) {
            rows.add(summarise(network, network.getClass().getSimpleName()));
        }
        return new ModelSummary(withoutBatch(network.getInputShapes()[0]), rows);
    }

    /** Returns the shape of one input image, without the batch axis. */
    public Shape inputShape() {
        return inputShape;
    }

    /** Returns the rows, in forward order. */
    public List<LayerSummary> layers() {
        return layers;
    }

    /** Returns the number of trainable parameters. */
    public long parameters() {
        return parameters;
    }

    /** Returns the number of BatchNorm running-statistic values (saved with the model, not trained). */
    public long buffers() {
        return buffers;
    }

    /** Returns the multiply-accumulates of one image's forward pass. */
    public long macs() {
        return macs;
    }

    /**
     * Formats the table and the totals as text.
     *
     * @return lines ending in a newline
     */
    public String toTable() {
        int nameWidth = "layer".length();
        int kindWidth = "kind".length();
        for (LayerSummary l : layers) {
            nameWidth = Math.max(nameWidth, l.name().length());
            kindWidth = Math.max(kindWidth, l.kind().length());
        }
        String row = "%-" + nameWidth + "s  %-" + kindWidth + "s  %-12s %12s %15s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, row, "layer", "kind", "output", "params", "MACs"));
        for (LayerSummary l : layers) {
            sb.append(String.format(Locale.ROOT, row, l.name(), l.kind(), shapeText(l.outputShape()),
                    String.format(Locale.ROOT, "%,d", l.parameters()),
                    l.macs() == 0 ? "-" : String.format(Locale.ROOT, "%,d", l.macs())));
        }
        sb.append(String.format(Locale.ROOT, "input %s per image%n", shapeText(inputShape)));
        sb.append(String.format(Locale.ROOT, "parameters: %,d (%s); BatchNorm running statistics, not trained: %,d%n",
                parameters, humanCount(parameters), buffers));
        sb.append(String.format(Locale.ROOT, "multiply-accumulates per image: %,d (%s; convolutions and linear"
                + " layers only)%n", macs, humanCount(macs)));
        return sb.toString();
    }

    /**
     * Writes a count with a metric suffix, e.g. {@code 11.17M} or {@code 0.56G}.
     *
     * @param n the count
     * @return the text
     */
    public static String humanCount(long n) {
        if (n >= 100_000_000L) {
            return String.format(Locale.ROOT, "%.2fG", n / 1e9);
        }
        if (n >= 100_000L) {
            return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.1fK", n / 1e3);
        }
        return Long.toString(n);
    }

    private static void walk(Block block, String path, int level, int depth, List<LayerSummary> rows) {
        if (block.getChildren().isEmpty() || level >= depth) {
            LayerSummary s = summarise(block, path);
            if (s.parameters() > 0 || s.buffers() > 0 || !block.getChildren().isEmpty()) {
                rows.add(s);
            }
            return;
        }
        for (Pair<String, Block> child : block.getChildren()) {
            walk(child.getValue(), path + "/" + displayName(child.getKey()), level + 1, depth, rows);
        }
    }

    private static LayerSummary summarise(Block block, String path) {
        long[] totals = new long[3];
        accumulate(block, totals);
        Shape out = block.getOutputShapes(block.getInputShapes())[0];
        return new LayerSummary(path, kind(block), withoutBatch(out), totals[0], totals[1], totals[2]);
    }

    /** Adds the block's parameters, buffers and MACs, over its whole subtree, into {@code totals}. */
    private static void accumulate(Block block, long[] totals) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            Parameter.Type type = p.getValue().getType();
            long size = shapeOf(p.getValue()).size();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                totals[1] += size;
            } else {
                totals[0] += size;
            }
        }
        totals[2] += macsOf(block);
        for (Pair<String, Block> child : block.getChildren()) {
            accumulate(child.getValue(), totals);
        }
    }

    /** The multiply-accumulates of one image through this block's own weights. */
    private static long macsOf(Block block) {
        if (block instanceof Convolution || block instanceof Linear) {
            Parameter weight = block.getDirectParameters().get("weight");
            Shape out = block.getOutputShapes(block.getInputShapes())[0];
            // Convolution: one weight use per output position; linear: one per leading position.
            long positions = block instanceof Convolution
                    ? out.slice(2).size()
                    : out.slice(1, out.dimension() - 1).size();
            return shapeOf(weight).size() * positions;
        }
        if (block instanceof ClassifierHead head) {
            return head.weight() == null ? 0 : shapeOf(head.weight()).size();
        }
        return 0;
    }

    private static String kind(Block block) {
        if (block instanceof Convolution c) {
            Shape w = shapeOf(c.getDirectParameters().get("weight"));
            long stride = c.getStride().get(0);
            return "conv " + w.get(2) + "x" + w.get(3) + (stride == 1 ? "" : " /" + stride);
        }
        if (block instanceof Linear) {
            return block.getDirectParameters().contains("bias") ? "linear + bias" : "linear";
        }
        if (block instanceof BatchNorm) {
            return "batchnorm";
        }
        if (block instanceof ClassifierHead h) {
            return h.weight() == null ? "no head (pair loss)" : "head " + h.kind().name().toLowerCase(Locale.ROOT) + ", no bias";
        }
        if (block instanceof ResidualBlock r) {
            return "residual" + (r.stride() == 1 ? "" : " /" + r.stride())
                    + (r.changesShape() ? (r.shortcut() == Shortcut.PROJECTION ? ", projection" : ", zero-pad") : "");
        }
        if (block instanceof ResNetCifar r) {
            return "resnet" + r.depth() + " + avg pool";
        }
        return block.getClass().getSimpleName();
    }

    private static Shape shapeOf(Parameter p) {
        Shape s = p.getShape();
        if (s == null && p.isInitialized()) {
            s = p.getArray().getShape();
        }
        if (s == null) {
            throw new IllegalStateException("parameter " + p.getName() + " has no shape; initialise the network first");
        }
        return s;
    }

    /** DJL prefixes child names with their position ("01conv1"); the table shows the name alone. */
    private static String displayName(String key) {
        return key.matches("\\d\\d.+") ? key.substring(2) : key;
    }

    private static Shape withoutBatch(Shape s) {
        return s.slice(1);
    }

    private static String shapeText(Shape s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.dimension(); i++) {
            if (i > 0) {
                sb.append('x');
            }
            sb.append(s.get(i));
        }
        return sb.toString();
    }
}
