package io.anglearn.cli;

import io.anglearn.data.BadImagePolicy;
import io.anglearn.index.EmbeddingIndex;
import io.anglearn.index.ImageSet;
import io.anglearn.index.IndexProvenance;
import io.anglearn.index.RunIndexer;
import io.anglearn.index.SearchableIndex;
import io.anglearn.run.TrainedRun;
import io.anglearn.solr.SolrCollection;
import io.anglearn.solr.SolrLocation;
import io.anglearn.rundir.RunFiles;
import io.anglearn.util.Words;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn index}: builds and describes embedding indexes. */
@Command(name = "index",
        header = "Build or describe a vector index of a run's embeddings.",
        mixinStandardHelpOptions = true,
        description = "Build (build) an on-disk Lucene HNSW index of a trained run's L2-normalised embeddings of a"
                + " dataset split or an image folder, push them to a SolrCloud collection (push), describe either"
                + " (info), or check a local one for damage (verify).",
        subcommands = {IndexCommand.Build.class, IndexCommand.Push.class, IndexCommand.Info.class,
            IndexCommand.Verify.class})
final class IndexCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code anglearn index build}. */
    @Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
            header = "Embed images with a trained run and index them.",
            description = "Embed a split of the run's dataset (test, train) or a folder of images (searched"
                    + " recursively; a file's label is the class named like its parent folder) and store the"
                    + " normalised embeddings with labels and sources in a Lucene HNSW index. A new index appears"
                    + " only when complete. Building into an existing index adds only the images it does not hold"
                    + " yet (the same checkpoint's weights are required); --replace rebuilds it.")
    static final class Build implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        TrainedRunOptions.Run run;

        @Option(names = "--images", required = true, paramLabel = "SPEC",
                description = "test, train, or a folder of images (folder:PATH or a path).")
        String images;

        @Option(names = "--out", paramLabel = "INDEX",
                description = "The index folder (default: RUN/index/<split or folder name>).")
        Path out;

        @Option(names = "--replace", description = "Replace an existing index at the destination (it stays"
                + " searchable until the new one is complete), instead of adding the images it does not hold yet.")
        boolean replace;

        @Option(names = "--bad-images", paramLabel = "POLICY", defaultValue = "stop",
                description = "stop (default): an unreadable image file stops the build; skip: leave such files out"
                        + " and list them.")
        String badImages;

        @Mixin
        TrainedRunOptions.Checkpoint checkpoint;

        @Option(names = "--batch-size", defaultValue = "128", paramLabel = "N", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--max-connections", paramLabel = "N", defaultValue = "16",
                description = "HNSW maximum connections per node (default: ${DEFAULT-VALUE}).")
        int maxConnections;

        @Option(names = "--beam-width", paramLabel = "N", defaultValue = "100",
                description = "HNSW beam width while building (default: ${DEFAULT-VALUE}).")
        int beamWidth;

        @Option(names = "--build-threads", defaultValue = "1", paramLabel = "N",
                description = "Threads that build the HNSW graph when the index's segments are merged, 1 to 64"
                        + " (default: ${DEFAULT-VALUE}); the graph is the same search structure with any number.")
        int buildThreads;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            ImageSet set = ImageSet.parse(images);
            BadImagePolicy policy = BadImagePolicy.parse(badImages);
            checkpoint.check();
            if (batchSize < 1) {
                throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
            }
            if (buildThreads < 1 || buildThreads > 64) {
                throw new IllegalArgumentException("--build-threads must be in 1..64, got " + buildThreads);
            }
            Path target = out != null ? out : RunFiles.index(run.dir, set.defaultIndexName());
            PathOptions.writableDirectory("--out", target);
            long replaced = replace ? existingSize(target) : 0;
            try (TrainedRun r = TrainedRun.open(run.dir, checkpoint.which);
                    EmbeddingIndex index = EmbeddingIndex.builder().setDirectory(target)
                            .setProvenance(RunIndexer.provenance(r)).optMaxConnections(maxConnections)
                            .optBeamWidth(beamWidth).optBuildThreads(buildThreads).optReplace(replace).build()) {
                long before = replace ? replaced : index.size();
                long start = System.nanoTime();
                RunIndexer.Outcome o = RunIndexer.of(r, batchSize).optBadImages(policy).index(set, index, n -> { });
                if (o.added() > 0 || replace || index.hasUncommittedChanges()) {
                    index.commit(true);
                }
                w.printf(Locale.ROOT, "indexed %s (%s) with run %s, checkpoint at step %d, in %.1f s%n",
                        Words.count(o.added(), "image"), set.description(), run.dir, r.checkpointStep(),
                        (System.nanoTime() - start) / 1e9);
                if (o.alreadyIndexed() > 0) {
                    w.printf(Locale.ROOT, "skipped %s already in the index (--replace rebuilds it)%n",
                            Words.count(o.alreadyIndexed(), "image"));
                }
                if (!o.unreadable().isEmpty()) {
                    w.printf(Locale.ROOT, "skipped %s that cannot be read:%n",
                            Words.count(o.unreadable().size(), "image file"));
                    o.unreadable().forEach(u -> w.println("  " + u));
                }
                w.printf(Locale.ROOT, "index %s: %d items (%d before%s), dimension %d%n", target, index.size(), before,
                        replace && replaced > 0 ? ", replaced" : "", index.dimension());
            }
            w.flush();
            return 0;
        }
    }

    /** {@code anglearn index push}. */
    @Command(name = "push", mixinStandardHelpOptions = true, sortOptions = false,
            header = "Embed images with a trained run and push them to a SolrCloud collection.",
            description = "Embed a split of the run's dataset (test, train) or a folder of images, as index build does,"
                    + " and send the normalised embeddings with labels and sources to a SolrCloud collection in"
                    + " batches. An absent collection is created with anglearn's schema (a dense vector field of the"
                    + " run's dimension, cosine similarity, the HNSW parameters given); an existing one must hold the"
                    + " same checkpoint's embeddings. Each image's document id comes from its source and the"
                    + " checkpoint's SHA-256, so a push that was stopped can be run again: the images already there"
                    + " are skipped and none is held twice.")
    static final class Push implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        TrainedRunOptions.Run run;

        @Option(names = "--images", required = true, paramLabel = "SPEC",
                description = "test, train, or a folder of images (folder:PATH or a path).")
        String images;

        @Option(names = "--to", required = true, paramLabel = "URL",
                description = "The collection: http://HOST:PORT/solr/COLLECTION (user:password@ in the URL for basic"
                        + " authentication).")
        String to;

        @Option(names = "--shards", paramLabel = "N", defaultValue = "1",
                description = "Shards of a new collection (default: ${DEFAULT-VALUE}).")
        int shards;

        @Option(names = "--replicas", paramLabel = "N", defaultValue = "1",
                description = "Replicas of each shard of a new collection (default: ${DEFAULT-VALUE}).")
        int replicas;

        @Option(names = "--bad-images", paramLabel = "POLICY", defaultValue = "stop",
                description = "stop (default): an unreadable image file stops the push; skip: leave such files out"
                        + " and list them.")
        String badImages;

        @Mixin
        TrainedRunOptions.Checkpoint checkpoint;

        @Option(names = "--batch-size", defaultValue = "128", paramLabel = "N", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--push-batch", defaultValue = "" + SolrCollection.DEFAULT_BATCH_SIZE, paramLabel = "N",
                description = "Documents per update request; the embedding waits while one is sent"
                        + " (default: ${DEFAULT-VALUE}).")
        int pushBatch;

        @Option(names = "--max-connections", paramLabel = "N", defaultValue = "16",
                description = "HNSW maximum connections per node of a new collection (default: ${DEFAULT-VALUE}).")
        int maxConnections;

        @Option(names = "--beam-width", paramLabel = "N", defaultValue = "100",
                description = "HNSW beam width of a new collection (default: ${DEFAULT-VALUE}).")
        int beamWidth;

        @Option(names = "--retry-seconds", paramLabel = "S", defaultValue = "" + SolrCollection.DEFAULT_RETRY_SECONDS,
                description = "How long a request the cluster cannot take now (a node down, a shard electing its"
                        + " leader) is retried on the live nodes before the push stops (default: ${DEFAULT-VALUE}).")
        int retrySeconds;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            ImageSet set = ImageSet.parse(images);
            BadImagePolicy policy = BadImagePolicy.parse(badImages);
            checkpoint.check();
            if (batchSize < 1) {
                throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
            }
            try {
                SolrLocation.parse(to);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--to " + e.getMessage(), e);
            }
            // Before the cluster is touched: a collection is created only for images that exist.
            if (!set.isSplit() && !Files.isDirectory(set.folder())) {
                throw new IllegalArgumentException("--images " + set.folder() + " is neither test, train nor a folder"
                        + " of images");
            }
            try (TrainedRun r = TrainedRun.open(run.dir, checkpoint.which);
                    SolrCollection c = SolrCollection.builder().setUrl(to).setProvenance(RunIndexer.provenance(r))
                            .optShards(shards).optReplicas(replicas).optMaxConnections(maxConnections)
                            .optBeamWidth(beamWidth).optBatchSize(pushBatch).optRetrySeconds(retrySeconds).build()) {
                long before = c.size();
                long start = System.nanoTime();
                RunIndexer.Outcome o = RunIndexer.of(r, batchSize).optBadImages(policy).index(set, c, n -> { });
                c.commit();
                double seconds = (System.nanoTime() - start) / 1e9;
                w.printf(Locale.ROOT, "pushed %s (%s) with run %s, checkpoint at step %d, in %.1f s (%.0f images/s)%n",
                        Words.count(o.added(), "image"), set.description(), run.dir, r.checkpointStep(), seconds,
                        o.added() / Math.max(seconds, 1e-9));
                if (o.alreadyIndexed() > 0) {
                    w.printf(Locale.ROOT, "skipped %s already in the collection%n", Words.count(o.alreadyIndexed(), "image"));
                }
                if (!o.unreadable().isEmpty()) {
                    w.printf(Locale.ROOT, "skipped %s that cannot be read:%n",
                            Words.count(o.unreadable().size(), "image file"));
                    o.unreadable().forEach(u -> w.println("  " + u));
                }
                w.printf(Locale.ROOT, "collection %s: %d items (%d before%s), dimension %d%n", c.location(), c.size(),
                        before, c.created() ? "; created with " + Words.count(shards, "shard") + " x "
                                + Words.count(replicas, "replica") : "", c.dimension());
            }
            w.flush();
            return 0;
        }
    }

    /** The number of items of the index at a folder, or 0 when there is none yet. */
    private static long existingSize(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isEmpty()) {
                return 0;
            }
        }
        try (EmbeddingIndex i = EmbeddingIndex.open(dir)) {
            return i.size();
        }
    }

    /**
     * The indexes an {@code index info} or {@code index verify} names: an index folder (INDEX), a
     * run's index by name (--run DIR and INDEX), or every index of a run (--run DIR alone), as
     * {@code index build --run DIR} made them under RUN/index.
     */
    static final class Which {

        @Parameters(index = "0", arity = "0..1", paramLabel = "INDEX", description = "The index folder (for info, also a"
                + " SolrCloud collection's URL, http://HOST:PORT/solr/COLLECTION); with --run, the name of one of the"
                + " run's indexes (e.g. test).")
        String index;

        /** Returns the collection URL given as INDEX without --run, or null. */
        String url() {
            return run == null && index != null && SolrLocation.isUrl(index) ? index : null;
        }

        @Option(names = "--run", paramLabel = "DIR", description = "A run directory: its indexes, those index build"
                + " --run DIR made (default: every one; INDEX names one).")
        Path run;

        /** Returns the index folders, in name order for a run's. */
        List<Path> folders() throws IOException {
            if (run == null) {
                if (index == null) {
                    throw new IllegalArgumentException("give an index folder (INDEX) or a run directory (--run DIR)");
                }
                if (SolrLocation.isUrl(index)) {
                    throw new IllegalArgumentException(index + " is a collection's URL; index verify checks a local"
                            + " index folder (Solr checks its own collections' files)");
                }
                return List.of(Path.of(index));
            }
            if (!Files.isRegularFile(RunFiles.config(run))) {
                throw new IllegalArgumentException("--run " + run + " is not a run directory (it has no "
                        + RunFiles.CONFIG + ")");
            }
            Path all = run.resolve(RunFiles.INDEXES);
            List<Path> found = new java.util.ArrayList<>();
            if (Files.isDirectory(all)) {
                try (Stream<Path> s = Files.list(all)) {
                    s.filter(Files::isDirectory).sorted().forEach(found::add);
                }
            }
            if (found.isEmpty()) {
                throw new IllegalArgumentException("run " + run + " has no index yet; build one with 'anglearn index"
                        + " build --run " + run + " --images test'");
            }
            if (index == null) {
                return found;
            }
            Path named = RunFiles.index(run, index);
            if (!found.contains(named)) {
                throw new IllegalArgumentException("run " + run + " has no index '" + index + "'; its indexes: "
                        + String.join(", ", found.stream().map(f -> f.getFileName().toString()).toList()));
            }
            return List.of(named);
        }
    }

    /** {@code anglearn index info}. */
    @Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
            header = "Describe an index: size, dimension, counts per class, the run.",
            description = "Describe an index: size, dimension, counts per class, and the run and checkpoint that made"
                    + " it. Give its folder, or a run (--run DIR) to describe the run's indexes.")
    static final class Info implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Which which;

        @Override
        public Integer call() throws Exception {
            PrintWriter w = spec.commandLine().getOut();
            if (which.url() != null) {
                try (SolrCollection c = SolrCollection.open(which.url(), EmbeddingIndex.DEFAULT_NUM_CANDIDATES)) {
                    describe(w, c, c.location(), null);
                }
                w.flush();
                return 0;
            }
            List<Path> folders = which.folders();
            for (int f = 0; f < folders.size(); f++) {
                if (f > 0) {
                    w.println();
                }
                describe(w, folders.get(f));
            }
            w.flush();
            return 0;
        }

        private static void describe(PrintWriter w, Path index) throws IOException {
            try (EmbeddingIndex i = EmbeddingIndex.open(index)) {
                describe(w, i, index.toString(), index);
            }
        }

        /** Describes a local index (its folder given) or a collection (folder null). */
        private static void describe(PrintWriter w, SearchableIndex i, String shown, Path index) throws IOException {
            IndexProvenance p = i.provenance();
            w.printf(Locale.ROOT, "index       %s%n", shown);
            w.printf(Locale.ROOT, "items       %d%n", i.size());
            w.printf(Locale.ROOT, "dimension   %d (L2-normalised, cosine similarity)%n", p.dimension());
            if (i instanceof SolrCollection c) {
                SolrCollection.Layout l = c.layout();
                w.printf(Locale.ROOT, "cluster     SolrCloud, %s, %d of %d replicas active, %s live%n",
                        Words.count(l.shards(), "shard"), l.activeReplicas(), l.replicas(),
                        Words.count(l.liveNodes().size(), "node"));
            } else {
                w.printf(Locale.ROOT, "on disk     %.1f MiB%n", bytes(index) / (1024.0 * 1024.0));
            }
            w.printf(Locale.ROOT, "run         %s%n", p.runDir());
            w.printf(Locale.ROOT, "checkpoint  step %d, model SHA-256 %s%n", p.checkpointStep(), p.checkpointDigest());
            w.printf(Locale.ROOT, "images      %s%n", String.join("; ", i.imageSets()));
            w.println("items per class:");
            int[] counts = i.countsPerClass();
            List<String> names = p.classNames();
            for (int c = 0; c < counts.length; c++) {
                w.printf(Locale.ROOT, "  %3d %-20s %d%n", c, names.get(c), counts[c]);
            }
            int unlabelled = i.unlabelledCount();
            if (unlabelled > 0) {
                w.printf(Locale.ROOT, "  %3s %-20s %d%n", "-", "(no class)", unlabelled);
            }
        }

        private static long bytes(Path dir) throws IOException {
            try (Stream<Path> s = Files.walk(dir)) {
                return s.filter(Files::isRegularFile).mapToLong(p -> {
                    try {
                        return Files.size(p);
                    } catch (IOException e) {
                        return 0;
                    }
                }).sum();
            }
        }
    }

    /** {@code anglearn index verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            header = "Check an index for damage: file digests, Lucene's consistency checks, unit vectors.",
            sortOptions = false,
            description = "Check every file against the size and SHA-256 recorded when the index was written, run"
                + " Lucene's consistency checks on every segment, and check that every stored vector is finite and of"
                + " unit length. Give its folder, or a run (--run DIR) to check the run's indexes. Exit status 0 when"
                + " intact, 1 when damaged.")
    static final class Verify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Which which;

        @Override
        public Integer call() throws Exception {
            int status = 0;
            for (Path index : which.folders()) {
                status = Math.max(status, verify(index));
            }
            return status;
        }

        private int verify(Path index) throws IOException {
            long t0 = System.nanoTime();
            List<String> problems = EmbeddingIndex.verify(index);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (problems.isEmpty()) {
                PrintWriter w = spec.commandLine().getOut();
                w.printf(Locale.ROOT, "index %s is intact (checked in %.1f s)%n", index, seconds);
                w.flush();
                return 0;
            }
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "anglearn index verify: index %s is damaged; rebuild it with 'anglearn index build':%n", index);
            for (String p : problems) {
                err.println("  " + p);
            }
            err.flush();
            return 1;
        }
    }
}
