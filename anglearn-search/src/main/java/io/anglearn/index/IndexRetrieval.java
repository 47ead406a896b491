package io.anglearn.index;

import io.anglearn.metrics.RetrievalMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The retrieval metrics of Musgrave, Belongie and Lim, "A Metric Learning Reality Check" (ECCV
 * 2020) — precision@1, R-precision and MAP@R, as {@link RetrievalMetrics} defines them — measured
 * through an {@link EmbeddingIndex}'s own search: every labelled item is used once as the query,
 * with its stored embedding, and the index's ranking of the other items is scored. With
 * {@code exact} the ranking is the exhaustive scan and the values equal
 * {@link RetrievalMetrics#compute} on the same embeddings (up to ties); otherwise it is the HNSW
 * search, and the difference shows what the approximate search costs in retrieval quality.
 *
 * <p>For a query of class y with R other items of class y, the index is asked for its R + 1
 * nearest items; the query itself is removed from them (or, if the approximate search missed it,
 * the last item is dropped), leaving R. Items without a label are neither queries nor relevant.
 */
public final class IndexRetrieval {

    private IndexRetrieval() {}

    /**
     * Measures the index.
     *
     * @param index a published index
     * @param exact whether to rank by the exhaustive scan instead of the HNSW graph
     * @return the metrics (NaN with zero queries when no class has two items)
     * @throws IOException if the index cannot be read
     */
    public static RetrievalMetrics measure(EmbeddingIndex index, boolean exact) throws IOException {
        int[] counts = index.countsPerClass();
        List<float[]> queries = new ArrayList<>();
        List<long[]> keys = new ArrayList<>(); // {ordinal, label}
        index.forEachVector((ordinal, label, v) -> {
            if (label >= 0 && counts[label] > 1) {
                queries.add(v.clone());
                keys.add(new long[] {ordinal, label});
            }
        });
        double sumP1 = 0;
        double sumRp = 0;
        double sumMap = 0;
        for (int q = 0; q < queries.size(); q++) {
            long self = keys.get(q)[0];
            int y = (int) keys.get(q)[1];
            int r = counts[y] - 1;
            List<SearchHit> hits = exact ? index.searchExact(queries.get(q), r + 1) : index.search(queries.get(q), r + 1);
            List<SearchHit> others = new ArrayList<>(r);
            for (SearchHit h : hits) {
                if (h.ordinal() != self && others.size() < r) {
                    others.add(h);
                }
            }
            int hitsOfClass = 0;
            double ap = 0;
            for (int i = 0; i < others.size(); i++) {
                if (others.get(i).label() == y) {
                    hitsOfClass++;
                    ap += (double) hitsOfClass / (i + 1);
                }
            }
            sumP1 += !others.isEmpty() && others.get(0).label() == y ? 1 : 0;
            sumRp += (double) hitsOfClass / r;
            sumMap += ap / r;
        }
        int n = queries.size();
        if (n == 0) {
            return new RetrievalMetrics(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        return new RetrievalMetrics(sumP1 / n, sumRp / n, sumMap / n, n);
    }
}
