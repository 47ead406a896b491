package io.anglearn.model;

import ai.djl.MalformedModelException;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A backbone supplied as a TorchScript module: a network a user exported from PyTorch with
 * {@code torch.jit.script(model).save(path)} or {@code torch.jit.trace(model, example).save(path)},
 * loaded into libtorch through DJL's PyTorch engine and trained from Java. It maps
 * {@code N×C×H×W} images to {@code N×F} features, which the {@link EmbeddingNetwork} projects and
 * classifies like those of a {@link ResNetCifar}.
 *
 * <p>The module is read when the block is {@link #initialize initialised}, onto the initialising
 * manager's device (so it is freed with that manager), and checked there, each failure an
 * {@link IllegalArgumentException} naming the file and what was expected:
 * <ul>
 *   <li>the file is a TorchScript archive (a zip with {@code data.pkl}, {@code constants.pkl} and
 *       {@code code/}), not some other file, nor a {@code torch.save} file of weights;</li>
 *   <li>every parameter is 32-bit float, as the rest of the network;</li>
 *   <li>a batch of three images of the dataset's shape goes through it in evaluation mode and
 *       comes out as one 32-bit float tensor of rank 2, three rows of F &ge; 1 features;</li>
 *   <li>in evaluation mode the features of an image do not depend on the other images of its
 *       batch. A module fails this when {@code torch.jit.trace} recorded a BatchNorm (or dropout)
 *       in training mode: tracing keeps the mode as a constant, so such a module would normalise
 *       with batch statistics, and move its running statistics, even while being evaluated.</li>
 * </ul>
 *
 * <p>Its parameters are the module's own tensors (DJL's {@link PtSymbolBlock} exposes them), so
 * the optimiser updates the module in place and gradients reach them through TorchScript's
 * autograd. BatchNorm running statistics and other buffers are not parameters: they live only in
 * the module, which {@link #moduleBytes()} writes whole (TorchScript's own archive) for a
 * checkpoint to keep beside the parameters. The graph executor's optimisations are switched off
 * for every call: they re-compile the graph after profiling runs, so a run resumed in a fresh
 * process would compute its first steps with other kernels than the uninterrupted run did. An
 * evaluation pass runs in libtorch's inference mode and returns a copy of the features, which
 * later operations may then use with gradients (as those of a frozen backbone are).
 *
 * <p>{@link #saveParameters} and {@link #loadParameters} are not supported: parameters alone do
 * not hold a module's buffers; save {@link #moduleBytes()} instead.
 */
public final class TorchScriptBackbone extends AbstractBlock {

    /** The prefix of {@code --backbone} values naming a TorchScript file. */
    public static final String PREFIX = "torchscript:";

    /** Images in the batches the module is checked with. */
    static final int CHECK_BATCH = 3;
    /** Largest difference accepted between an image's features computed in two different batches, relative. */
    static final double BATCH_INDEPENDENCE_TOLERANCE = 1e-4;

    private static final byte VERSION = 1;

    private final Path file;
    private PtSymbolBlock module;
    private long features = -1;

    /**
     * Creates the block; the file is read when the block is initialised.
     *
     * @param file the TorchScript module
     */
    public TorchScriptBackbone(Path file) {
        super(VERSION);
        this.file = file;
    }

    /** Returns the module file. */
    public Path file() {
        return file;
    }

    /**
     * Returns F, the features per image.
     *
     * @return F
     * @throws IllegalStateException before {@link #initialize}
     */
    public long features() {
        requireLoaded();
        return features;
    }

    /**
     * Checks that a file is there, readable and a TorchScript archive, without loading it.
     *
     * @param file the file
     * @throws IllegalArgumentException naming the file and what it is instead
     */
    public static void check(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(where(file) + "does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(where(file) + "is not a file");
        }
        boolean data = false;
        boolean constants = false;
        boolean code = false;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                // Entries sit in one folder named after the archive: NAME/data.pkl, NAME/code/...
                String inside = name.indexOf('/') >= 0 ? name.substring(name.indexOf('/') + 1) : name;
                data |= inside.equals("data.pkl");
                constants |= inside.equals("constants.pkl");
                code |= inside.startsWith("code/");
            }
        } catch (ZipException e) {
            throw new IllegalArgumentException(where(file) + "is not a TorchScript module: not a zip archive, which is"
                    + " what torch.jit.save writes (export the model with torch.jit.script(model).save(PATH) or"
                    + " torch.jit.trace(model, example).save(PATH))");
        } catch (IOException e) {
            throw new IllegalArgumentException(where(file) + "cannot be read (" + e.getMessage() + ")", e);
        }
        if (data && !code) {
            throw new IllegalArgumentException(where(file) + "holds tensors saved by torch.save (weights or a"
                    + " state dict), not a TorchScript module: export the model itself with"
                    + " torch.jit.script(model).save(PATH) or torch.jit.trace(model, example).save(PATH)");
        }
        if (!data || !constants || !code) {
            throw new IllegalArgumentException(where(file) + "is a zip archive but not a TorchScript module (it lacks"
                    + (data ? "" : " data.pkl") + (constants ? "" : " constants.pkl") + (code ? "" : " code/")
                    + "); export the model with torch.jit.script(model).save(PATH)");
        }
    }

    /**
     * Returns the SHA-256 of a file's bytes.
     *
     * @param file the file
     * @return 64 lower-case hex digits
     * @throws IOException if the file cannot be read
     */
    public static String sha256(Path file) throws IOException {
        return io.anglearn.util.Digests.sha256Hex(file);
    }

    /**
     * Reads the module onto {@code manager}'s device and checks it against the input shape
     * (see the class documentation), then initialises the parameters for training.
     *
     * @param manager a PyTorch manager that outlives the block's use; the module is freed with it
     * @param dataType must be 32-bit float
     * @param inputShapes one shape, {@code N×C×H×W}
     * @throws IllegalArgumentException if the file is not a module that fits, naming it and why
     */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (module == null) {
            load(manager, dataType, inputShapes);
        }
        super.initialize(manager, dataType, inputShapes);
    }

    private void load(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length != 1 || inputShapes[0].dimension() != 4) {
            throw new IllegalArgumentException("a TorchScript backbone takes one N×C×H×W input, got "
                    + java.util.Arrays.toString(inputShapes));
        }
        if (dataType != DataType.FLOAT32) {
            throw new IllegalArgumentException("a TorchScript backbone is trained in FLOAT32, got " + dataType);
        }
        if (!(manager instanceof PtNDManager pt)) {
            throw new IllegalArgumentException(where(file) + "needs DJL's PyTorch engine, got "
                    + manager.getEngine().getEngineName());
        }
        check(file);
        PtSymbolBlock loaded;
        try {
            loaded = JniUtils.loadModule(pt, file, true, new String[0], new String[0], true);
        } catch (EngineException e) {
            throw new IllegalArgumentException(where(file) + "libtorch cannot load it as a TorchScript module ("
                    + torchMessage(e) + ")", e);
        }
        try {
            for (Pair<String, Parameter> p : loaded.getDirectParameters()) {
                NDArray a = p.getValue().getArray();
                if (a.getDataType() != DataType.FLOAT32) {
                    throw new IllegalArgumentException(where(file) + "parameter '" + p.getKey() + "' is "
                            + a.getDataType() + "; anglearn trains in FLOAT32: export the module after model.float()");
                }
            }
            Shape image = inputShapes[0].slice(1);
            features = checkForward(loaded, manager, image);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        module = loaded;
    }

    /**
     * Runs two batches of three images through the module in evaluation mode, the first image the
     * same in both, and returns F; see the class documentation for what is checked.
     */
    private long checkForward(PtSymbolBlock m, NDManager manager, Shape image) {
        int size = Math.toIntExact(image.size());
        Random random = new Random(20191217L);
        float[][] images = new float[5][size];
        for (float[] img : images) {
            for (int i = 0; i < size; i++) {
                img[i] = (float) random.nextGaussian();
            }
        }
        Shape batch = new Shape(CHECK_BATCH).addAll(image);
        String shapeText = image.toString().replaceAll("[()]", "").replace(", ", "x");
        try (NDManager scratch = manager.newSubManager()) {
            float[] first = forwardBatch(m, scratch, batch, shapeText, images[0], images[1], images[2]);
            float[] second = forwardBatch(m, scratch, batch, shapeText, images[0], images[3], images[4]);
            int f = first.length / CHECK_BATCH;
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < f; i++) {
                scale = Math.max(scale, Math.abs(first[i]));
                worst = Math.max(worst, Math.abs(first[i] - second[i]));
            }
            if (!(worst <= BATCH_INDEPENDENCE_TOLERANCE * Math.max(scale, 1e-12))) {
                throw new IllegalArgumentException(where(file) + "in evaluation mode the features of an image depend"
                        + " on the other images of its batch (they moved by " + String.format(Locale.ROOT, "%.3g", worst)
                        + " when its batch-mates changed), so it cannot be evaluated: a BatchNorm or dropout was"
                        + " probably traced in training mode, which torch.jit.trace records as a constant. Export it"
                        + " with torch.jit.script(model), which keeps the mode switchable, or trace it after"
                        + " model.eval() (its BatchNorm then keeps fixed statistics)");
            }
            return f;
        }
    }

    private float[] forwardBatch(PtSymbolBlock m, NDManager scratch, Shape batch, String shapeText, float[]... images) {
        int size = images[0].length;
        float[] pixels = new float[size * images.length];
        for (int i = 0; i < images.length; i++) {
            System.arraycopy(images[i], 0, pixels, i * size, size);
        }
        NDList out;
        try {
            JniUtils.setGraphExecutorOptimize(false);
            out = m.forward(new ParameterStore(scratch, false), new NDList(scratch.create(pixels, batch)), false);
        } catch (EngineException e) {
            throw new IllegalArgumentException(where(file) + "does not accept a batch of " + shapeText
                    + " images, the dataset's shape (" + torchMessage(e) + ")", e);
        }
        if (out.size() != 1) {
            throw new IllegalArgumentException(where(file) + "returns " + out.size() + " values; expected one N×F"
                    + " tensor of features");
        }
        NDArray x = out.singletonOrThrow();
        Shape s = x.getShape();
        if (s.dimension() != 2 || s.get(0) != CHECK_BATCH || s.get(1) < 1) {
            throw new IllegalArgumentException(where(file) + "returns a tensor of shape " + s + " for "
                    + CHECK_BATCH + " images of " + shapeText + "; expected rank 2, " + CHECK_BATCH + "×F"
                    + (s.dimension() > 2 ? " (flatten or pool its output, e.g. torch.flatten(x, 1))" : ""));
        }
        if (x.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(where(file) + "returns " + x.getDataType() + " features; expected FLOAT32");
        }
        return x.toFloatArray();
    }

    /** The line of libtorch's message that says what went wrong: its error line, else its first line. */
    private static String torchMessage(EngineException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        String first = null;
        for (String line : message.split("\n")) {
            String t = line.strip();
            if (t.startsWith("RuntimeError:") || t.startsWith("Error:")) {
                return t;
            }
            if (first == null && !t.isEmpty()) {
                first = t;
            }
        }
        return first == null ? "no message" : first;
    }

    private static String where(Path file) {
        return "--backbone " + PREFIX + file + ": ";
    }

    private void requireLoaded() {
        if (module == null) {
            throw new IllegalStateException("the TorchScript backbone " + file + " is not initialised yet");
        }
    }

    /**
     * Writes the whole module, parameters and buffers (BatchNorm running statistics) as they are
     * now, in TorchScript's archive format; {@link #TorchScriptBackbone(Path)} reads it back.
     *
     * @return the archive's bytes
     */
    public byte[] moduleBytes() {
        requireLoaded();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JniUtils.writeModule(module, out, false);
        return out.toByteArray();
    }

    @Override
    public ParameterList getDirectParameters() {
        return module == null ? new ParameterList() : module.getDirectParameters();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        requireLoaded();
        // A per-thread switch of libtorch: set it on whichever thread runs the module.
        JniUtils.setGraphExecutorOptimize(false);
        NDList out = module.forward(store, inputs, training);
        if (training) {
            return out;
        }
        // DJL runs an evaluation pass in libtorch's inference mode, whose tensors no later operation
        // that records gradients may use (the projection of a frozen backbone's features does): copy.
        NDArray features = out.singletonOrThrow();
        NDArray copy = features.duplicate();
        features.close();
        return new NDList(copy);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        requireLoaded();
        return new Shape[] {new Shape(inputShapes[0].get(0), features)};
    }

    @Override
    public void saveParameters(DataOutputStream os) {
        throw new UnsupportedOperationException("a TorchScript backbone's buffers are not parameters: save the whole"
                + " module with moduleBytes()");
    }

    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        throw new UnsupportedOperationException("a TorchScript backbone is read from its module file: build it from"
                + " the file moduleBytes() wrote");
    }

    @Override
    public String toString() {
        return "TorchScript backbone " + file + (module == null ? "" : " (" + features + " features)");
    }
}
