package io.anglearn.metrics;

/**
 * The angle statistics of Wu and Wang (arXiv:1912.07819, eq. 12–14), in radians.
 *
 * <p>With μ_i the mean embedded feature of class i and ∠(a, b) = arccos(â·b̂):
 * <ul>
 *   <li>W-Inter = mean over i ≠ j of ∠(w_i, w_j): how far apart the class weight vectors are;
 *   <li>C-Inter = mean over i ≠ j of ∠(μ_i, μ_j): how far apart the class feature centres are;
 *   <li>WC-Intra = mean over i of ∠(w_i, μ_i): how far each class centre is from its weight.
 * </ul>
 *
 * <p>The paper does not say whether features are L2-normalised before the class mean is taken.
 * Raw features after ReLU and pooling all lie in the positive orthant, where their magnitudes
 * dominate the mean, so both are computed: {@code *Raw} from plain means, {@code *Norm} from means
 * of L2-normalised features. Classes with no sample are left out of the means that need μ.
 *
 * <p>W-Inter and WC-Intra need a weight vector for every evaluated class. Without one (a network
 * trained with a pair loss has no class weights; classes not trained on have none)
 * {@link #withoutWeights} gives C-Inter alone, and NaN for the other two: not applicable.
 *
 * @param wInter W-Inter
 * @param cInterRaw C-Inter with raw class means
 * @param wcIntraRaw WC-Intra with raw class means
 * @param cInterNorm C-Inter with means of normalised features
 * @param wcIntraNorm WC-Intra with means of normalised features
 */
public record AngleStatistics(double wInter, double cInterRaw, double wcIntraRaw, double cInterNorm,
        double wcIntraNorm) {

    /**
     * Computes the statistics from class weights and per-class feature sums.
     *
     * @param weights C×d class weights
     * @param rawSums C×d sums of raw features per class
     * @param normSums C×d sums of L2-normalised features per class
     * @param counts samples per class
     * @return the statistics
     */
    public static AngleStatistics compute(double[][] weights, double[][] rawSums, double[][] normSums, long[] counts) {
        return new AngleStatistics(meanPairwiseAngle(weights, null), meanPairwiseAngle(rawSums, counts),
                meanMatchedAngle(weights, rawSums, counts), meanPairwiseAngle(normSums, counts),
                meanMatchedAngle(weights, normSums, counts));
    }

    /**
     * Computes the statistics of any split from its features and labels.
     *
     * @param features n×d features, row-major
     * @param dim d
     * @param labels n labels, each below the number of weight rows
     * @param weights C×d class weights
     * @return the statistics; classes without a sample are left out of the means that need μ
     */
    public static AngleStatistics of(float[] features, int dim, int[] labels, double[][] weights) {
        FeatureRows.rows(features, dim, labels);
        int c = weights.length;
        for (int y : labels) {
            if (y >= c || weights[y].length != dim) {
                throw new IllegalArgumentException("label " + y + " has no class weight of dimension " + dim);
            }
        }
        ClassSums s = ClassSums.of(features, dim, labels, c);
        return compute(weights, s.raw(), s.norm(), s.counts());
    }

    /** Per-class sums of raw and of L2-normalised features, and per-class counts. */
    private record ClassSums(double[][] raw, double[][] norm, long[] counts) {

        static ClassSums of(float[] features, int dim, int[] labels, int c) {
            double[][] raw = new double[c][dim];
            double[][] norm = new double[c][dim];
            long[] counts = new long[c];
            for (int i = 0; i < labels.length; i++) {
                int y = labels[i];
                double len = 0;
                for (int k = 0; k < dim; k++) {
                    len += (double) features[i * dim + k] * features[i * dim + k];
                }
                len = Math.sqrt(len);
                for (int k = 0; k < dim; k++) {
                    double v = features[i * dim + k];
                    raw[y][k] += v;
                    if (len > 0) {
                        norm[y][k] += v / len;
                    }
                }
                counts[y]++;
            }
            return new ClassSums(raw, norm, counts);
        }
    }

    /**
     * Computes C-Inter (raw and normalised class means) of any split from its features and labels,
     * with W-Inter and WC-Intra NaN: for features that have no class weights.
     *
     * @param features n×d features, row-major
     * @param dim d
     * @param labels n labels, non-negative
     * @return the statistics, NaN where they need class weights
     */
    public static AngleStatistics withoutWeights(float[] features, int dim, int[] labels) {
        FeatureRows.rows(features, dim, labels);
        ClassSums s = ClassSums.of(features, dim, labels, FeatureRows.numClasses(labels));
        return new AngleStatistics(Double.NaN, meanPairwiseAngle(s.raw(), s.counts()), Double.NaN,
                meanPairwiseAngle(s.norm(), s.counts()), Double.NaN);
    }

    /**
     * The angle between two vectors, in [0, π]; 0 if either is zero.
     *
     * @param a a vector
     * @param b a vector of the same length
     * @return ∠(a, b)
     */
    public static double angle(double[] a, double[] b) {
        // Rounding can put |cos| a hair above 1, where acos is NaN.
        return Math.acos(Math.max(-1, Math.min(1, cosine(a, b))));
    }

    /**
     * The cosine of the angle between two vectors; 0 if either is zero.
     *
     * @param a a vector
     * @param b a vector of the same length
     * @return cos ∠(a, b), in [−1, 1] up to rounding
     */
    public static double cosine(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** Mean of ∠(v_i, v_j) over ordered pairs i ≠ j of rows with a non-zero count (all rows when counts is null). */
    static double meanPairwiseAngle(double[][] v, long[] counts) {
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < v.length; i++) {
            if (counts != null && counts[i] == 0) {
                continue;
            }
            for (int j = i + 1; j < v.length; j++) {
                if (counts != null && counts[j] == 0) {
                    continue;
                }
                sum += angle(v[i], v[j]);
                pairs++;
            }
        }
        return pairs == 0 ? Double.NaN : sum / pairs;
    }

    /** Mean of ∠(w_i, μ_i) over classes with a non-zero count. */
    static double meanMatchedAngle(double[][] w, double[][] sums, long[] counts) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < w.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            sum += angle(w[i], sums[i]);
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
