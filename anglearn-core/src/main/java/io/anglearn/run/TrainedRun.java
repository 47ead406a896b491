package io.anglearn.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.anglearn.data.BadImagePolicy;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.ImageDecodeException;
import io.anglearn.data.ImageDecoder;
import io.anglearn.data.ImageFolder;
import io.anglearn.data.Normalization;
import io.anglearn.engine.Engines;
import io.anglearn.engine.NativeStderr;
import io.anglearn.loss.EmbeddingLoss;
import io.anglearn.loss.InferenceLogits;
import io.anglearn.metrics.AngleStatistics;
import io.anglearn.model.EmbeddingNetwork;
import io.anglearn.model.KernelCheck;
import io.anglearn.model.ResNetCifar;
import io.anglearn.record.NpyWriter;
import io.anglearn.rundir.AtomicFiles;
import io.anglearn.rundir.ResolvedSettings;
import io.anglearn.rundir.RunFiles;
import io.anglearn.rundir.RunManifest;
import io.anglearn.train.CheckpointStore;
import io.anglearn.train.Embeddings;
import io.anglearn.train.Evaluation;
import io.anglearn.train.Inference;
import io.anglearn.train.Optimizer;
import io.anglearn.train.Prediction;
import io.anglearn.train.TrainingComponents;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A trained run opened for use: the network rebuilt from the run's {@code config.json} and
 * loaded from one of its checkpoints, with the run's normalisation. It evaluates any split
 * ({@code anglearn evaluate}), computes and writes embedded features ({@code anglearn embed}) and
 * classifies image files ({@code anglearn predict}).
 *
 * <p>Evaluation runs on the CPU in inference mode: BatchNorm uses its running statistics. A split
 * whose classes the network classifies (it has a head, and the split's class names are the run's
 * training classes) is evaluated by classification; any other (a run trained with a pair loss,
 * or the test classes of a run trained on other classes) by retrieval ({@link Evaluation}). A run
 * without a head embeds but does not {@link #predict}.
 */
public final class TrainedRun implements AutoCloseable {


    private final Path runDir;
    private final TrainingConfig config;
    private final Normalization norm;
    private final List<String> classNames;
    private final int[] imageShape;
    private final long step;
    private final String checkpointDigest;
    private final NDManager manager;
    private final Inference inference;
    private final EmbeddingLoss loss;
    private TrainingData data;

    private TrainedRun(Path runDir, TrainingConfig config, Normalization norm, List<String> classNames,
            int[] imageShape, CheckpointStore.Checkpoint checkpoint) throws IOException {
        this.runDir = runDir;
        this.config = config;
        this.norm = norm;
        this.classNames = List.copyOf(classNames);
        this.imageShape = imageShape.clone();
        this.step = checkpoint.step();
        // The checksums were verified on opening; the digest identifies the weights for indexes built with them.
        this.checkpointDigest = CheckpointStore.sha256(Files.readAllBytes(checkpoint.dir().resolve(CheckpointStore.MODEL_FILE)));
        EmbeddingLoss loss = TrainingComponents.buildLoss(config);
        // A TorchScript backbone comes from the checkpoint, with its buffers as they were then; the
        // run directory is enough, the module file it was trained from is not needed.
        Path module = null;
        if (config.backbone != null) {
            module = checkpoint.backboneModule().orElseThrow(() -> new IOException(checkpoint.dir() + " lacks "
                    + CheckpointStore.BACKBONE_FILE + ", the TorchScript backbone's module"));
        }
        EmbeddingNetwork net = TrainingComponents.buildNetwork(config, classNames.size(), loss, module);
        Engine engine = Engines.pytorch();
        manager = engine.newBaseManager(Device.cpu());
        try {
            Shape inputShape = new Shape(1, imageShape[0], imageShape[1], imageShape[2]);
            net.initialize(manager, DataType.FLOAT32, inputShape);
            // The loss's own state (e.g. AdaCos's adapted scale) as the checkpoint saved it.
            loss.initializeState(manager, DataType.FLOAT32, net.head().numClasses(),
                    net.getOutputShapes(new Shape[] {inputShape})[0].get(1));
            Path lossFile = checkpoint.dir().resolve(CheckpointStore.LOSS_FILE);
            if (Files.isRegularFile(lossFile) && Files.size(lossFile) > 0) {
                try (java.io.DataInputStream is = new java.io.DataInputStream(
                        new java.io.ByteArrayInputStream(Files.readAllBytes(lossFile)))) {
                    loss.loadState(manager, is);
                }
            }
            this.loss = loss;
            List<String> names = new ArrayList<>();
            NDList targets = new NDList();
            net.getParameters().forEach(p -> {
                names.add(p.getKey());
                targets.add(p.getValue().getArray());
            });
            if (!names.equals(checkpoint.state().parameterNames())) {
                throw new IOException(checkpoint.dir() + ": its parameters do not match the network that "
                        + RunFiles.config(runDir) + " describes");
            }
            try (NDManager tmp = manager.newSubManager()) {
                NDList saved = checkpoint.read(CheckpointStore.MODEL_FILE, tmp);
                for (int i = 0; i < targets.size(); i++) {
                    Optimizer.copyInto(saved.get(i), targets.get(i), "parameter " + names.get(i));
                }
            }
            if (net.backbone() instanceof ResNetCifar resNet) {
                // As in training: the loaded values in the fastest layout this machine computes correctly.
                resNet.relayoutWeights();
                KernelCheck.verify(resNet, new Shape(imageShape[0], imageShape[1], imageShape[2]));
            }
            inference = new Inference(net, new ParameterStore(manager, false), manager, Device.cpu());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Opens a run with its newest checkpoint.
     *
     * @param runDir the run directory
     * @return the opened run; close it to free native memory
     * @throws IOException if the run's files are missing or damaged; the message names the file
     */
    public static TrainedRun open(Path runDir) throws IOException {
        return open(runDir, "last");
    }

    /**
     * Opens a run with a chosen checkpoint.
     *
     * @param runDir the run directory
     * @param checkpoint {@code last}, {@code best} or {@code step-N}
     * @return the opened run; close it to free native memory
     * @throws IOException if the run's files are missing or damaged; the message names the file
     */
    public static TrainedRun open(Path runDir, String checkpoint) throws IOException {
        Path cfgFile = RunManifest.requireRun(runDir);
        TrainingConfig config = TrainingConfig.read(cfgFile);
        ResolvedSettings resolved = RunManifest.read(runDir).resolved();
        if (resolved == null) {
            throw new IOException(cfgFile + ": no 'resolved' section (normalisation, classes)");
        }
        if (resolved.normalizationMean() == null || resolved.normalizationStd() == null
                || resolved.classNames() == null || resolved.imageShape() == null || resolved.imageShape().length != 3) {
            throw new IOException(cfgFile + ": missing or malformed field in 'resolved' (it needs normalizationMean,"
                    + " normalizationStd, classNames and a three-element imageShape)");
        }
        Normalization norm = new Normalization(resolved.normalizationMean(), resolved.normalizationStd());
        CheckpointStore.Checkpoint ckpt = new CheckpointStore(RunFiles.checkpoints(runDir), config.keepCheckpoints)
                .find(checkpoint);
        return new TrainedRun(runDir, config, norm, resolved.classNames(), resolved.imageShape(), ckpt);
    }

    /** Returns the run directory. */
    public Path runDir() {
        return runDir;
    }

    /** Returns the run's configuration. */
    public TrainingConfig config() {
        return config.copy();
    }

    /** Returns the optimiser step of the loaded checkpoint. */
    public long checkpointStep() {
        return step;
    }

    /** Returns the SHA-256 of the loaded checkpoint's parameter file, which identifies the weights. */
    public String checkpointDigest() {
        return checkpointDigest;
    }

    /** Returns the input shape the run was trained on: {channels, height, width}. */
    public int[] imageShape() {
        return imageShape.clone();
    }

    /** Returns the names of the classes the run was trained on, in label order. */
    public List<String> classNames() {
        return classNames;
    }

    /** Returns the training split's normalisation the run used. */
    public Normalization normalization() {
        return norm;
    }

    /** Returns the inference runner over the loaded network. */
    public Inference inference() {
        return inference;
    }

    /** Returns the loss the run was trained with, with its own state as the checkpoint saved it. */
    public EmbeddingLoss loss() {
        return loss;
    }

    /**
     * Loads one of the run's splits, as its configuration describes it (dataset and limits).
     *
     * @param split {@code train} or {@code test}
     * @return the split
     * @throws IOException if the dataset cannot be found or read
     */
    public ImageDataset split(String split) throws IOException {
        if (data == null) {
            data = TrainingData.load(config);
        }
        return data.split(split);
    }

    /**
     * Says how the run's dataset was divided into its splits, for the reader: for example
     * {@code 20% of each class held out for testing (seed 42)} for a {@code folder:} dataset without
     * {@code train/} and {@code test/} sub-folders.
     *
     * @return the layout, or null when the dataset's files fix the splits (Fashion-MNIST, CIFAR)
     * @throws IOException if the dataset cannot be found or read
     */
    public String splitLayout() throws IOException {
        if (data == null) {
            data = TrainingData.load(config);
        }
        return data.layout();
    }

    /**
     * Evaluates on a dataset: by classification (top-1/top-5 error, confusion matrix, angle
     * statistics) when the network classifies its classes, else by retrieval (precision@1,
     * R-precision, MAP@R, k-means NMI and C-Inter; see {@link Evaluation}).
     *
     * @param dataset the images, shaped as the run's
     * @return the evaluation
     */
    public Evaluation evaluate(ImageDataset dataset) {
        checkShape(dataset);
        if (classifies(dataset)) {
            return inference.evaluateFully(dataset, norm, 256);
        }
        return inference.evaluateByRetrieval(dataset, norm, 256, config.seed);
    }

    /**
     * Returns whether the network classifies a dataset's classes: it has a head, and the dataset's
     * classes are the ones it was trained on.
     *
     * @param dataset the images
     * @return true when classification metrics apply
     */
    public boolean classifies(ImageDataset dataset) {
        return inference.classifies() && dataset.classNames().equals(classNames);
    }

    /**
     * Computes the embedded features of a dataset. libtorch's native warnings are silenced meanwhile
     * ({@link NativeStderr}): for a batch of one image libtorch tries NNPACK for each convolution,
     * which prints "Could not initialize NNPACK" on processors NNPACK does not know.
     *
     * @param dataset the images, shaped as the run's
     * @return features, scores and labels in dataset order
     */
    public Embeddings embed(ImageDataset dataset) {
        checkShape(dataset);
        return NativeStderr.silenced(() -> inference.embed(dataset, norm, 256));
    }

    /**
     * Runs images already decoded to the run's shape (bytes 0..255, planar, as
     * {@link io.anglearn.data.ImageDecoder} and {@link ImageDataset} hold them) through the network,
     * after the run's normalisation.
     *
     * @param pixels {@code n × C × H × W} bytes
     * @param n the number of images
     * @return {features n×d, head outputs n×C}, row-major
     */
    public float[][] forwardPixels(byte[] pixels, int n) {
        int c = imageShape[0];
        int plane = imageShape[1] * imageShape[2];
        if (n < 1 || pixels.length != (long) n * c * plane) {
            throw new IllegalArgumentException(n + " images of " + c + "x" + imageShape[1] + "x" + imageShape[2]
                    + " need " + (long) n * c * plane + " bytes, got " + pixels.length);
        }
        float[] x = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            int ch = (i / plane) % c;
            x[i] = (float) (((pixels[i] & 0xFF) / 255.0 - norm.mean()[ch]) / norm.std()[ch]);
        }
        return inference.forward(x, n, c, imageShape[1], imageShape[2]);
    }

    /** The files {@link #writeEmbeddings} wrote. */
    public record EmbeddingFiles(Path features, Path labels, Path vectorsTsv, Path metadataTsv) {}

    /**
     * Writes embeddings as NumPy files and TensorBoard projector TSVs: for {@code out = DIR/NAME.npy}
     * (or {@code DIR/NAME}), {@code NAME.npy} (features, float32, N×d), {@code NAME-labels.npy}
     * (int32, N), {@code NAME-vectors.tsv} (one feature per line, tab-separated) and
     * {@code NAME-metadata.tsv} (a header line {@code label	class}, then one line per sample).
     *
     * @param e the embeddings, of the run's training classes
     * @param out the features file
     * @return the four files
     * @throws IOException if writing fails
     */
    public EmbeddingFiles writeEmbeddings(Embeddings e, Path out) throws IOException {
        return writeEmbeddings(e, out, classNames, null);
    }

    /**
     * Writes embeddings as {@link #writeEmbeddings(Embeddings, Path)} does, naming the classes of
     * the split they came from (which may not be the training classes).
     *
     * @param e the embeddings
     * @param out the features file
     * @param classNames the names of the embeddings' labels
     * @return the four files
     * @throws IOException if writing fails
     */
    public EmbeddingFiles writeEmbeddings(Embeddings e, Path out, List<String> classNames) throws IOException {
        return writeEmbeddings(e, out, classNames, null);
    }

    /**
     * Writes the embeddings of a dataset as {@link #writeEmbeddings(Embeddings, Path)} does, with
     * its class names and each image's source (its file, for images read from files) as a third
     * metadata column.
     *
     * @param e the embeddings of {@code data}, in its order
     * @param out the features file
     * @param data the images embedded
     * @return the four files
     * @throws IOException if writing fails
     */
    public EmbeddingFiles writeEmbeddings(Embeddings e, Path out, ImageDataset data) throws IOException {
        List<String> sources = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            sources.add(data.source(i));
        }
        return writeEmbeddings(e, out, data.classNames(), sources);
    }

    private EmbeddingFiles writeEmbeddings(Embeddings e, Path out, List<String> classNames, List<String> sources)
            throws IOException {
        String name = out.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        if (base.isEmpty()) {
            throw new IllegalArgumentException("--out needs a file name, got " + out);
        }
        Path dir = out.toAbsolutePath().getParent();
        Path features = dir.resolve(base + ".npy");
        Path labels = dir.resolve(base + "-labels.npy");
        Path vectors = dir.resolve(base + "-vectors.tsv");
        Path metadata = dir.resolve(base + "-metadata.tsv");
        NpyWriter.writeFloat32(features, e.features(), e.count(), e.dim());
        NpyWriter.writeInt32(labels, e.labels(), e.count());
        StringBuilder v = new StringBuilder();
        StringBuilder m = new StringBuilder(sources == null ? "label\tclass\n" : "label\tclass\tsource\n");
        for (int i = 0; i < e.count(); i++) {
            for (int k = 0; k < e.dim(); k++) {
                if (k > 0) {
                    v.append('\t');
                }
                v.append(e.features()[i * e.dim() + k]);
            }
            v.append('\n');
            int y = e.labels()[i];
            m.append(y).append('\t').append(classNames.get(y).replace('\t', ' '));
            if (sources != null) {
                m.append('\t').append(sources.get(i).replace('\t', ' ').replace('\n', ' '));
            }
            m.append('\n');
        }
        AtomicFiles.writeString(vectors, v.toString());
        AtomicFiles.writeString(metadata, m.toString());
        return new EmbeddingFiles(features, labels, vectors, metadata);
    }

    /**
     * Classifies image files (PNG, JPEG, BMP, GIF). Each image is read as {@link #readImages} reads
     * it (converted to the run's channels and resized to its size, as a {@code folder:} dataset's
     * images are for training), then normalised with the run's statistics.
     *
     * @param files the images
     * @return one prediction per file, in order
     * @throws IOException if a file cannot be read or is not an image; the message names every such file
     * @throws IllegalStateException if the run has no classifier head (a pair loss)
     */
    public List<Prediction> predict(List<Path> files) throws IOException {
        if (!inference.classifies()) {
            throw new IllegalStateException(runDir + " was trained with the pair loss '" + config.loss + "', which"
                    + " trains no class weights: it embeds images but does not classify them (anglearn embed writes"
                    + " their features)");
        }
        return predict(readImages(files));
    }

    /**
     * Classifies images already read ({@link #readImages}); each prediction's source is the image's.
     *
     * @param images the images, shaped as the run's
     * @return one prediction per image, in order
     * @throws IllegalStateException if the run has no classifier head (a pair loss)
     */
    public List<Prediction> predict(ImageDataset images) {
        if (!inference.classifies()) {
            throw new IllegalStateException(runDir + " was trained with the pair loss '" + config.loss + "', which"
                    + " trains no class weights: it embeds images but does not classify them");
        }
        checkShape(images);
        double[][] weights = inference.classWeights();
        InferenceLogits logits = loss.inferenceLogits(classNames.size());
        Embeddings e = NativeStderr.silenced(() -> inference.embed(images, norm, 64));
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < e.count(); i++) {
            double[] x = new double[e.dim()];
            for (int k = 0; k < x.length; k++) {
                x[k] = e.features()[i * e.dim() + k];
            }
            float[] feature = Arrays.copyOfRange(e.features(), i * e.dim(), (i + 1) * e.dim());
            float[] scores = Arrays.copyOfRange(e.scores(), i * e.numClasses(), (i + 1) * e.numClasses());
            double[] cos = new double[weights.length];
            for (int j = 0; j < weights.length; j++) {
                cos[j] = AngleStatistics.cosine(x, weights[j]);
            }
            int best = 0;
            for (int j = 1; j < e.numClasses(); j++) {
                if (e.scores()[i * e.numClasses() + j] > e.scores()[i * e.numClasses() + best]) {
                    best = j;
                }
            }
            out.add(new Prediction(images.source(i), best, classNames.get(best), cos,
                    logits.probabilities(scores, feature)));
        }
        return out;
    }

    /**
     * Reads image files (PNG, JPEG, BMP, GIF) as the run's input: converted to its channels (grey
     * by luminance, or RGB) and resized to its size with bilinear interpolation, by the same
     * defensive {@link ImageDecoder} a {@code folder:} dataset uses. A folder stands for every image
     * file under it, in name order. Each image's label is its folder: the classes are the names of
     * the folders the files are in, sorted.
     *
     * @param filesOrFolders image files and folders of them
     * @return the images, each with its file as its source
     * @throws IOException if a path does not exist, a folder holds no image, or files cannot be
     *     decoded; the message names every such file
     * @throws IllegalArgumentException if the run's images are not square
     */
    public ImageDataset readImages(List<Path> filesOrFolders) throws IOException {
        return readImages(filesOrFolders, BadImagePolicy.STOP).images();
    }

    /**
     * The images {@link #readImages(List, BadImagePolicy)} read, and the files it left out.
     *
     * @param images the images read, each with its file as its source
     * @param unreadable each file left out because it could not be decoded, with the reason
     */
    public record ReadImages(ImageDataset images, List<String> unreadable) {

        /** Copies the list. */
        public ReadImages {
            unreadable = List.copyOf(unreadable);
        }
    }

    /**
     * Reads image files as {@link #readImages(List)} does, stopping at unreadable files or leaving
     * them out. Every file is tried first, so one pass finds them all.
     *
     * @param filesOrFolders image files and folders of them
     * @param badImages {@link BadImagePolicy#STOP} to refuse them all, listed; {@link BadImagePolicy#SKIP}
     *     to leave them out and report them
     * @return the images and the files left out
     * @throws IOException if a path does not exist, a folder holds no image, files cannot be decoded
     *     (unless skipped) or none can; the message names every such file
     * @throws IllegalArgumentException if the run's images are not square
     */
    public ReadImages readImages(List<Path> filesOrFolders, BadImagePolicy badImages) throws IOException {
        if (imageShape[1] != imageShape[2]) {
            throw new IllegalArgumentException("the run's images are " + imageShape[1] + "x" + imageShape[2]
                    + "; reading image files needs a run trained on square images");
        }
        List<Path> files = imageFiles(filesOrFolders);
        ImageDecoder decoder = ImageDecoder.builder().setImageSize(imageShape[1]).setChannels(imageShape[0]).build();
        int img = imageShape[0] * imageShape[1] * imageShape[2];
        byte[] pixels = new byte[Math.multiplyExact(files.size(), img)];
        List<Path> kept = new ArrayList<>(files.size());
        List<String> failures = new ArrayList<>();
        ImageDecodeException first = null;
        for (Path f : files) {
            try {
                System.arraycopy(decoder.decode(f), 0, pixels, kept.size() * img, img);
                kept.add(f);
            } catch (ImageDecodeException e) {
                failures.add(e.getMessage());
                first = first == null ? e : first;
            }
        }
        if (!failures.isEmpty() && (badImages == BadImagePolicy.STOP || kept.isEmpty())) {
            String hint = badImages == BadImagePolicy.STOP ? "\nRepair or remove them, or leave them out with --bad-images skip"
                    : "\nno image is left to read";
            throw new ImageDecodeException(first.reason(), (failures.size() == 1 ? failures.get(0) : failures.size()
                    + " of " + files.size() + " images cannot be read:\n  " + String.join("\n  ", failures)) + hint, first);
        }
        // Each image's label is its folder: the classes are the folders of the files read, sorted.
        java.util.TreeSet<String> folders = new java.util.TreeSet<>();
        for (Path f : kept) {
            folders.add(folderName(f));
        }
        List<String> classes = new ArrayList<>(folders);
        int[] labels = new int[kept.size()];
        List<String> sources = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            labels[i] = classes.indexOf(folderName(kept.get(i)));
            sources.add(kept.get(i).toString());
        }
        byte[] px = kept.size() == files.size() ? pixels : java.util.Arrays.copyOf(pixels, kept.size() * img);
        return new ReadImages(new ImageDataset("images", px, labels, imageShape[0], imageShape[1], imageShape[2], classes,
                sources), failures);
    }

    /**
     * Lists the image files that paths stand for: a file as itself, a folder as every
     * {@link ImageFolder#isImage image file} under it, in name order.
     *
     * @param filesOrFolders files and folders
     * @return the files, in the order given (each folder's in name order)
     * @throws IOException if a path does not exist, or a folder holds no image file
     */
    public static List<Path> imageFiles(List<Path> filesOrFolders) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : filesOrFolders) {
            if (Files.isDirectory(p)) {
                List<Path> found;
                try (java.util.stream.Stream<Path> s = Files.walk(p)) {
                    found = s.filter(f -> Files.isRegularFile(f) && ImageFolder.isImage(f)).sorted().toList();
                }
                if (found.isEmpty()) {
                    throw new IOException(p + " holds no .png, .jpg, .jpeg, .bmp or .gif files");
                }
                out.addAll(found);
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IOException(p + " does not exist or is not a file");
            }
        }
        return out;
    }

    private static String folderName(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parent == null || parent.getFileName() == null ? "/" : parent.getFileName().toString();
    }

    private void checkShape(ImageDataset d) {
        if (d.channels() != imageShape[0] || d.height() != imageShape[1] || d.width() != imageShape[2]) {
            throw new IllegalArgumentException(d.name() + " has " + d.channels() + "x" + d.height() + "x" + d.width()
                    + " images; the run was trained on " + imageShape[0] + "x" + imageShape[1] + "x" + imageShape[2]);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
