package io.anglearn.rundir;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.anglearn.util.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's {@code config.json}: the training configuration as the user gave it ({@code config},
 * read by {@code io.anglearn.train.TrainingConfig#read}) and what was resolved from it when the run
 * started ({@code resolved}, a {@link ResolvedSettings}). The one place that reads and writes the
 * file: the format on disk is the one earlier versions wrote, and a file they wrote reads here.
 *
 * <p>The document is kept as read, so an extension ({@link #extend}) adds to it without dropping
 * a field this version does not know.
 */
public final class RunManifest {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final Path file;
    private final byte[] bytes;
    private final JsonObject document;

    private RunManifest(Path file, byte[] bytes, JsonObject document) {
        this.file = file;
        this.bytes = bytes;
        this.document = document;
    }

    /**
     * Writes a new run's {@code config.json}.
     *
     * @param runDir the run directory
     * @param config the configuration, serialised field by field
     * @param resolved what was resolved from it
     * @throws IOException if it cannot be written; a file there before is then intact
     */
    public static void write(Path runDir, Object config, ResolvedSettings resolved) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", config);
        doc.put("resolved", resolved);
        AtomicFiles.writeString(RunFiles.config(runDir), GSON.toJson(doc) + "\n");
    }

    /**
     * Reads a run's {@code config.json}.
     *
     * @param runDir the run directory
     * @return the manifest
     * @throws IOException if it is not a run directory (no {@code config.json}), or the file is not
     *     a JSON object; the message names the file
     */
    public static RunManifest read(Path runDir) throws IOException {
        Path cfg = requireRun(runDir);
        byte[] bytes = Files.readAllBytes(cfg);
        JsonElement root;
        try {
            root = GSON.fromJson(new String(bytes, StandardCharsets.UTF_8), JsonElement.class);
        } catch (JsonParseException e) {
            throw new IOException(cfg + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isJsonObject()) {
            throw new IOException(cfg + ": expected a JSON object");
        }
        return new RunManifest(cfg, bytes, root.getAsJsonObject());
    }

    /**
     * Returns a run directory's {@code config.json}, requiring that it is there.
     *
     * @param runDir the run directory
     * @return the file
     * @throws IOException if it is not a run directory: {@code config.json} is missing
     */
    public static Path requireRun(Path runDir) throws IOException {
        Path cfg = RunFiles.config(runDir);
        if (!Files.isRegularFile(cfg)) {
            throw new IOException(runDir + " is not a run directory: " + RunFiles.CONFIG + " is missing");
        }
        return cfg;
    }

    /** Returns the path of the file read. */
    public Path file() {
        return file;
    }

    /** Returns the SHA-256 of the file's bytes as read, which checkpoints record. */
    public String sha256() {
        return Digests.sha256Hex(bytes);
    }

    /**
     * Returns the resolved settings, or null for a file without a {@code resolved} block (one
     * written before the run's first checkpoint was, or by hand).
     *
     * @return the settings, or null
     * @throws IOException if the block is there but malformed; the message names the file
     */
    public ResolvedSettings resolved() throws IOException {
        JsonElement r = document.get("resolved");
        if (r == null || !r.isJsonObject()) {
            return null;
        }
        try {
            return GSON.fromJson(r, ResolvedSettings.class);
        } catch (JsonParseException | IllegalStateException | ClassCastException | NumberFormatException e) {
            throw new IOException(file + ": missing or malformed field in 'resolved' (" + e + ")", e);
        }
    }

    /**
     * Records an extension of the run: replaces the configuration, and adds the SHA-256 of this
     * file as read (the configuration the run's checkpoints were written under, which resuming then
     * still accepts) and the extension to {@code resolved}; everything else is kept as it was.
     *
     * @param config the extended configuration
     * @param extension the extension
     * @throws IOException if the file cannot be written; it is then intact
     */
    public void extend(Object config, ResolvedSettings.Extension extension) throws IOException {
        JsonObject doc = document.deepCopy();
        doc.add("config", GSON.toJsonTree(config));
        JsonObject resolved = doc.has("resolved") ? doc.getAsJsonObject("resolved") : new JsonObject();
        String previousKey = "previousConfigSha256";
        String extensionsKey = "extensions";
        JsonArray previous = resolved.has(previousKey) ? resolved.getAsJsonArray(previousKey) : new JsonArray();
        previous.add(sha256());
        resolved.add(previousKey, previous);
        JsonArray extensions = resolved.has(extensionsKey) ? resolved.getAsJsonArray(extensionsKey) : new JsonArray();
        extensions.add(GSON.toJsonTree(extension));
        resolved.add(extensionsKey, extensions);
        doc.add("resolved", resolved);
        AtomicFiles.writeString(file, GSON.toJson(doc) + "\n");
    }
}
