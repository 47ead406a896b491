package io.anglearn.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.anglearn.export.OnnxGraph.Attribute;
import io.anglearn.loss.ArcFaceLoss;
import io.anglearn.loss.ClassifierHead;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.loss.HeadKind;
import io.anglearn.loss.InferenceLogits;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.model.ResNetCifar;
import io.anglearn.model.ResidualBlock;
import io.anglearn.model.Shortcut;
import io.anglearn.model.TorchScriptBackbone;
import java.util.List;
import java.util.Locale;

/**
 * Translates an {@link EmbeddingNetwork} into ONNX nodes, layer by layer, with the evaluation
 * semantics of its forward pass: BatchNorm on its running statistics (ONNX's
 * {@code BatchNormalization} in inference mode, with the network's epsilon, not folded into the
 * convolutions, so nothing is rounded differently before ONNX Runtime fuses them itself), option-A
 * shortcuts as a strided {@code Slice} and a channel {@code Pad}, global average pooling, and the
 * projection as a {@code Gemm}. Channels-last is only a memory layout in anglearn; the ONNX graph is
 * NCHW throughout and the weights are read in NCHW order.
 */
final class NetworkGraph {

    private final OnnxGraph g;
    private final NDManager scratch;

    private NetworkGraph(OnnxGraph g, NDManager scratch) {
        this.g = g;
        this.scratch = scratch;
    }

    /**
     * Adds the backbone and the projection.
     *
     * @param g the graph
     * @param net the network, initialised and loaded
     * @param input the name of the N×C×H×W float input
     * @return the name of the N×d embedding
     * @throws IllegalArgumentException for a backbone that cannot be translated
     */
    static String embedding(OnnxGraph g, EmbeddingNetwork net, String input) {
        Block backbone = net.backbone();
        if (backbone instanceof TorchScriptBackbone) {
            throw new IllegalArgumentException("the run's backbone is a TorchScript module, which cannot be converted"
                    + " to ONNX here: its layers are compiled PyTorch code, not anglearn layers the exporter can read."
                    + " Export the module with PyTorch's torch.onnx.export instead");
        }
        if (!(backbone instanceof ResNetCifar resNet)) {
            throw new IllegalArgumentException("cannot export a backbone of type " + backbone.getClass().getName()
                    + "; the exporter translates anglearn's ResNets (resnet20 to resnet110, resnet18, resnet34)");
        }
        try (NDManager scratch = resNet.stemConv().getParameters().get("weight").getArray().getManager()
                .newSubManager()) {
            NetworkGraph t = new NetworkGraph(g, scratch);
            String x = t.resNet(resNet, input);
            Block projection = net.projection();
            if (projection != null) {
                float[] w = t.values(projection.getParameters().get("weight"));
                float[] b = t.values(projection.getParameters().get("bias"));
                int d = b.length;
                x = g.op("Gemm", List.of(x, g.floats("projection.weight", w, d, w.length / d),
                        g.floats("projection.bias", b, d)), Attribute.of("transB", 1L));
            }
            return x;
        }
    }

