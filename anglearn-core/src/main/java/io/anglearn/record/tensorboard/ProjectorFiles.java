package io.anglearn.record.tensorboard;

import io.anglearn.rundir.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes an embedding for TensorBoard's projector into a log directory: the vectors as a
 * tab-separated tensor file (one row per sample), the per-sample metadata as a tab-separated file
 * with a header row, and {@code projector_config.pbtxt} (protobuf text format) naming both. Each
 * file is written atomically.
 */
public final class ProjectorFiles {

    private ProjectorFiles() {}

    /**
     * Writes one embedding.
     *
     * @param logDir the TensorBoard log directory
     * @param name the tensor's name, also the file-name stem ({@code NAME.tsv}, {@code NAME_metadata.tsv})
     * @param vectors n×d values, row-major
     * @param dim d
     * @param metadataHeader the metadata columns
     * @param metadata n rows, each with one entry per column (tabs and newlines are replaced by spaces)
     * @throws IOException if writing fails
     */
    public static void write(Path logDir, String name, float[] vectors, int dim, List<String> metadataHeader,
            List<List<String>> metadata) throws IOException {
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("projector tensor name '" + name + "' must be letters, digits, _ . -");
        }
        int n = metadata.size();
        if (vectors.length != (long) n * dim) {
            throw new IllegalArgumentException(vectors.length + " values do not make " + n + " rows of " + dim);
        }
        StringBuilder t = new StringBuilder(vectors.length * 10);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < dim; k++) {
                if (k > 0) {
                    t.append('\t');
                }
                t.append(Float.toString(vectors[i * dim + k])); // shortest text that reads back exactly
            }
            t.append('\n');
        }
        StringBuilder m = new StringBuilder();
        m.append(String.join("\t", clean(metadataHeader))).append('\n');
        for (List<String> row : metadata) {
            if (row.size() != metadataHeader.size()) {
                throw new IllegalArgumentException("metadata row " + row + " has " + row.size() + " entries, expected "
                        + metadataHeader.size());
            }
            m.append(String.join("\t", clean(row))).append('\n');
        }
        AtomicFiles.writeString(logDir.resolve(tensorFile(name)), t.toString());
        AtomicFiles.writeString(logDir.resolve(metadataFile(name)), m.toString());
        String config = "embeddings {\n  tensor_name: \"" + name + "\"\n  tensor_path: \"" + tensorFile(name)
                + "\"\n  metadata_path: \"" + metadataFile(name) + "\"\n}\n";
        AtomicFiles.writeString(logDir.resolve("projector_config.pbtxt"), config);
    }

    /**
     * Returns the name of a projector tensor's vectors file.
     *
     * @param name the tensor's name
     * @return {@code NAME.tsv}
     */
    public static String tensorFile(String name) {
        return name + ".tsv";
    }

    /**
     * Returns the name of a projector tensor's metadata file.
     *
     * @param name the tensor's name
     * @return {@code NAME_metadata.tsv}
     */
    public static String metadataFile(String name) {
        return name + "_metadata.tsv";
    }

    private static List<String> clean(List<String> row) {
        return row.stream().map(s -> s.replaceAll("[\t\r\n]", " ")).toList();
    }
}
