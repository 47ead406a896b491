package io.anglearn.cli;

import io.anglearn.data.BadImagePolicy;
import io.anglearn.data.ImageDataset;
import io.anglearn.index.SearchHit;
import io.anglearn.index.SearchableIndex;
import io.anglearn.run.TrainedRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anglearn search}: finds the indexed images nearest to query images. */
@Command(name = "search",
        header = "Find the indexed images most similar to query images.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Embed each query image (files, or every image under given folders) with the run and checkpoint"
                + " that built the index, and print the k nearest indexed items with their cosine similarity, angle"
                + " and label (HNSW search, or --exact).")
final class SearchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--index", required = true, paramLabel = "INDEX",
            description = "The index folder, or a SolrCloud collection's URL (http://HOST:PORT/solr/COLLECTION).")
    String index;

    @Parameters(arity = "0..*", paramLabel = "IMAGE", description = "Query image files, or folders of them (searched"
            + " recursively, in name order).")
    List<Path> images = new ArrayList<>();

    @Option(names = "--query", arity = "1..*", paramLabel = "IMAGE", description = "Query images, as IMAGE (the"
            + " spelling of earlier versions).")
    List<Path> queries = new ArrayList<>();

    @Mixin
    BadImagesOption badImages;

    @Option(names = "-k", paramLabel = "K", defaultValue = "10", description = "How many nearest items (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--exact", description = "Scan every vector instead of searching the HNSW graph.")
    boolean exact;

    @Option(names = "--candidates", paramLabel = "N", defaultValue = "100",
            description = "Candidates the HNSW search explores (on each shard of a collection), at least k"
                    + " (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--run", paramLabel = "DIR", description = "The run directory, if it moved since the index was built.")
    Path run;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (k < 1 || k > 10_000) {
            throw new IllegalArgumentException("-k must be in 1..10000, got " + k);
        }
        List<Path> all = new ArrayList<>(queries);
        all.addAll(images);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("give query images: image files or folders of them (IMAGE...)");
        }
        BadImagePolicy policy = badImages.policy();
        for (Path q : all) {
            if (!Files.exists(q)) {
                throw new IllegalArgumentException(q + " does not exist; expected an image file or a folder of them");
            }
        }
        try (SearchableIndex idx = Indexes.open(index, candidates);
                TrainedRun r = RunForIndex.open(idx.provenance(), run)) {
            TrainedRun.ReadImages read = r.readImages(all, policy);
            BadImagesOption.report(spec.commandLine().getErr(), read.unreadable());
            ImageDataset data = read.images();
            byte[] px = new byte[data.imageSize()];
            List<String> names = r.classNames();
            for (int q = 0; q < data.size(); q++) {
                data.copyImage(q, px, 0);
                float[][] res = r.forwardPixels(px, 1);
                long start = System.nanoTime();
                List<SearchHit> hits = exact ? idx.searchExact(res[0], k) : idx.search(res[0], k);
                double ms = (System.nanoTime() - start) / 1e6;
                int best = 0;
                for (int j = 1; j < res[1].length; j++) {
                    if (res[1][j] > res[1][best]) {
                        best = j;
                    }
                }
                out.printf(Locale.ROOT, "%s (predicted %s): %d nearest of %d, %s search, %.2f ms%n", data.source(q),
                        names.get(best),
                        hits.size(), idx.size(), exact ? "exact" : "HNSW", ms);
                out.printf(Locale.ROOT, "  %4s  %8s  %7s  %-16s %s%n", "rank", "cosine", "angle", "label", "source");
                for (int i = 0; i < hits.size(); i++) {
                    SearchHit h = hits.get(i);
                    String label = h.label() < 0 ? "-" : h.label() + " " + names.get(h.label());
                    out.printf(Locale.ROOT, "  %4d  %8.4f  %6.2f°  %-16s %s%n", i + 1, h.cosine(), h.angleDegrees(),
                            label, h.source());
                }
            }
        }
        out.flush();
        return 0;
    }
}
