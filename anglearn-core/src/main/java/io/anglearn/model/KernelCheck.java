package io.anglearn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import io.anglearn.engine.Engines;
import io.anglearn.engine.NativeStderr;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that this machine's native kernels compute a {@link ResNetCifar} correctly before it is
 * trained, and keeps it off a memory layout whose kernels do not.
 *
 * <p>Why: libtorch 2.7.1's oneDNN computes some convolutions wrongly on processors with AVX-512,
 * silently: in the NCHW layout, stages whose width is not a multiple of 16 (e.g. 24), and in the
 * channels-last layout, some 1×1 stride-2 projections (e.g. 16 → 48). The common networks
 * (ResNet20–110 with 16/32/64 channels, ResNet18/34) are computed correctly in both layouts.
 *
 * <p>How: one forward and backward pass on two random images, by a copy of the network in its own
 * layout and in 32-bit floats, against a copy in 64-bit floats, which libtorch computes with its
 * own reference kernels (oneDNN has none for 64 bits); the features and every parameter gradient
 * must agree to {@value #TOLERANCE} of their largest magnitude. BatchNorm uses its running
 * statistics, as at inference: with the statistics of a batch of two images, float32 rounding
 * was amplified past the tolerance on correct kernels, so that some random initialisations of a
 * ResNet20 on 3×32×32 images were refused or moved to NCHW and a trained run could not be opened
 * ({@code KernelCheckTest} keeps such a case). The wrong kernels found so far were off by 0.15 and
 * more, far above the tolerance. The network itself is neither run nor changed unless it must change layout,
 * so its BatchNorm statistics and the engine's random stream are untouched. A verdict is kept per
 * architecture, layout and image shape for the life of the process.
 */
public final class KernelCheck {

    /** The largest difference accepted, relative to the largest magnitude of each compared output. */
    public static final double TOLERANCE = 1e-2;

    private static final Logger LOG = LoggerFactory.getLogger(KernelCheck.class);
    private static final Map<String, Verdict> VERDICTS = new ConcurrentHashMap<>();

    /** What the check found. */
    public enum Verdict {
        /** The network's layout computes correctly. */
        CORRECT,
        /** Channels-last was wrong, NCHW right: the network was switched to NCHW. */
        SWITCHED_TO_NCHW
    }

    private KernelCheck() {}

    /**
     * Checks an initialised network on images of one shape.
     *
     * @param network the initialised backbone (32-bit floats)
     * @param imageShape one image, C×H×W
     * @return the verdict; the network is NCHW afterwards when it is {@link Verdict#SWITCHED_TO_NCHW}
     * @throws IllegalStateException if neither layout computes the network correctly on this machine
     */
    public static Verdict verify(ResNetCifar network, Shape imageShape) {
        String key = network.describe() + " on " + imageShape + " (" + Engines.describe() + ")";
        Verdict known = VERDICTS.get(key);
        if (known == null) {
            known = check(network, imageShape);
            VERDICTS.put(key, known);
        }
        if (known == Verdict.SWITCHED_TO_NCHW) {
            network.useNchw();
        }
        return known;
    }

    /** Forgets the verdicts kept so far, so that a test can check a network of a known architecture again. */
    static void forgetVerdicts() {
        VERDICTS.clear();
    }

    private static Verdict check(ResNetCifar network, Shape imageShape) {
        // libtorch warns on standard error at every 64-bit convolution on processors NNPACK does not
        // know; nothing below reports anything itself, so the window is silenced as a whole.
        String[] errors = NativeStderr.silenced(() -> compareLayouts(network, imageShape));
        if (errors[0] == null) {
            return Verdict.CORRECT;
        }
        if (errors[1] == null && network.channelsLast()) {
            LOG.warn("This machine's channels-last kernels compute the {} wrongly ({}); it runs NCHW instead,"
                    + " which computes it correctly.", network.describe(), errors[0]);
            return Verdict.SWITCHED_TO_NCHW;
        }
        throw new IllegalStateException("this machine's native kernels (" + Engines.describe() + ") compute the "
                + network.describe() + " wrongly on " + imageShape + " images: " + errors[0]
                + (errors[1] != null ? "; in NCHW: " + errors[1] : "")
                + ". Choose other stage widths (multiples of 16 are computed correctly) or another architecture.");
    }

    /**
     * Returns {error of the network's own layout, error of NCHW (only computed when the own layout
     * is channels-last and wrong)}, each null when the layout computes correctly.
     */
    private static String[] compareLayouts(ResNetCifar network, Shape imageShape) {
        try (NDManager scratch = Engines.pytorch().newBaseManager()) {
            Shape batch = new Shape(2).addAll(imageShape);
            double[] pixels = new double[Math.toIntExact(batch.size())];
            Random random = new Random(20191217L);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextGaussian();
            }
            List<float[]> reference = step(copy(network, false, DataType.FLOAT64, scratch, batch), scratch,
                    scratch.create(pixels, batch));
            NDArray input = scratch.create(pixels, batch).toType(DataType.FLOAT32, false);
            String own = compare(reference, step(copy(network, network.channelsLast(), DataType.FLOAT32, scratch,
                    batch), scratch, input));
            String nchw = own == null || !network.channelsLast() ? null
                    : compare(reference, step(copy(network, false, DataType.FLOAT32, scratch, batch), scratch, input));
            return new String[] {own, own != null && !network.channelsLast() ? own : nchw};
        }
    }

    /** A copy of the network with the same parameter values, in the given layout and precision. */
    private static ResNetCifar copy(ResNetCifar network, boolean channelsLast, DataType type, NDManager manager,
            Shape batch) {
        ResNetCifar c = network.sameArchitecture(channelsLast);
        // Zeros, not random draws: the check must not advance the engine's random stream.
        c.setInitializer(Initializer.ZEROS, p -> true);
        c.initialize(manager, type, batch);
        List<Pair<String, Parameter>> from = network.getParameters().stream().toList();
        List<Pair<String, Parameter>> to = c.getParameters().stream().toList();
        for (int i = 0; i < from.size(); i++) {
            NDArray target = to.get(i).getValue().getArray();
            try (NDArray values = from.get(i).getValue().getArray().toType(type, true)) {
                target.set(values.toByteBuffer(false));
            }
        }
        c.relayoutWeights();
        return c;
    }

    /**
     * One forward and backward pass's outputs: the features, then every trainable parameter's
     * gradient, as floats. The loss weighs every feature differently so that no gradient is
     * trivially zero. BatchNorm normalises with its running statistics (the forward pass is not a
     * training one), whose float32 rounding no batch of two images amplifies.
     */
    private static List<float[]> step(ResNetCifar net, NDManager manager, NDArray input) {
        List<float[]> out = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = input.duplicate();
            x.attach(scope);
            try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
                NDArray f = net.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow();
                out.add(f.toType(DataType.FLOAT32, false).toFloatArray());
                NDArray weights = scope.arange((float) f.size()).reshape(f.getShape()).sin().toType(f.getDataType(), false);
                gc.backward(f.mul(weights).sum());
            }
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    out.add(p.getValue().getArray().getGradient().toType(DataType.FLOAT32, false).toFloatArray());
                }
            }
        }
        return out;
    }

    /** Returns null when every output agrees with the reference, else where it differs most. */
    private static String compare(List<float[]> reference, List<float[]> actual) {
        for (int i = 0; i < reference.size(); i++) {
            float[] e = reference.get(i);
            float[] a = actual.get(i);
            double scale = 0;
            double worst = 0;
            for (int j = 0; j < e.length; j++) {
                scale = Math.max(scale, Math.abs(e[j]));
                worst = Math.max(worst, Math.abs(e[j] - a[j]));
            }
            if (!(worst <= TOLERANCE * scale)) {
                return String.format(Locale.ROOT, "%s off by %.3g of their largest magnitude %.3g",
                        i == 0 ? "the features are" : "gradient " + i + " is", scale == 0 ? worst : worst / scale, scale);
            }
        }
        return null;
    }
}
