package io.anglearn.index;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import io.anglearn.rundir.AtomicFiles;
import io.anglearn.util.Digests;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.SegmentInfos;

/**
 * The size and SHA-256 of every file of an index, recorded when the index is committed and checked
 * before Lucene parses a byte of it.
 *
 * <p>Why: Lucene's readers trust the counts and lengths in a file whose footer checksum is valid,
 * and allocate from them while opening (found by fuzzing: two bytes of the vectors' metadata
 * changed and the CRC resealed made {@code DirectMonotonicReader} allocate gigabytes). Checking the
 * footers first would catch accidental damage only; a file edited and resealed passes its CRC. The
 * record holds a cryptographic digest per file, so every byte Lucene reads on open and search is a
 * byte the build wrote. What it cannot refuse is a folder whose files and record were rewritten
 * together: that is an index crafted as a whole, which Lucene's readers were never made to read
 * safely; indexes are to be built, not received from untrusted sources.
 *
 * <p>The record is written after Lucene's {@code prepareCommit} (when every file of the new commit
 * is on disk and synced, its segments file still named {@code pending_segments_N}) and before the
 * commit is published, so at every moment the latest commit's files are in the record. It lists
 * every file then in the folder, the previous commit's included, so a build killed between the
 * two steps leaves the previous commit readable.
 */
final class IndexFileDigests {

    /** The record's file name, in the index folder. */
    static final String FILE = "anglearn-files.json";
    /** The record's format name. */
    static final String FORMAT = "anglearn-index-files";
    /** The largest record read (a one-million-vector index has about 15 files: a few KB). */
    static final long MAX_RECORD_BYTES = 1 << 20;

    private static final String PENDING = IndexFileNames.PENDING_SEGMENTS + "_";

    private IndexFileDigests() {}

    /** One file's recorded size and SHA-256 (lower-case hex). */
    record Entry(long size, String sha256) {}

    /**
     * Records every file of a prepared commit: each file now in {@code dir} but the write lock and
     * the record itself, {@code pending_segments_N} under the name it will be published as.
     *
     * @param dir the index folder, after {@code IndexWriter.prepareCommit}
     * @throws IOException if a file cannot be read or the record cannot be written
     */
    static void record(Path dir) throws IOException {
        Map<String, Entry> files = new TreeMap<>();
        for (Path f : list(dir)) {
            String name = f.getFileName().toString();
            if (name.equals(IndexWriter.WRITE_LOCK_NAME) || name.equals(FILE) || name.startsWith(".")
                    || !Files.isRegularFile(f)) {
                continue;
            }
            String as = name.startsWith(PENDING) ? IndexFileNames.SEGMENTS + "_" + name.substring(PENDING.length()) : name;
            files.put(as, digest(f));
        }
        JsonObject entries = new JsonObject();
        files.forEach((name, e) -> {
            JsonObject o = new JsonObject();
            o.addProperty("size", e.size());
            o.addProperty("sha256", e.sha256());
            entries.add(name, o);
        });
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("version", 1);
        root.add("files", entries);
        AtomicFiles.writeString(dir.resolve(FILE), root.toString() + "\n");
    }

    /**
     * Checks the latest commit of an index against the record before Lucene parses any of it.
     *
     * @param dir the index folder
     * @return the name of the verified segments file ({@code segments_N})
     * @throws IOException naming the folder (and the file) if there is no commit, no readable
     *     record, or a file differs from what was recorded
     */
    static String verifyLatestCommit(Path dir) throws IOException {
        List<String> problems = new ArrayList<>();
        String segments = check(dir, problems, true);
        if (!problems.isEmpty()) {
            throw new IOException("index " + dir + " is damaged: " + problems.get(0)
                    + "; check it with 'anglearn index verify' and rebuild it with 'anglearn index build'");
        }
        return segments;
    }

    /**
     * Checks the latest commit against the record and reports every file that differs.
     *
     * @param dir the index folder
     * @return a line per problem; empty when every file is as recorded
     * @throws IOException if the folder holds no commit, has no readable record or cannot be listed
     */
    static List<String> problems(Path dir) throws IOException {
        List<String> problems = new ArrayList<>();
        check(dir, problems, false);
        return problems;
    }

