package io.anglearn.loss.miners;

/**
 * Batch-hard triplet mining ({@code batch-hard}) of A. Hermans, L. Beyer and B. Leibe, "In Defense
 * of the Triplet Loss for Person Re-Identification" (arXiv:1703.07737, 2017): one triplet per
 * anchor, with its farthest positive and its nearest negative in the batch.
 *
 * <p>Anchors without another sample of their class, or without a sample of another class, give no
 * triplet. Ties go to the lowest index. No parameters.
 */
public final class BatchHardMiner implements Miner {

    /** Creates the miner. */
    public BatchHardMiner() {}

    @Override
    public String name() {
        return "batch-hard";
    }

    @Override
    public MinedTriplets mine(double[] distances, int[] labels) {
        int n = Miner.checkSquare(name(), distances, labels);
        int[] a = new int[n];
        int[] p = new int[n];
        int[] q = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            int hardestPositive = -1;
            int hardestNegative = -1;
            for (int j = 0; j < n; j++) {
                double d = distances[i * n + j];
                if (j != i && labels[j] == labels[i]) {
                    if (hardestPositive < 0 || d > distances[i * n + hardestPositive]) {
                        hardestPositive = j;
                    }
                } else if (labels[j] != labels[i]) {
                    if (hardestNegative < 0 || d < distances[i * n + hardestNegative]) {
                        hardestNegative = j;
                    }
                }
            }
            if (hardestPositive >= 0 && hardestNegative >= 0) {
                a[k] = i;
                p[k] = hardestPositive;
                q[k++] = hardestNegative;
            }
        }
        return new MinedTriplets(java.util.Arrays.copyOf(a, k), java.util.Arrays.copyOf(p, k),
                java.util.Arrays.copyOf(q, k));
    }
}
