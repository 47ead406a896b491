package io.anglearn.index;

import io.anglearn.data.BadImagePolicy;
import io.anglearn.data.ImageDataset;
import io.anglearn.data.ImageDecodeException;
import io.anglearn.data.ImageDecoder;
import io.anglearn.run.TrainedRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Embeds images with a trained run and adds them to an {@link EmbeddingIndex}: a split of the run's
 * dataset (labels from the dataset, sources the image files of a {@code folder:} dataset, else {@code test#i}), or a folder of PNG/JPEG/BMP/GIF files
 * searched recursively in name order (each file's label is the run's class named like its parent
 * folder, or -1 when none is, and its source is its path). Images run through the network in
 * batches; an image that cannot be decoded stops the build with its file named, and nothing is
 * published, unless bad images are skipped.
 *
 * <p>Images whose source the index already holds are left out by default, so building the same
 * index twice does not hold each image twice.
 *
 * <p>Options: images per forward pass (default {@value #DEFAULT_BATCH_SIZE}); what an unreadable
 * image does (default {@link BadImagePolicy#STOP}); whether images already indexed are skipped
 * (default true).
 */
public final class RunIndexer {

    /** Default images per forward pass. */
    public static final int DEFAULT_BATCH_SIZE = 128;

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final TrainedRun run;
    private final int batchSize;
    private BadImagePolicy badImages = BadImagePolicy.STOP;
    private boolean skipIndexed = true;

    /**
     * What one {@link #index} call did.
     *
     * @param added images embedded and added
     * @param alreadyIndexed images left out because the index already held their source
     * @param unreadable the files left out because they could not be decoded, each with its reason
     */
    public record Outcome(long added, long alreadyIndexed, List<String> unreadable) {

        /** Copies the list. */
        public Outcome {
            unreadable = List.copyOf(unreadable);
        }
    }

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
     * Sets what an image file that cannot be decoded does (default {@link BadImagePolicy#STOP}).
     *
     * @param policy stop the build, or skip the file and report it
     * @return this indexer
     */
    public RunIndexer optBadImages(BadImagePolicy policy) {
        this.badImages = java.util.Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Sets whether images whose source the index already holds are left out (default true).
     *
     * @param skip false to add every image again
     * @return this indexer
     */
    public RunIndexer optSkipIndexed(boolean skip) {
        this.skipIndexed = skip;
        return this;
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
        return index(images, index, progress).added();
    }

    /**
     * Embeds an image set and adds it to the index (without committing), leaving out images
     * already indexed (unless {@link #optSkipIndexed} says otherwise) and, when so set, unreadable ones.
     *
     * @param images the images
     * @param index an index open for adding, of this run's provenance
     * @param progress receives the number of images added so far, after each batch
     * @return what was added and what was left out
     * @throws IOException if the dataset or an image cannot be read (the message names it)
     */
    public Outcome index(ImageSet images, EmbeddingIndex index, LongConsumer progress) throws IOException {
        if (!index.provenance().sameWeights(provenance(run))) {
            throw new IllegalArgumentException("index " + index.directory() + " holds embeddings of "
                    + index.provenance().describe() + ", not of " + provenance(run).describe());
        }
        Set<String> indexed = skipIndexed ? index.sources() : Set.of();
        index.describeImageSet(images.description());
        return images.isSplit() ? addSplit(images.split(), index, progress, indexed)
                : addFolder(images.folder(), index, progress, indexed);
    }

    private Outcome addSplit(String split, EmbeddingIndex index, LongConsumer progress, Set<String> indexed)
            throws IOException {
        ImageDataset data = run.split(split);
        int[] shape = run.imageShape();
        if (data.channels() != shape[0] || data.height() != shape[1] || data.width() != shape[2]) {
            throw new IllegalArgumentException(data.name() + " has " + data.channels() + "x" + data.height() + "x"
                    + data.width() + " images; the run was trained on " + shape[0] + "x" + shape[1] + "x" + shape[2]);
        }
        int img = data.imageSize();
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            if (!indexed.contains(source(data, split, i))) {
                todo.add(i);
            }
        }
        long added = 0;
        for (int start = 0; start < todo.size(); start += batchSize) {
            int n = Math.min(batchSize, todo.size() - start);
            byte[] px = new byte[n * img];
            for (int i = 0; i < n; i++) {
                data.copyImage(todo.get(start + i), px, i * img);
            }
            float[] features = run.forwardPixels(px, n)[0];
            int d = features.length / n;
            for (int i = 0; i < n; i++) {
                float[] e = new float[d];
                System.arraycopy(features, i * d, e, 0, d);
                int item = todo.get(start + i);
                index.add(e, data.label(item), source(data, split, item));
            }
            added += n;
            progress.accept(added);
        }
        return new Outcome(added, data.size() - todo.size(), List.of());
    }

    /** An image's source: its file for a folder dataset's split, else the split and its position ({@code test#12}). */
    private static String source(ImageDataset data, String split, int i) {
        return data.hasSources() ? data.source(i) : split + "#" + i;
    }

    private Outcome addFolder(Path folder, EmbeddingIndex index, LongConsumer progress, Set<String> indexed)
            throws IOException {
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
        List<Path> todo = files.stream().filter(f -> !indexed.contains(f.toAbsolutePath().normalize().toString())).toList();
        List<String> unreadable = new ArrayList<>();
        long added = 0;
        for (int start = 0; start < todo.size(); start += batchSize) {
            int end = Math.min(start + batchSize, todo.size());
            byte[] px = new byte[(end - start) * img];
            List<Path> batch = new ArrayList<>();
            for (Path f : todo.subList(start, end)) {
                try {
                    System.arraycopy(decoder.decode(f), 0, px, batch.size() * img, img);
                    batch.add(f);
                } catch (ImageDecodeException e) {
                    if (badImages == BadImagePolicy.STOP) {
                        throw new ImageDecodeException(e.reason(), e.getMessage()
                                + " (--bad-images skip leaves unreadable files out)", e);
                    }
                    unreadable.add(e.getMessage());
                }
            }
            int n = batch.size();
            if (n == 0) {
                continue;
            }
            float[] features = run.forwardPixels(n == end - start ? px : java.util.Arrays.copyOf(px, n * img), n)[0];
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
        return new Outcome(added, files.size() - todo.size(), unreadable);
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }
}
