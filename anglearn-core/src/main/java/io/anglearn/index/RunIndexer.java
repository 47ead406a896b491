package io.anglearn.index;

import io.anglearn.data.ImageDataset;
import io.anglearn.data.ImageDecoder;
import io.anglearn.run.TrainedRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Embeds images with a trained run and adds them to an {@link EmbeddingIndex}: a split of the run's
 * dataset (labels from the dataset, sources {@code test#i}), or a folder of PNG/JPEG/BMP/GIF files
 * searched recursively in name order (each file's label is the run's class named like its parent
 * folder, or -1 when none is, and its source is its path). Images run through the network in
 * batches; an image that cannot be decoded stops the build with its file named, and nothing is
 * published.
 *
 * <p>Options: images per forward pass (default {@value #DEFAULT_BATCH_SIZE}).
 */
public final class RunIndexer {

    /** Default images per forward pass. */
    public static final int DEFAULT_BATCH_SIZE = 128;

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final TrainedRun run;
    private final int batchSize;

    private RunIndexer(TrainedRun run, int batchSize) {
        this.run = run;
        this.batchSize = batchSize;
    }

    /**
     * Creates an indexer.
     *
     * @param run the trained run whose network embeds the images
     * @param batchSize images per forward pass, at least 1
     * @return the indexer
     */
    public static RunIndexer of(TrainedRun run, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        return new RunIndexer(run, batchSize);
    }

    /**
     * Returns the provenance of embeddings made by a run: its directory, checkpoint and weights digest.
     *
     * @param run the run
     * @return the provenance
     */
    public static IndexProvenance provenance(TrainedRun run) {
        int dim = run.inference().classWeights()[0].length;
        return new IndexProvenance(run.runDir().toAbsolutePath().normalize().toString(), run.checkpointStep(),
                run.checkpointDigest(), dim, run.classNames());
    }

    /**
     * Embeds an image set and adds it to the index (without committing).
     *
     * @param images the images
     * @param index an index open for adding, of this run's provenance
     * @param progress receives the number of images added so far, after each batch
     * @return the number of images added
     * @throws IOException if the dataset or an image cannot be read (the message names it)
     */
    public long addTo(ImageSet images, EmbeddingIndex index, LongConsumer progress) throws IOException {
        if (!index.provenance().sameWeights(provenance(run))) {
            throw new IllegalArgumentException("index " + index.directory() + " holds embeddings of "
                    + index.provenance().describe() + ", not of " + provenance(run).describe());
        }
        index.describeImageSet(images.description());
        return images.isSplit() ? addSplit(images.split(), index, progress) : addFolder(images.folder(), index, progress);
    }

    private long addSplit(String split, EmbeddingIndex index, LongConsumer progress) throws IOException {
        ImageDataset data = run.split(split);
        int[] shape = run.imageShape();
        if (data.channels() != shape[0] || data.height() != shape[1] || data.width() != shape[2]) {
            throw new IllegalArgumentException(data.name() + " has " + data.channels() + "x" + data.height() + "x"
                    + data.width() + " images; the run was trained on " + shape[0] + "x" + shape[1] + "x" + shape[2]);
        }
        int img = data.imageSize();
        long added = 0;
        for (int start = 0; start < data.size(); start += batchSize) {
            int n = Math.min(batchSize, data.size() - start);
            byte[] px = new byte[n * img];
            for (int i = 0; i < n; i++) {
                data.copyImage(start + i, px, i * img);
            }
            float[] features = run.forwardPixels(px, n)[0];
            int d = features.length / n;
            for (int i = 0; i < n; i++) {
                float[] e = new float[d];
                System.arraycopy(features, i * d, e, 0, d);
                index.add(e, data.label(start + i), split + "#" + (start + i));
            }
            added += n;
            progress.accept(added);
        }
        return added;
    }

    private long addFolder(Path folder, EmbeddingIndex index, LongConsumer progress) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("--images " + folder + " is neither test, train nor a folder of images");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(p -> Files.isRegularFile(p) && isImage(p)).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException(folder + " holds no .png, .jpg, .jpeg, .bmp or .gif files");
        }
        int[] shape = run.imageShape();
        if (shape[1] != shape[2]) {
            throw new IllegalArgumentException("the run's images are " + shape[1] + "x" + shape[2]
                    + "; indexing image files needs a run trained on square images");
        }
        ImageDecoder decoder = ImageDecoder.builder().setImageSize(shape[1]).setChannels(shape[0]).build();
        List<String> classes = run.classNames();
        int img = shape[0] * shape[1] * shape[2];
        long added = 0;
        for (int start = 0; start < files.size(); start += batchSize) {
            int n = Math.min(batchSize, files.size() - start);
            byte[] px = new byte[n * img];
            List<Path> batch = new ArrayList<>(files.subList(start, start + n));
            for (int i = 0; i < n; i++) {
                System.arraycopy(decoder.decode(batch.get(i)), 0, px, i * img, img);
            }
            float[] features = run.forwardPixels(px, n)[0];
            int d = features.length / n;
            for (int i = 0; i < n; i++) {
                float[] e = new float[d];
                System.arraycopy(features, i * d, e, 0, d);
                Path parent = batch.get(i).getParent();
                int label = parent == null ? -1 : classes.indexOf(parent.getFileName().toString());
                index.add(e, label, batch.get(i).toAbsolutePath().normalize().toString());
            }
            added += n;
            progress.accept(added);
        }
        return added;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }
}
