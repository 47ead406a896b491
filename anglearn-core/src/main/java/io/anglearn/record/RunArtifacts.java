package io.anglearn.record;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anglearn.record.tensorboard.ProjectorFiles;
import io.anglearn.rundir.RunFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Everything a run directory holds, read back for figures and reports: the configuration and
 * per-epoch metrics (always present) and, when the run was recorded by a {@link RunRecorder},
 * the angle statistics by iteration, per-epoch target-angle samples, the test embedding with
 * predictions, the class weights and the embedding's retrieval metrics. Missing optional parts
 * are empty; malformed files are reported with their path.
 *
 * @param dir the run directory
 * @param name the run's name (the directory's name)
 * @param config the configuration, flattened to dotted keys ({@code config.loss}, {@code config.lossParams.k}, …)
 * @param metrics the metrics table, column → values by epoch row
 * @param anglesByIteration the angle statistics table, column → values (empty when not recorded)
 * @param targetAngles epoch → (labels, angles in radians) (empty when not recorded)
 * @param embedding the test embedding, or null
 * @param classWeights C×d class weights, or null
 * @param quality the embedding-quality values (precision_at_1, …), empty when absent
 */
public record RunArtifacts(Path dir, String name, Map<String, String> config, Map<String, double[]> metrics,
        Map<String, double[]> anglesByIteration, Map<Integer, AngleSample> targetAngles, TestEmbedding embedding,
        double[][] classWeights, Map<String, String> quality) {

    /**
     * One epoch's target-angle sample.
     *
     * @param labels the class of each sampled angle
     * @param angles θ_y in radians
     */
    public record AngleSample(int[] labels, double[] angles) {
        /**
         * The angles of one class.
         *
         * @param label the class
         * @return its sampled angles
         */
        public double[] ofClass(int label) {
            return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == label)
                    .mapToDouble(i -> angles[i]).toArray();
        }
    }

    /**
     * The test embedding as the projector files hold it.
     *
     * @param features n×d, row-major
     * @param dim d
     * @param labels n true classes
     * @param predictions n predicted classes, or null when the run does not classify its test
     *     classes (a pair loss, or classes not trained on)
     * @param classNames class names by label (from the metadata)
     */
    public record TestEmbedding(float[] features, int dim, int[] labels, int[] predictions, List<String> classNames) {}

    /**
     * Reads a run directory.
     *
     * @param dir the directory
     * @return its contents
     * @throws IOException if a file cannot be read or is malformed (the message names it)
     */
    public static RunArtifacts load(Path dir) throws IOException {
        return load(dir, null);
    }

    /**
     * Reads a run directory whose {@code config.json} may be absent, as in a study cell committed
     * with its small result files only ({@code config.json} names local paths, so it is not
     * committed): the given configuration stands in for it.
     *
     * @param dir the directory
     * @param configWhenAbsent the run's configuration as JSON (the object {@code config.json} holds
     *     under {@code config}), used only when {@code config.json} is missing; null to require it
     * @return its contents
     * @throws IOException if a file cannot be read or is malformed (the message names it)
     */
    public static RunArtifacts load(Path dir, String configWhenAbsent) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("run directory " + dir + " does not exist");
        }
        Path config = dir.resolve(RunFiles.CONFIG);
        Path metrics = dir.resolve(RunFiles.METRICS);
        boolean standIn = configWhenAbsent != null && !Files.exists(config);
        for (Path p : standIn ? List.of(metrics) : List.of(config, metrics)) {
            if (!Files.isRegularFile(p)) {
                throw new IOException(dir + " is not a run directory: " + p.getFileName() + " is missing");
            }
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (standIn) {
            JsonObject wrapped = new JsonObject();
            try {
                wrapped.add("config", JsonParser.parseString(configWhenAbsent));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("the configuration given for " + dir + " is not valid JSON", e);
            }
            flatten("", wrapped, flat);
        } else {
            try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
                flatten("", JsonParser.parseReader(r), flat);
            } catch (RuntimeException e) {
                throw new IOException(config + " is not valid JSON: " + e.getMessage(), e);
            }
        }
        Path angles = dir.resolve(RunFiles.ANGLES_BY_ITERATION);
        Path quality = dir.resolve(RunFiles.EMBEDDING_QUALITY);
        Map<String, String> q = new LinkedHashMap<>();
        if (Files.isRegularFile(quality)) {
            try (Reader r = Files.newBufferedReader(quality, StandardCharsets.UTF_8)) {
                flatten("", JsonParser.parseReader(r), q);
            } catch (RuntimeException e) {
                throw new IOException(quality + " is not valid JSON: " + e.getMessage(), e);
            }
        }
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return new RunArtifacts(dir, name == null ? dir.toString() : name.toString(), flat, readColumns(metrics),
                Files.isRegularFile(angles) ? readColumns(angles) : Map.of(), readTargetAngles(dir),
                readEmbedding(dir), readWeights(dir.resolve(RunFiles.CLASS_WEIGHTS)), q);
    }

    /** Returns the last value of a metrics column, or NaN. */
    public double lastMetric(String column) {
        double[] v = metrics.get(column);
        return v == null || v.length == 0 ? Double.NaN : v[v.length - 1];
    }

    private static void flatten(String prefix, JsonElement e, Map<String, String> out) {
        if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            for (Map.Entry<String, JsonElement> m : o.entrySet()) {
                flatten(prefix.isEmpty() ? m.getKey() : prefix + "." + m.getKey(), m.getValue(), out);
            }
        } else if (e.isJsonNull()) {
            out.put(prefix, "");
        } else if (e.isJsonPrimitive()) {
            out.put(prefix, e.getAsString());
        } else {
            out.put(prefix, e.toString());
        }
    }

    private static Map<String, double[]> readColumns(Path csv) throws IOException {
        Map<String, List<Double>> cols = new LinkedHashMap<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVParser p = CSVParser.parse(r, format)) {
            for (String h : p.getHeaderNames()) {
                cols.put(h, new ArrayList<>());
            }
            for (CSVRecord rec : p) {
                for (String h : p.getHeaderNames()) {
                    cols.get(h).add(number(rec.get(h), csv, rec.getRecordNumber(), h));
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException(csv + " is not a valid CSV table: " + e.getMessage(), e);
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        cols.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }

    private static double number(String s, Path file, long row, String column) throws IOException {
        try {
            return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IOException(file + ", row " + row + ", column " + column + ": '" + s + "' is not a number");
        }
    }

    private static Map<Integer, AngleSample> readTargetAngles(Path dir) throws IOException {
        Path folder = dir.resolve(RunFiles.TARGET_ANGLES);
        Map<Integer, AngleSample> out = new TreeMap<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().matches("epoch_\\d+\\.csv")).sorted().toList();
        }
        for (Path f : files) {
            int epoch = Integer.parseInt(f.getFileName().toString().replaceAll("\\D", ""));
            Map<String, double[]> cols = readColumns(f);
            double[] labels = cols.get("label");
            double[] angles = cols.get("angle_rad");
            if (labels == null || angles == null) {
                throw new IOException(f + " needs the columns label and angle_rad");
            }
            out.put(epoch, new AngleSample(Arrays.stream(labels).mapToInt(v -> (int) v).toArray(), angles));
        }
        return out;
    }

    private static TestEmbedding readEmbedding(Path dir) throws IOException {
        Path tb = dir.resolve(RunFiles.TENSORBOARD);
        Path tensor = tb.resolve(ProjectorFiles.tensorFile(RunFiles.TEST_FEATURES));
        Path meta = tb.resolve(ProjectorFiles.metadataFile(RunFiles.TEST_FEATURES));
        if (!Files.isRegularFile(tensor) || !Files.isRegularFile(meta)) {
            return null;
        }
        List<String> rows = Files.readAllLines(tensor, StandardCharsets.UTF_8);
        List<String> metaRows = Files.readAllLines(meta, StandardCharsets.UTF_8);
        if (metaRows.size() != rows.size() + 1 || rows.isEmpty()) {
            throw new IOException(meta + " has " + (metaRows.size() - 1) + " rows, " + tensor + " has " + rows.size());
        }
        int dim = rows.get(0).split("\t").length;
        float[] f = new float[rows.size() * dim];
        int[] labels = new int[rows.size()];
        int[] pred = new int[rows.size()];
        Map<Integer, String> names = new TreeMap<>();
        List<String> header = List.of(metaRows.get(0).split("\t"));
        int li = header.indexOf("label");
        int ci = header.indexOf("class");
        int pi = header.indexOf("prediction");
        if (li < 0 || ci < 0) {
            throw new IOException(meta + " needs the columns label, class and (for a run that classifies) prediction;"
                    + " has " + header);
        }
        for (int i = 0; i < rows.size(); i++) {
            String[] v = rows.get(i).split("\t");
            String[] m = metaRows.get(i + 1).split("\t", -1);
            if (v.length != dim || m.length != header.size()) {
                throw new IOException(tensor + " or " + meta + ": row " + (i + 1) + " has the wrong number of columns");
            }
            try {
                for (int k = 0; k < dim; k++) {
                    f[i * dim + k] = Float.parseFloat(v[k]);
                }
                labels[i] = Integer.parseInt(m[li]);
                pred[i] = pi < 0 ? 0 : Integer.parseInt(m[pi]);
            } catch (NumberFormatException e) {
                throw new IOException(tensor + " or " + meta + ": row " + (i + 1) + ": " + e.getMessage());
            }
            names.put(labels[i], m[ci]);
        }
        int c = names.isEmpty() ? 0 : Math.max(names.keySet().stream().mapToInt(Integer::intValue).max().getAsInt(),
                Arrays.stream(pred).max().getAsInt()) + 1;
        if (pi < 0) {
            pred = null;
        }
        List<String> classNames = new ArrayList<>();
        for (int j = 0; j < c; j++) {
            classNames.add(names.getOrDefault(j, String.valueOf(j)));
        }
        return new TestEmbedding(f, dim, labels, pred, classNames);
    }

    private static double[][] readWeights(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> rows = Files.readAllLines(file, StandardCharsets.UTF_8);
        double[][] w = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            try {
                w[i] = Arrays.stream(rows.get(i).split("\t")).mapToDouble(Double::parseDouble).toArray();
            } catch (NumberFormatException e) {
                throw new IOException(file + ", row " + (i + 1) + ": " + e.getMessage());
            }
        }
        return w;
    }
}
