package io.anglearn.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import io.anglearn.engine.ArrayEncoding;
import io.anglearn.rundir.AtomicFiles;
import io.anglearn.util.Digests;
import io.anglearn.util.NameSuggestions;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run's checkpoints: one folder per checkpoint, {@code step-NNNNNNNNN/}, holding
 * <ul>
 *   <li>{@code model.ndlist} — every parameter of the network, BatchNorm running statistics
 *       included (DJL's NDList encoding);
 *   <li>{@code optimizer.ndlist} — the optimiser's state (e.g. Adam's moments);
 *   <li>{@code loss.bin} — the loss's own state (e.g. center loss's centres) as the loss writes it,
 *       empty if none;
 *   <li>{@code state.json} — the {@link TrainingState}: step, position in the epoch's data order,
 *       finished epochs' records;
 *   <li>{@code backbone.pt}, only for a network whose backbone is a TorchScript module — the whole
 *       module as it is at this step, its buffers (BatchNorm running statistics) included, which
 *       are not among the parameters of {@code model.ndlist};
 *   <li>{@code manifest.json}, written last — the SHA-256 and size of each file above.
 * </ul>
 *
 * <p>Writing is atomic: the files go into a hidden temporary folder, each is fsynced, the folder
 * is renamed to its final name and the parent folder fsynced. A crash at any moment leaves either
 * a complete checkpoint or a temporary folder that is ignored and later removed. Reading checks
 * every checksum. After each save the store keeps the newest {@code keepLast} checkpoints and the
 * best one (the step recorded as {@link TrainingState#bestStep()}), deleting the rest.
 */
public final class CheckpointStore {

    /** The checkpoint names {@link #find} accepts, {@code step-N} standing for any step. */
    public static final List<String> WHICH = List.of("last", "best", "step-N");

    private static final Pattern STEP_NAME = Pattern.compile("step-(\\d{1,18})");

    /** Manifest format name. */
    public static final String FORMAT = "anglearn-checkpoint";
    /** Manifest format version. */
    public static final int VERSION = 1;
    /** The model parameters' file. */
    public static final String MODEL_FILE = "model.ndlist";
    /** The optimiser state's file. */
    public static final String OPTIMIZER_FILE = "optimizer.ndlist";
    /** The loss state's file. */
    public static final String LOSS_FILE = "loss.bin";
    /** The training state's file. */
    public static final String STATE_FILE = "state.json";
    /** The manifest's file. */
    public static final String MANIFEST_FILE = "manifest.json";
    /** The TorchScript backbone's file, in checkpoints of networks that have one. */
    public static final String BACKBONE_FILE = "backbone.pt";

    /** Largest array file read (a byte array's limit). */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 16;
    /** Largest manifest or state file read (16 MiB; a real one is a few KB). */
    static final long MAX_JSON_BYTES = 16L << 20;

    private static final Pattern NAME = Pattern.compile("step-(\\d{9,})");
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
            .serializeSpecialFloatingPointValues().setStrictness(Strictness.LENIENT).create();

    private final Path dir;
    private final int keepLast;

    /**
     * Opens (without creating) a checkpoint folder.
     *
     * @param dir the folder, usually {@code <run>/checkpoints}
     * @param keepLast how many of the newest checkpoints to keep, &ge; 1 (the best is kept besides)
     */
    public CheckpointStore(Path dir, int keepLast) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("--keep-checkpoints must be >= 1, got " + keepLast);
        }
        this.dir = dir;
        this.keepLast = keepLast;
    }

    /** Returns the folder. */
    public Path dir() {
        return dir;
    }

    /** A checkpoint on disk whose checksums have been verified. */
    public record Checkpoint(Path dir, TrainingState state) {

        /**
         * Reads one of its array files.
         *
         * @param file {@link #MODEL_FILE} or {@link #OPTIMIZER_FILE}
         * @param manager where to create the arrays (use a short-lived one and copy the values out)
         * @return the arrays
         * @throws IOException if the file cannot be read or decoded
         */
        public NDList read(String file, NDManager manager) throws IOException {
            Path p = dir.resolve(file);
            long size = Files.size(p);
            if (size > MAX_FILE_BYTES) {
                throw new IOException(p + ": " + size + " bytes, more than the " + MAX_FILE_BYTES + " readable");
            }
            byte[] bytes = Files.readAllBytes(p);
            // DJL's decoder trusts the counts it reads; check them all first (the checksum only proves
            // the file is the one written, not that what wrote it was sound).
            ArrayEncoding.checkList(p.toString(), bytes);
            // DJL encodes an empty list as its 4-byte count alone, and cannot decode that back.
            if (bytes.length == 4) {
                return new NDList();
            }
            try {
                return NDList.decode(manager, bytes);
            } catch (RuntimeException e) {
                throw new IOException(p + ": not a valid NDList file (" + e.getMessage() + ")", e);
            }
        }

        /** Returns the optimiser steps taken when it was written. */
        public long step() {
            return state.step();
        }

        /**
         * Returns the TorchScript backbone's module saved with this checkpoint (its checksum was
         * verified with the others).
         *
         * @return {@link #BACKBONE_FILE}, or empty for a network without a TorchScript backbone
         */
        public Optional<Path> backboneModule() {
            Path p = dir.resolve(BACKBONE_FILE);
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }
    }

    /**
     * Writes a checkpoint atomically, then removes the ones no longer kept.
     *
     * @param state the training state; its step names the folder
     * @param model the network's parameters
     * @param optimizer the optimiser's state
     * @param lossState the loss's state as it serialises it (may be empty)
     * @return the checkpoint's folder
     * @throws IOException if writing fails; earlier checkpoints are then intact
     */
    public Path save(TrainingState state, NDList model, NDList optimizer, byte[] lossState) throws IOException {
        return save(state, model, optimizer, lossState, null);
    }

    /**
     * Writes a checkpoint atomically, with a TorchScript backbone's module, then removes the ones
     * no longer kept.
     *
     * @param state the training state; its step names the folder
     * @param model the network's parameters
     * @param optimizer the optimiser's state
     * @param lossState the loss's state as it serialises it (may be empty)
     * @param backbone the backbone's module as TorchScript writes it, or null for none
     * @return the checkpoint's folder
     * @throws IOException if writing fails; earlier checkpoints are then intact
     */
    public Path save(TrainingState state, NDList model, NDList optimizer, byte[] lossState, byte[] backbone)
            throws IOException {
        try {
            return write(state, model, optimizer, lossState, backbone);
        } catch (IOException e) {
            throw new IOException("cannot write the checkpoint of step " + state.step() + " in " + dir + ": "
                    + io.anglearn.util.IoErrors.describe(e) + " (the earlier checkpoints are intact)", e);
        }
    }

    private Path write(TrainingState state, NDList model, NDList optimizer, byte[] lossState, byte[] backbone)
            throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(folderName(state.step()));
        Path tmp = Files.createTempDirectory(dir, ".tmp-" + folderName(state.step()) + "-");
        try {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(MODEL_FILE, model.encode());
            files.put(OPTIMIZER_FILE, optimizer.encode());
            files.put(LOSS_FILE, lossState);
            if (backbone != null) {
                files.put(BACKBONE_FILE, backbone);
            }
            files.put(STATE_FILE, (GSON.toJson(state) + "\n").getBytes(StandardCharsets.UTF_8));
            JsonObject manifest = new JsonObject();
            manifest.addProperty("format", FORMAT);
            manifest.addProperty("version", VERSION);
            manifest.addProperty("step", state.step());
            JsonObject sums = new JsonObject();
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                AtomicFiles.writeSynced(tmp.resolve(f.getKey()), f.getValue());
                JsonObject entry = new JsonObject();
                entry.addProperty("sha256", sha256(f.getValue()));
                entry.addProperty("bytes", f.getValue().length);
                sums.add(f.getKey(), entry);
            }
            manifest.add("files", sums);
            AtomicFiles.writeSynced(tmp.resolve(MANIFEST_FILE), (GSON.toJson(manifest) + "\n").getBytes(StandardCharsets.UTF_8));
            AtomicFiles.fsyncDirectory(tmp);
            if (Files.exists(target)) {
                // A checkpoint of this step exists already (a resumed run repeating it): it holds the same
                // state, but replace it so the newest write wins; move it aside first, atomically.
                Path old = Files.createTempDirectory(dir, ".old-" + folderName(state.step()) + "-");
                Files.delete(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.moveAtomically(tmp, target);
                AtomicFiles.deleteRecursively(old);
            } else {
                AtomicFiles.moveAtomically(tmp, target);
            }
            AtomicFiles.fsyncDirectory(dir);
        } finally {
            if (Files.exists(tmp)) {
                AtomicFiles.deleteRecursively(tmp);
            }
        }
        prune(state.bestStep());
        return target;
    }

    /**
     * Lists the checkpoint folders by step, oldest first, without verifying them.
     *
     * @return the folders
     * @throws IOException if the folder cannot be listed
     */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isDirectory(p) && NAME.matcher(p.getFileName().toString()).matches()) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparingLong(CheckpointStore::stepOf));
        return out;
    }

    /**
     * Reads and verifies one checkpoint.
     *
     * @param checkpointDir its folder
     * @return the checkpoint
     * @throws IOException if a file is missing, its checksum differs, or the state cannot be parsed;
     *     the message names the file
     */
    public static Checkpoint read(Path checkpointDir) throws IOException {
        Path mf = checkpointDir.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(mf)) {
            throw new IOException(mf + " is missing: not a complete checkpoint");
        }
        JsonObject manifest = readJsonObject(mf);
        if (!FORMAT.equals(string(manifest, "format"))) {
            throw new IOException(mf + ": not an " + FORMAT + " manifest");
        }
        JsonElement version = manifest.get("version");
        if (!isNumber(version) || version.getAsDouble() != VERSION) {
            throw new IOException(mf + ": format version " + version + ", this build reads " + VERSION);
        }
        JsonElement files = manifest.get("files");
        List<String> names = new ArrayList<>(List.of(MODEL_FILE, OPTIMIZER_FILE, LOSS_FILE, STATE_FILE));
        boolean listsBackbone = files != null && files.isJsonObject() && files.getAsJsonObject().has(BACKBONE_FILE);
        if (listsBackbone) {
            names.add(BACKBONE_FILE);
        } else if (Files.exists(checkpointDir.resolve(BACKBONE_FILE))) {
            throw new IOException(mf + " does not list " + BACKBONE_FILE + ", which the checkpoint holds");
        }
        for (String name : names) {
            Path f = checkpointDir.resolve(name);
            JsonElement entry = files != null && files.isJsonObject() ? files.getAsJsonObject().get(name) : null;
            if (entry == null || !entry.isJsonObject()) {
                throw new IOException(mf + " does not list " + name);
            }
            String expected = string(entry.getAsJsonObject(), "sha256");
            JsonElement bytes = entry.getAsJsonObject().get("bytes");
            if (expected == null || !isNumber(bytes)) {
                throw new IOException(mf + ": the entry of " + name + " lacks its sha256 or size");
            }
            if (!Files.isRegularFile(f)) {
                throw new IOException(f + " is missing");
            }
            long size = Files.size(f);
            if (size != bytes.getAsDouble()) {
                throw new IOException(f + ": " + size + " bytes, the manifest says " + bytes
                        + " (the file is truncated or corrupted)");
            }
            if (size > MAX_FILE_BYTES) {
                throw new IOException(f + ": " + size + " bytes, more than the " + MAX_FILE_BYTES + " readable");
            }
            String actual = sha256(Files.readAllBytes(f));
            if (!expected.equals(actual)) {
                throw new IOException(f + ": SHA-256 " + actual + " differs from the manifest's " + expected
                        + " (the file is corrupted)");
            }
        }
        Path sf = checkpointDir.resolve(STATE_FILE);
        TrainingState state;
        try {
            state = GSON.fromJson(readJsonObject(sf), TrainingState.class);
        } catch (RuntimeException e) {
            // Gson reports a wrong type or a null list (refused by the record) as one of several runtime exceptions.
            throw new IOException(sf + ": not a valid training state (" + e.getMessage() + ")", e);
        }
        String problem = problem(state);
        if (problem == null && isNumber(manifest.get("step")) && manifest.get("step").getAsDouble() != state.step()) {
            problem = "step " + state.step() + ", the manifest says " + manifest.get("step");
        }
        if (problem != null) {
            throw new IOException(sf + ": " + problem);
        }
        return new Checkpoint(checkpointDir, state);
    }

    /** Returns what is wrong with a state read from disk, or null when it is consistent. */
    private static String problem(TrainingState s) {
        if (s.step() < 0 || s.epoch() < 1 || s.nextBatch() < 0 || s.correct() < 0 || s.images() < 0
                || s.correct() > s.images() || s.skippedBatches() < 0 || s.skippedBatches() > s.nextBatch()) {
            return "position out of range (step " + s.step() + ", epoch " + s.epoch() + ", batch " + s.nextBatch()
                    + ", " + s.correct() + " of " + s.images() + " images right, " + s.skippedBatches()
                    + " batches skipped)";
        }
        if (s.bestStep() < -1) {
            return "best step " + s.bestStep() + ", expected -1 (none) or a step";
        }
        for (int i = 0; i < s.records().size(); i++) {
            if (s.records().get(i).epoch() != i + 1) {
                return "epoch record " + i + " is of epoch " + s.records().get(i).epoch() + ", expected " + (i + 1);
            }
        }
        if (s.records().size() >= s.epoch()) {
            return s.records().size() + " finished epochs recorded, but epoch " + s.epoch() + " is in progress";
        }
        return null;
    }

    /** Reads a small JSON file that must hold one object. */
    private static JsonObject readJsonObject(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_JSON_BYTES) {
            throw new IOException(file + ": " + size + " bytes, more than the " + MAX_JSON_BYTES + " expected");
        }
        try {
            JsonElement root = GSON.fromJson(Files.readString(file), JsonElement.class);
            if (root == null || !root.isJsonObject()) {
                throw new IOException(file + ": expected a JSON object");
            }
            return root.getAsJsonObject();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text", e);
        } catch (JsonParseException e) {
            throw new IOException(file + ": not valid JSON (" + e.getMessage() + ")", e);
        }
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    private static boolean isNumber(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber();
    }

    /**
     * Returns the newest checkpoint that verifies, skipping damaged ones.
     *
     * @param skipped receives one line per damaged checkpoint skipped, for the log
     * @return the checkpoint, or empty if there is none
     * @throws IOException if the folder cannot be listed
     */
    public Optional<Checkpoint> latestValid(List<String> skipped) throws IOException {
        List<Path> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return Optional.of(read(all.get(i)));
            } catch (IOException e) {
                skipped.add("skipped damaged checkpoint: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Checks the form of a checkpoint name without looking for it.
     *
     * @param which {@code last}, {@code best} or {@code step-N}
     * @throws IllegalArgumentException naming {@code --checkpoint} and the closest form when it is none of them
     */
    public static void checkName(String which) {
        String w = which == null ? "" : which.trim().toLowerCase(Locale.ROOT);
        if (WHICH.contains(w) || STEP_NAME.matcher(w).matches()) {
            return;
        }
        Matcher step = Pattern.compile("step[\\W_]*(\\d{1,18})").matcher(w);
        if (step.matches()) {
            // step5, step_5: the dash is missing.
            throw new IllegalArgumentException("unknown --checkpoint '" + which + "': "
                    + NameSuggestions.hint(List.of("step-" + step.group(1)), WHICH));
        }
        throw NameSuggestions.unknown("--checkpoint", which, WHICH);
    }

    /**
     * Finds a checkpoint by a name the command line accepts.
     *
     * @param which {@code last}, {@code best}, or a folder name {@code step-N}
     * @return the verified checkpoint
     * @throws IOException if it does not exist or does not verify
     */
    public Checkpoint find(String which) throws IOException {
        checkName(which);
        String w = which.trim().toLowerCase(Locale.ROOT);
        List<Path> all = list();
        if (all.isEmpty()) {
            throw new IOException(dir + " holds no checkpoint");
        }
        if (w.equals("last")) {
            return read(all.get(all.size() - 1));
        }
        if (w.equals("best")) {
            Checkpoint last = read(all.get(all.size() - 1));
            long best = last.state().bestStep();
            if (best < 0) {
                throw new IOException(dir + ": no evaluated checkpoint yet, so no best; use --checkpoint last");
            }
            return read(dir.resolve(folderName(best)));
        }
        Matcher m = STEP_NAME.matcher(w);
        if (m.matches()) {
            Path p = dir.resolve(folderName(Long.parseLong(m.group(1))));
            if (!Files.isDirectory(p)) {
                throw new IOException(p + " does not exist");
            }
            return read(p);
        }
        throw new IllegalStateException("unreachable: " + which);
    }

    private void prune(long bestStep) throws IOException {
        List<Path> all = list();
        TreeSet<Long> keep = new TreeSet<>();
        for (int i = Math.max(0, all.size() - keepLast); i < all.size(); i++) {
            keep.add(stepOf(all.get(i)));
        }
        if (bestStep >= 0) {
            keep.add(bestStep);
        }
        for (Path p : all) {
            if (!keep.contains(stepOf(p))) {
                AtomicFiles.deleteRecursively(p);
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(".tmp-step-") || n.startsWith(".old-step-")) {
                    AtomicFiles.deleteRecursively(p);
                }
            }
        }
    }

    /**
     * Returns the folder name of a step's checkpoint.
     *
     * @param step the optimiser step
     * @return {@code step-NNNNNNNNN}
     */
    public static String folderName(long step) {
        return String.format(Locale.ROOT, "step-%09d", step);
    }

    private static long stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * Returns the lower-case hex SHA-256 of some bytes.
     *
     * @param data the bytes
     * @return 64 hex digits
     */
    public static String sha256(byte[] data) {
        return Digests.sha256Hex(data);
    }

}