    private String resNet(ResNetCifar net, String input) {
        float eps = net.batchNormEpsilon();
        String x = conv("stem_conv", net.stemConv(), input, 1);
        x = batchNorm("stem_bn", net.stemBatchNorm(), x, eps);
        x = g.op("Relu", List.of(x));
        List<ResidualBlock> blocks = net.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            x = block("block" + (i + 1), blocks.get(i), x, eps);
        }
        String pooled = g.op("GlobalAveragePool", List.of(x));
        return g.op("Flatten", List.of(pooled), Attribute.of("axis", 1L));
    }

    private String block(String name, ResidualBlock b, String x, float eps) {
        String y = conv(name + ".conv1", b.layer("conv1"), x, b.stride());
        y = batchNorm(name + ".bn1", b.layer("bn1"), y, eps);
        y = g.op("Relu", List.of(y));
        y = conv(name + ".conv2", b.layer("conv2"), y, 1);
        y = batchNorm(name + ".bn2", b.layer("bn2"), y, eps);
        String shortcut = x;
        if (b.changesShape()) {
            if (b.shortcut() == Shortcut.PROJECTION) {
                shortcut = conv(name + ".shortcut_conv", b.layer("shortcut_conv"), x, b.stride());
                shortcut = batchNorm(name + ".shortcut_bn", b.layer("shortcut_bn"), shortcut, eps);
            } else {
                shortcut = zeroPadShortcut(name, b, x);
            }
        }
        return g.op("Relu", List.of(g.op("Add", List.of(y, shortcut))));
    }

    /**
     * Option A: every stride-th pixel from the first (what anglearn's fixed 1×1 stride-s
     * convolution selects), then the extra channels as zeros, half before and half after.
     */
    private String zeroPadShortcut(String name, ResidualBlock b, String x) {
        String s = x;
        if (b.stride() != 1) {
            s = g.op("Slice", List.of(x, g.int64s(name + ".slice_starts", 0, 0),
                    g.int64s(name + ".slice_ends", Long.MAX_VALUE, Long.MAX_VALUE),
                    g.int64s(name + ".slice_axes", 2, 3), g.int64s(name + ".slice_steps", b.stride(), b.stride())));
        }
        int extra = b.outChannels() - b.inChannels();
        if (extra == 0) {
            return s;
        }
        int before = extra / 2;
        return g.op("Pad", List.of(s, g.int64s(name + ".pads", 0, before, 0, 0, 0, extra - before, 0, 0)));
    }

    private String conv(String name, Block conv, String x, int stride) {
        Parameter weight = conv.getParameters().get("weight");
        long[] shape = weight.getArray().getShape().getShape();
        int k = (int) shape[2];
        String w = g.floats(name + ".weight", values(weight), shape);
        return g.op("Conv", List.of(x, w), Attribute.ints("kernel_shape", k, shape[3]),
                Attribute.ints("pads", k / 2, shape[3] / 2, k / 2, shape[3] / 2),
                Attribute.ints("strides", stride, stride), Attribute.ints("dilations", 1, 1), Attribute.of("group", 1L));
    }

    private String batchNorm(String name, Block bn, String x, float eps) {
        var p = bn.getParameters();
        float[] gamma = values(p.get("gamma"));
        long c = gamma.length;
        return g.op("BatchNormalization", List.of(x, g.floats(name + ".gamma", gamma, c),
                g.floats(name + ".beta", values(p.get("beta")), c),
                g.floats(name + ".running_mean", values(p.get("runningMean")), c),
                g.floats(name + ".running_var", values(p.get("runningVar")), c)), Attribute.of("epsilon", eps));
    }

    /**
     * A parameter's values in row-major NCHW order. Flattening copies a channels-last weight into
     * that order (a contiguous one is only viewed); the copy lives in the scratch scope.
     */
    private float[] values(Parameter p) {
        NDArray flat = p.getArray().reshape(-1);
        flat.attach(scratch);
        return flat.toFloatArray();
    }

    /**
     * Adds the L2-normalised embedding: {@code x / max(‖x‖, 1e-12)}, as the cosine head normalises.
     *
     * @return its name
     */
    static String normalized(OnnxGraph g, String embedding) {
        String norm = g.op("ReduceL2", List.of(embedding), Attribute.ints("axes", 1), Attribute.of("keepdims", 1L));
        String clamped = g.op("Max", List.of(norm, g.scalar(g.fresh("norm_epsilon"), (float) ClassifierHead.NORM_EPSILON)));
        return g.op("Div", List.of(embedding, clamped));
    }

    /**
     * Adds the class cosines {@code x̂·ŵ_jᵀ} (for sub-centres, the largest over each class's), for any
     * head with weights.
     *
     * @param normalized the normalised embedding
     * @return its name
     */
    static String cosines(OnnxGraph g, ClassifierHead head, String normalized) {
        float[][] w = weights(head);
        int rows = w.length;
        int d = w[0].length;
        float[] wnT = new float[d * rows];
        for (int r = 0; r < rows; r++) {
            double sq = 0;
            for (float v : w[r]) {
                sq += (double) v * v;
            }
            double norm = Math.max(Math.sqrt(sq), ClassifierHead.NORM_EPSILON);
            for (int i = 0; i < d; i++) {
                wnT[i * rows + r] = (float) (w[r][i] / norm);
            }
        }
        String cos = g.op("MatMul", List.of(normalized, g.floats("head.weight_normalized_t", wnT, d, rows)));
        int k = head.subCenters();
        if (k == 1) {
            return cos;
        }
        String grouped = g.op("Reshape", List.of(cos, g.int64s("head.subcenter_shape", 0, head.numClasses(), k)));
        return g.op("ReduceMax", List.of(grouped), Attribute.ints("axes", 2), Attribute.of("keepdims", 0L));
    }

    /** The logits of {@link #logits} and what they are, for the model's metadata. */
    record Logits(String name, String meaning) {}

    /**
     * Adds the logits of the loss the network was trained with, without the margin (which belongs
     * to the true class a prediction does not know); the same rule as anglearn serve's class
     * probabilities, whose softmax they are: {@code k·(π/2 − θ_j)} for the angular loss,
     * {@code s·cos θ_j} for ArcFace, sub-center ArcFace, CosFace, NormFace and AdaCos (its scale at
     * the checkpoint), {@code ‖x‖·cos θ_j} for SphereFace, {@code w_j·x} for a linear head.
     *
     * @return the output's name and meaning
     */
    static Logits logits(OnnxGraph g, ClassifierHead head, EmbeddingLoss loss, String embedding, String cosines) {
        if (head.kind() == HeadKind.LINEAR) {
            float[][] w = weights(head);
            int c = w.length;
            int d = w[0].length;
            float[] wT = new float[d * c];
            for (int j = 0; j < c; j++) {
                for (int i = 0; i < d; i++) {
                    wT[i * c + j] = w[j][i];
                }
            }
            return new Logits(g.op("MatMul", List.of(embedding, g.floats("head.weight_t", wT, d, c))),
                    "w_j·x, the linear head's output");
        }
        // The loss declares its inference logits; the graph computes the same form.
        InferenceLogits z = loss.inferenceLogits(head.numClasses());
        switch (z.form()) {
            case ANGULAR -> {
                float lo = (float) (-1 + z.epsilon());
                float hi = (float) (1 - z.epsilon());
                String clipped = g.op("Clip", List.of(cosines, g.scalar("logits.clip_min", lo),
                        g.scalar("logits.clip_max", hi)));
                String theta = g.op("Acos", List.of(clipped));
                String margin = g.op("Sub", List.of(g.scalar("logits.half_pi", (float) (Math.PI / 2)), theta));
                return new Logits(g.op("Mul", List.of(margin, g.scalar("logits.k", (float) z.factor()))),
                        String.format(Locale.ROOT, "k·(π/2 − θ_j), k = %s, θ_j = arccos(cosines clamped to ±(1 − %s))",
                                z.factor(), z.epsilon()));
            }
            case FEATURE_NORM_COSINE -> {
                String norm = g.op("ReduceL2", List.of(embedding), Attribute.ints("axes", 1), Attribute.of("keepdims", 1L));
                return new Logits(g.op("Mul", List.of(cosines, norm)), "‖x‖·cos θ_j");
            }
            case SCALED_COSINE -> {
                return new Logits(g.op("Mul", List.of(cosines, g.scalar("logits.s", (float) z.factor()))),
                        String.format(Locale.ROOT, "s·cos θ_j, s = %s", z.factor()));
            }
            default -> throw new IllegalStateException("the loss " + loss.getName() + " declares linear logits for a"
                    + " cosine head");
        }
    }

    private static float[][] weights(ClassifierHead head) {
        if (head.weight() == null) {
            throw new IllegalArgumentException("the network has no class weights (it was trained with a pair loss):"
                    + " only the embedding can be exported");
        }
        NDArray w = head.weight().getArray();
        int rows = (int) w.getShape().get(0);
        int d = (int) w.getShape().get(1);
        float[] flat = w.toFloatArray();
        float[][] out = new float[rows][d];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * d, out[r], 0, d);
        }
        return out;
    }
}
