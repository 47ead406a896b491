package io.anglearn.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The cosine-similarity matrix of L2-normalised features of a few samples per class, ordered by
 * class, as in Wu and Wang (arXiv:1912.07819, Figure 8): 10 samples per class when there are at
 * most 10 classes, 1 per class otherwise (CIFAR-100). A discriminative embedding shows bright
 * diagonal blocks and a dark background.
 *
 * @param indices the chosen samples, grouped by class in class order
 * @param labels their labels
 * @param cosine the m×m cosine similarities, in [−1, 1]
 */
public record SimilarityMatrix(int[] indices, int[] labels, double[][] cosine) {

    /**
     * The paper's samples per class for C classes: 10 when C ≤ 10, otherwise 1.
     *
     * @param numClasses C
     * @return samples per class
     */
    public static int defaultPerClass(int numClasses) {
        return numClasses <= 10 ? 10 : 1;
    }

    /**
     * Picks the first {@code perClass} samples of each class (in data order, so the choice is
     * reproducible) and computes their cosine similarities.
     *
     * @param features n×d features, row-major
     * @param dim d
     * @param labels n labels
     * @param perClass samples per class (classes with fewer contribute what they have)
     * @return the matrix
     */
    public static SimilarityMatrix of(float[] features, int dim, int[] labels, int perClass) {
        int n = FeatureRows.rows(features, dim, labels);
        if (perClass < 1) {
            throw new IllegalArgumentException("samples per class must be ≥ 1, got " + perClass);
        }
        int c = FeatureRows.numClasses(labels);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int j = 0; j < c; j++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            List<Integer> l = byClass.get(labels[i]);
            if (l.size() < perClass) {
                l.add(i);
            }
        }
        int m = byClass.stream().mapToInt(List::size).sum();
        int[] idx = new int[m];
        int[] lab = new int[m];
        int p = 0;
        for (int j = 0; j < c; j++) {
            for (int i : byClass.get(j)) {
                idx[p] = i;
                lab[p++] = j;
            }
        }
        float[] unit = FeatureRows.normalizeRows(features, dim);
        double[][] cos = new double[m][m];
        for (int a = 0; a < m; a++) {
            for (int b = a; b < m; b++) {
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    s += unit[idx[a] * dim + k] * unit[idx[b] * dim + k];
                }
                s = Math.max(-1, Math.min(1, s));
                cos[a][b] = s;
                cos[b][a] = s;
            }
        }
        return new SimilarityMatrix(idx, lab, cos);
    }
}
