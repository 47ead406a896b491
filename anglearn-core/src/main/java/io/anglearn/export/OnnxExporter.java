package io.anglearn.export;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.loss.HeadKind;
import io.anglearn.loss.Losses;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.run.TrainedRun;
import io.anglearn.rundir.AtomicFiles;
import io.anglearn.util.Digests;
import io.anglearn.util.IoErrors;
import io.anglearn.util.Version;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Exports a trained network to ONNX: the graph from image to embedding, written from the trained
 * parameters with protobuf (no Python, no ONNX library), runnable by ONNX Runtime 1.10 and newer
 * (IR version {@value OnnxGraph#IR_VERSION}, opset {@value OnnxGraph#OPSET}) and by DJL's ONNX
 * Runtime engine.
 *
 * <p>The graph's input is {@value #INPUT} ({@code N×C×H×W} float32, normalised with the run's
 * per-channel mean and standard deviation), or with {@link Options#includePreprocessing}
 * {@value #PIXELS_INPUT} ({@code N×H×W×C} uint8, decoded image bytes, normalised inside the graph).
 * N is dynamic ({@value #BATCH}). Its outputs are chosen among {@link Output}: the embedding
 * always, and optionally the L2-normalised embedding, the class cosines and the logits of the
 * run's loss.
 *
 * <p>The model's {@code metadata_props} say what a consumer needs (keys in {@link #metadataKeys}):
 * input layout, image size, channels, mean and standard deviation, class names, the loss and its
 * parameters, the meaning of each output, the checkpoint's step and SHA-256 and anglearn's version.
 * A JSON model card beside the model ({@link #cardFile}) says the same for people.
 *
 * <p>Every architecture anglearn trains exports: the CIFAR ResNets (resnet20, 32, 44, 56, 110),
 * resnet18 and resnet34, with or without the embedding projection. A TorchScript backbone does not:
 * its layers are compiled PyTorch code, which this exporter cannot read as layers.
 *
 * <p>The model file appears whole or not at all: it is written to a temporary file in the target's
 * folder, forced to disk and renamed over the target, so a killed export leaves no partial model.
 * Nothing of the run directory is written.
 */
public final class OnnxExporter {

    /** The name of the float image input. */
    public static final String INPUT = "images";
    /** The name of the uint8 pixel input of a graph with preprocessing. */
    public static final String PIXELS_INPUT = "pixels";
    /** The name of the dynamic batch dimension. */
    public static final String BATCH = "batch";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private OnnxExporter() {}

    /** The outputs a graph can have, each an ONNX output of that name. */
    public enum Output {
        /** {@code embedding}: the embedded feature x, N×d, as anglearn embed writes it. Always present. */
        EMBEDDING("embedding"),
        /** {@code embedding_normalized}: x / max(‖x‖, 1e-12), N×d. */
        NORMALIZED("embedding_normalized"),
        /** {@code cosines}: cos θ_j between x and each class's weight vector, N×C (not for a pair loss). */
        COSINES("cosines"),
        /** {@code logits}: the logits of the run's loss without its margin, N×C (not for a pair loss). */
        LOGITS("logits");

        private final String tensorName;

        Output(String tensorName) {
            this.tensorName = tensorName;
        }

        /** Returns the ONNX output's name. */
        public String tensorName() {
            return tensorName;
        }

        /**
         * Parses a name as the command line gives it.
         *
         * @param name {@code embedding}, {@code normalized} (or {@code embedding_normalized}),
         *     {@code cosines} or {@code logits}, case-insensitive
         * @return the output
         * @throws IllegalArgumentException naming the accepted names
         */
        public static Output parse(String name) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (Output o : values()) {
                if (o.tensorName.equals(n) || o.name().toLowerCase(Locale.ROOT).equals(n)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown output '" + name + "'; expected embedding, normalized, cosines"
                    + " or logits");
        }
    }

    /**
     * What to export.
     *
     * @param outputs the outputs; {@link Output#EMBEDDING} is added when missing
     * @param includePreprocessing whether the graph takes uint8 N×H×W×C pixels and normalises them
     *     itself, instead of normalised N×C×H×W floats
     * @param force whether an existing model file (and model card) may be replaced
     */
    public record Options(Set<Output> outputs, boolean includePreprocessing, boolean force) {

        /**
         * Creates the options; the embedding is always an output.
         *
         * @param outputs the outputs
         * @param includePreprocessing whether the graph takes uint8 pixels
         * @param force whether an existing model file may be replaced
         */
        public Options {
            EnumSet<Output> o = EnumSet.of(Output.EMBEDDING);
            o.addAll(outputs);
            outputs = Set.copyOf(o);
        }

        /**
         * Returns the defaults: the embedding alone, float input, no replacing.
         *
         * @return the options
         */
        public static Options defaults() {
            return new Options(Set.of(Output.EMBEDDING), false, false);
        }
    }

    /**
     * What a model is, for its metadata and card.
     *
     * @param architecture the backbone's name, e.g. {@code resnet20}
     * @param imageShape {channels, height, width}
     * @param mean the per-channel mean subtracted from pixels scaled to [0, 1]
     * @param std the per-channel standard deviation divided by
     * @param classNames the classes, in label order
     * @param loss the loss's name, e.g. {@code arc}
     * @param lossParams the loss's parameters as the run gave them
     * @param checkpointStep the optimiser step of the checkpoint
     * @param checkpointSha256 the SHA-256 of the checkpoint's parameter file
     */
    public record ModelDescription(String architecture, int[] imageShape, double[] mean, double[] std,
            List<String> classNames, String loss, Map<String, Double> lossParams, long checkpointStep,
            String checkpointSha256) {

        /**
         * Creates a description, copying the arrays and collections.
         *
         * @param architecture the backbone's name
         * @param imageShape {channels, height, width}
         * @param mean one mean per channel
         * @param std one standard deviation per channel
         * @param classNames the classes, in label order
         * @param loss the loss's name
         * @param lossParams the loss's parameters
         * @param checkpointStep the checkpoint's optimiser step
         * @param checkpointSha256 the checkpoint's parameter file's SHA-256
         * @throws IllegalArgumentException if there is not one mean and one deviation per channel
         */
        public ModelDescription {
            if (imageShape.length != 3 || mean.length != imageShape[0] || std.length != imageShape[0]) {
                throw new IllegalArgumentException("image shape " + Arrays.toString(imageShape) + " needs one mean and"
                        + " one standard deviation per channel, got " + mean.length + " and " + std.length);
            }
            imageShape = imageShape.clone();
            mean = mean.clone();
            std = std.clone();
            classNames = List.copyOf(classNames);
            lossParams = Map.copyOf(lossParams);
        }

        /**
         * Describes an opened run; the loss's parameters are the run's with the defaults of those it
         * did not set, so they are the values it trained with.
         *
         * @param run the run, with the checkpoint to export loaded
         * @return its description
         */
        public static ModelDescription of(TrainedRun run) {
            var config = run.config();
            Map<String, Double> params = new LinkedHashMap<>(Losses.parameters(config.loss));
            params.putAll(config.lossParams);
            return new ModelDescription(config.arch, run.imageShape(), run.normalization().mean(),
                    run.normalization().std(), run.classNames(), config.loss, params, run.checkpointStep(),
                    run.checkpointDigest());
        }
    }

    /**
     * What an export wrote.
     *
     * @param model the ONNX file
     * @param card the JSON model card beside it
     * @param bytes the model's size
     * @param sha256 the model's SHA-256
     * @param input the graph's input name
     * @param outputs the graph's output names, in order
     */
    public record Result(Path model, Path card, long bytes, String sha256, String input, List<String> outputs) {}

    /**
     * Returns the model card's path for a model file: {@code NAME.card.json} beside {@code NAME.onnx}
     * (or beside {@code NAME} when it has another extension).
     *
     * @param model the model file
     * @return the card's path
     */
    public static Path cardFile(Path model) {
        String name = model.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".onnx") ? name.substring(0, name.length() - 5) : name;
        return model.resolveSibling(base + ".card.json");
    }

    /**
     * Returns the keys every exported model's {@code metadata_props} has.
     *
     * @return the keys, in the order they are written
     */
    public static List<String> metadataKeys() {
        return List.of("input_name", "input_layout", "input_type", "image_height", "image_width", "channels", "mean",
                "std", "normalization", "class_names", "architecture", "loss", "loss_params", "outputs",
                "checkpoint_step", "checkpoint_sha256", "anglearn_version");
    }

    /**
     * Exports an opened run's network to {@code out}, with its model card beside it. The run
     * directory is only read.
     *
     * @param run the run, with the checkpoint to export loaded
     * @param out the model file; its folder must exist
     * @param options what to export
     * @return what was written
     * @throws IOException if the folder is missing or not writable, the file exists without
     *     {@link Options#force}, or writing fails; the message names the file, and no partial model
     *     is left
     * @throws IllegalArgumentException if the network cannot be exported (a TorchScript backbone,
     *     class outputs of a pair loss's network)
     */
    public static Result export(TrainedRun run, Path out, Options options) throws IOException {
        checkTarget(out, options.force());
        EmbeddingNetwork net = run.inference().network();
        ModelDescription description = ModelDescription.of(run);
        OnnxGraph graph = build(net, run.loss(), description, options);
        Path card = cardFile(out);
        Written w = writeAtomically(out, stream -> graph.writeTo(stream, "anglearn_" + description.architecture(),
                Version.current(), "anglearn embedding network; see the metadata_props and the model card"));
        Map<String, Object> cardJson = card(graph, description, w);
        AtomicFiles.writeString(card, GSON.toJson(cardJson) + "\n");
        return new Result(out, card, w.bytes(), w.sha256(), inputName(options), outputNames(options));
    }

    /**
     * Writes a network as an ONNX model to a stream, without a run directory: for a network built
     * and loaded in code.
     *
     * @param net the network, initialised
     * @param loss the loss it was trained with (for the logits)
     * @param description what it is, for the metadata
     * @param options what to export ({@link Options#force} is not used)
     * @param out where to write
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if the network cannot be exported
     */
    public static void write(EmbeddingNetwork net, EmbeddingLoss loss, ModelDescription description, Options options,
            OutputStream out) throws IOException {
        build(net, loss, description, options).writeTo(out, "anglearn_" + description.architecture(), Version.current(),
                "anglearn embedding network");
    }

    private static String inputName(Options options) {
        return options.includePreprocessing() ? PIXELS_INPUT : INPUT;
    }

    private static List<String> outputNames(Options options) {
        List<String> names = new ArrayList<>();
        for (Output o : Output.values()) {
            if (options.outputs().contains(o)) {
                names.add(o.tensorName());
            }
        }
        return names;
    }

    private static OnnxGraph build(EmbeddingNetwork net, EmbeddingLoss loss, ModelDescription d, Options options) {
        boolean classes = options.outputs().contains(Output.COSINES) || options.outputs().contains(Output.LOGITS);
        if (classes && net.head().kind() == HeadKind.NONE) {
            throw new IllegalArgumentException("the run was trained with the pair loss '" + d.loss() + "', which trains"
                    + " no class weights: only the embedding and its normalised form can be exported, not cosines or"
                    + " logits");
        }
        int c = d.imageShape()[0];
        int h = d.imageShape()[1];
        int wd = d.imageShape()[2];
        OnnxGraph g = new OnnxGraph();
        String x;
        if (options.includePreprocessing()) {
            g.input(PIXELS_INPUT, OnnxGraph.UINT8, "decoded images, N×H×W×C bytes 0..255 (channels "
                    + (c == 1 ? "grey" : "RGB") + "), normalised inside the graph", BATCH, (long) h, (long) wd, (long) c);
            x = preprocessing(g, d);
        } else {
            g.input(INPUT, OnnxGraph.FLOAT, "images N×C×H×W, pixels scaled to [0, 1] then normalised per channel:"
                    + " (p − mean) / std with the metadata's mean and std", BATCH, (long) c, (long) h, (long) wd);
            x = INPUT;
        }
        String embedding = NetworkGraph.embedding(g, net, x);
        long dim = net.getOutputShapes(new ai.djl.ndarray.types.Shape[] {
            new ai.djl.ndarray.types.Shape(1, c, h, wd)})[0].get(1);
        Map<String, String> meanings = new LinkedHashMap<>();
        identity(g, embedding, Output.EMBEDDING.tensorName());
        g.output(Output.EMBEDDING.tensorName(), OnnxGraph.FLOAT, "the embedded feature x, N×" + dim, BATCH, dim);
        meanings.put(Output.EMBEDDING.tensorName(), "the embedded feature x (N×" + dim + "), as anglearn embed writes it");
        String normalized = null;
        if (options.outputs().contains(Output.NORMALIZED) || classes) {
            normalized = NetworkGraph.normalized(g, embedding);
        }
        if (options.outputs().contains(Output.NORMALIZED)) {
            identity(g, normalized, Output.NORMALIZED.tensorName());
            g.output(Output.NORMALIZED.tensorName(), OnnxGraph.FLOAT, "x / max(‖x‖, 1e-12)", BATCH, dim);
            meanings.put(Output.NORMALIZED.tensorName(), "x / max(‖x‖, 1e-12), the L2-normalised embedding");
        }
        long numClasses = net.head().numClasses();
        String cosines = classes ? NetworkGraph.cosines(g, net.head(), normalized) : null;
        if (options.outputs().contains(Output.COSINES)) {
            identity(g, cosines, Output.COSINES.tensorName());
            g.output(Output.COSINES.tensorName(), OnnxGraph.FLOAT, "cos θ_j to each class's weight vector", BATCH,
                    numClasses);
            meanings.put(Output.COSINES.tensorName(), "cos θ_j between x and class j's weight vector (N×" + numClasses
                    + (net.head().subCenters() > 1 ? ", the largest over the class's sub-centres" : "")
                    + "); the predicted class is the argmax");
        }
        if (options.outputs().contains(Output.LOGITS)) {
            NetworkGraph.Logits logits = NetworkGraph.logits(g, net.head(), loss, embedding, cosines);
            identity(g, logits.name(), Output.LOGITS.tensorName());
            g.output(Output.LOGITS.tensorName(), OnnxGraph.FLOAT, logits.meaning(), BATCH, numClasses);
            meanings.put(Output.LOGITS.tensorName(), "the logits of the loss " + d.loss() + " without its margin: "
                    + logits.meaning() + "; their softmax is anglearn serve's class probabilities and their argmax"
                    + " the predicted class");
        }
        metadata(g, d, options, meanings);
        return g;
    }

    /** Gives a value its output name (an output must be the output of a node). */
    private static void identity(OnnxGraph g, String value, String name) {
        g.node("Identity", List.of(value), List.of(name));
    }

    /** uint8 N×H×W×C → float, N×C×H×W, / 255, − mean, / std: the run's normalisation, in float32. */
    private static String preprocessing(OnnxGraph g, ModelDescription d) {
        int c = d.imageShape()[0];
        float[] mean = new float[c];
        float[] std = new float[c];
        for (int i = 0; i < c; i++) {
            mean[i] = (float) d.mean()[i];
            std[i] = (float) d.std()[i];
        }
        String x = g.op("Cast", List.of(PIXELS_INPUT), OnnxGraph.Attribute.of("to", (long) OnnxGraph.FLOAT));
        x = g.op("Transpose", List.of(x), OnnxGraph.Attribute.ints("perm", 0, 3, 1, 2));
        x = g.op("Div", List.of(x, g.scalar("preprocessing.255", 255f)));
        x = g.op("Sub", List.of(x, g.floats("preprocessing.mean", mean, 1, c, 1, 1)));
        return g.op("Div", List.of(x, g.floats("preprocessing.std", std, 1, c, 1, 1)));
    }

    private static void metadata(OnnxGraph g, ModelDescription d, Options options, Map<String, String> meanings) {
        boolean pre = options.includePreprocessing();
        g.metadata("input_name", inputName(options));
        g.metadata("input_layout", pre ? "NHWC" : "NCHW");
        g.metadata("input_type", pre ? "uint8" : "float32");
        g.metadata("image_height", String.valueOf(d.imageShape()[1]));
        g.metadata("image_width", String.valueOf(d.imageShape()[2]));
        g.metadata("channels", String.valueOf(d.imageShape()[0]));
        g.metadata("mean", GSON.toJson(d.mean()).replaceAll("\\s+", ""));
        g.metadata("std", GSON.toJson(d.std()).replaceAll("\\s+", ""));
        g.metadata("normalization", pre ? "inside the graph: (pixel / 255 − mean) / std per channel"
                : "by the caller: (pixel / 255 − mean) / std per channel, pixels in N×C×H×W order");
        g.metadata("class_names", new Gson().toJson(d.classNames()));
        g.metadata("architecture", d.architecture());
        g.metadata("loss", d.loss());
        g.metadata("loss_params", new Gson().toJson(new java.util.TreeMap<>(d.lossParams())));
        g.metadata("outputs", new GsonBuilder().disableHtmlEscaping().create().toJson(meanings));
        g.metadata("checkpoint_step", String.valueOf(d.checkpointStep()));
        g.metadata("checkpoint_sha256", d.checkpointSha256());
        g.metadata("anglearn_version", Version.current());
        g.metadata("opset", String.valueOf(OnnxGraph.OPSET));
    }

    private static Map<String, Object> card(OnnxGraph g, ModelDescription d, Written w) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("model", w.file().getFileName().toString());
        card.put("model_sha256", w.sha256());
        card.put("model_bytes", w.bytes());
        card.put("format", "ONNX, IR version " + OnnxGraph.IR_VERSION + ", opset " + OnnxGraph.OPSET);
        Map<String, String> meta = g.metadataView();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", meta.get("input_name"));
        input.put("layout", meta.get("input_layout"));
        input.put("type", meta.get("input_type"));
        input.put("shape", meta.get("input_layout").equals("NCHW")
                ? List.of(BATCH, d.imageShape()[0], d.imageShape()[1], d.imageShape()[2])
                : List.of(BATCH, d.imageShape()[1], d.imageShape()[2], d.imageShape()[0]));
        input.put("normalization", meta.get("normalization"));
        card.put("input", input);
        card.put("mean", d.mean());
        card.put("std", d.std());
        card.put("class_names", d.classNames());
        card.put("outputs", GSON.fromJson(meta.get("outputs"), Map.class));
        card.put("architecture", d.architecture());
        card.put("loss", d.loss());
        card.put("loss_params", new java.util.TreeMap<>(d.lossParams()));
        card.put("checkpoint_step", d.checkpointStep());
        card.put("checkpoint_sha256", d.checkpointSha256());
        card.put("anglearn_version", Version.current());
        return card;
    }

    private static void checkTarget(Path out, boolean force) throws IOException {
        Path file = out.toAbsolutePath();
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + out + ": its folder " + dir + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new IOException("cannot write " + out + ": it is a folder; expected a file name such as model.onnx");
        }
        if (!force) {
            for (Path p : List.of(file, cardFile(file))) {
                if (Files.exists(p)) {
                    throw new IOException(p + " already exists; replacing it needs force (anglearn export --force)");
                }
            }
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("cannot write " + out + ": its folder " + dir + " is not writable"
                    + (Files.getFileStore(dir).isReadOnly() ? " (a read-only file system)" : ""));
        }
    }

    /** What {@link #writeAtomically} wrote. */
    record Written(Path file, long bytes, String sha256) {}

    /** Writes the content of a file to an output stream. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes a file whole or not at all: to a temporary file beside it, forced to disk, then
     * renamed over it. On any failure (or a kill) the target is as it was and the temporary file
     * is deleted (a kill can leave only the hidden {@code .NAME.*.tmp}, never a partial NAME).
     */
    static Written writeAtomically(Path target, Content content) throws IOException {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + IoErrors.describe(e), e);
        }
        try {
            MessageDigest sha = Digests.sha256();
            long bytes;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream raw = Channels.newOutputStream(ch);
                CountingStream counted = new CountingStream(new DigestOutputStream(raw, sha));
                OutputStream buffered = new BufferedOutputStream(counted, 1 << 20);
                content.writeTo(buffered);
                buffered.flush();
                bytes = counted.count;
                ch.force(true);
            }
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // Temporary files are owner-only; a model is as readable as any file the user writes.
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            AtomicFiles.moveAtomically(tmp, file);
            AtomicFiles.fsyncDirectory(dir);
            return new Written(file, bytes, Digests.hex(sha.digest()));
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + IoErrors.describe(e) + " (nothing was written to "
                    + target.getFileName() + ")", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