    /**
     * The latest segments file must be in the record, and every recorded file still in the folder
     * must match. That covers every file Lucene will read without parsing anything first (Lucene
     * parses each segment's {@code .si} while reading the segments file): the segments file's bytes
     * are the prepared commit's, so every file it references was in the folder when the record was
     * written. Files in the folder that the record lacks (a build killed before its commit) are not
     * referenced by it and are never read. Recorded files that are gone were the previous commit's,
     * deleted when this one was published.
     */
    private static String check(Path dir, List<String> problems, boolean firstOnly) throws IOException {
        List<Path> present = list(dir);
        String[] names = present.stream().map(p -> p.getFileName().toString()).toArray(String[]::new);
        long generation = SegmentInfos.getLastCommitGeneration(names);
        if (generation < 0) {
            throw new IOException(dir + " is not a complete index: it holds no Lucene commit (an interrupted build"
                    + " never renames its folder into place, so this folder was not written by 'anglearn index build')");
        }
        Map<String, Entry> recorded = read(dir);
        String segments = IndexFileNames.fileNameFromGeneration(IndexFileNames.SEGMENTS, "", generation);
        if (!matches(dir, segments, recorded, problems) && firstOnly) {
            return segments;
        }
        for (String name : names) {
            if (!name.equals(segments) && recorded.containsKey(name)
                    && !matches(dir, name, recorded, problems) && firstOnly) {
                break;
            }
        }
        return segments;
    }

    private static boolean matches(Path dir, String name, Map<String, Entry> recorded, List<String> problems)
            throws IOException {
        Entry want = recorded.get(name);
        if (want == null) {
            problems.add("file " + name + " is not in the index's record of its files (" + FILE + ")");
            return false;
        }
        Path f = dir.resolve(name);
        long size;
        try {
            size = Files.size(f);
        } catch (NoSuchFileException e) {
            problems.add("file " + name + " is missing");
            return false;
        }
        // The size first: a truncated or extended file is refused without reading it.
        if (size != want.size()) {
            problems.add("file " + name + " has " + size + " bytes, " + want.size() + " were written");
            return false;
        }
        if (!digest(f).sha256().equals(want.sha256())) {
            problems.add("file " + name + " differs from what was written (its SHA-256 does not match the record)");
            return false;
        }
        return true;
    }

    private static Map<String, Entry> read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new IOException("index " + dir + " has no record of its files' digests (" + FILE + "), which"
                    + " 'anglearn index build' writes with every commit; an index built before this check existed, or"
                    + " copied without it, must be rebuilt with 'anglearn index build --replace'");
        }
        if (Files.size(f) > MAX_RECORD_BYTES) {
            throw new IOException("index " + dir + " is damaged: its " + FILE + " has " + Files.size(f)
                    + " bytes, more than a record of an index's files can have (" + MAX_RECORD_BYTES + ")");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f)))
                    .toString();
            JsonReader json = new JsonReader(new StringReader(text));
            json.setStrictness(com.google.gson.Strictness.STRICT);
            JsonObject root = JsonParser.parseReader(json).getAsJsonObject();
            if (!FORMAT.equals(root.get("format").getAsString()) || root.get("version").getAsInt() != 1) {
                throw new IllegalStateException("not a version 1 " + FORMAT + " record");
            }
            Map<String, Entry> out = new TreeMap<>();
            for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("files").entrySet()) {
                JsonObject o = e.getValue().getAsJsonObject();
                String sha = o.get("sha256").getAsString();
                long size = o.get("size").getAsLong();
                if (size < 0 || !sha.matches("[0-9a-f]{64}")) {
                    throw new IllegalStateException("a malformed entry for " + e.getKey());
                }
                out.put(e.getKey(), new Entry(size, sha));
            }
            return out;
        } catch (CharacterCodingException | RuntimeException e) {
            // Gson's messages may quote the file's text; the cause keeps them for a stack trace.
            throw new IOException("index " + dir + " is damaged: its " + FILE + " is not a valid record of its files", e);
        }
    }

    private static Entry digest(Path f) throws IOException {
        return new Entry(Files.size(f), Digests.sha256Hex(f));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
