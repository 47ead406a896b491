package io.anglearn.index;

/**
 * The one check and normalisation of an embedding before it is indexed or searched, shared by the
 * local index and the indexes of search engines: the cosine they rank by is the dot product of
 * unit vectors.
 */
public final class UnitVectors {

    private UnitVectors() {}

    /**
     * Returns {@code v} scaled to length 1.
     *
     * @param v an embedding
     * @param dimension the index's dimension
     * @param holder what holds the vectors, for the message: "an index", "a collection"
     * @return a new unit vector
     * @throws IllegalArgumentException for another dimension, a non-finite value or the zero vector
     */
    public static float[] of(float[] v, int dimension, String holder) {
        if (v.length != dimension) {
            throw new IllegalArgumentException("an embedding of dimension " + v.length + " for " + holder
                    + " of dimension " + dimension);
        }
        double n = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException("an embedding holds " + x + "; expected finite values");
            }
            n += (double) x * x;
        }
        if (n == 0) {
            throw new IllegalArgumentException("an all-zero embedding has no direction and cannot be indexed or searched");
        }
        double inv = 1.0 / Math.sqrt(n);
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (v[i] * inv);
        }
        return u;
    }
}
