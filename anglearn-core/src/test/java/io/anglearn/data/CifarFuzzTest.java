package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.fuzz.Draw;
import io.anglearn.fuzz.Fuzz;
import io.anglearn.fuzz.FuzzCheck;
import io.anglearn.fuzz.Mutation;
import io.anglearn.fuzz.Mutations;
import io.anglearn.fuzz.ScratchDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the CIFAR-10 and CIFAR-100 binary readers with edited copies of small valid batches laid
 * out in every supported form: loose files, gzip-compressed files, the extracted sub-folder and the
 * official {@code .tar.gz} archive. Inputs are drawn from seeded random sources and not shrunk; a
 * failure prints its seed for replay.
 */
class CifarFuzzTest {

    /** Records per CIFAR-10 file in the generated datasets. */
    private static final int RECORDS = 2;

    /** How the files are laid out. */
    enum Form { LOOSE, GZIP, SUBFOLDER, ARCHIVE }

    /** Without edits every form loads: a reader that refused everything would fail here. */
    @Test
    void unEditedFormsLoad() throws Exception {
        for (Form form : Form.values()) {
            try (ScratchDir scratch = ScratchDir.create()) {
                Map<String, byte[]> files = new LinkedHashMap<>();
                files.put(Cifar100.TRAIN_FILE, TestFiles.cifarRecords(new int[][] {{0, 0}, {19, 99}, {3, 42}}));
                files.put(Cifar100.TEST_FILE, TestFiles.cifarRecords(new int[][] {{1, 1}, {2, 5}}));
                lay(scratch.path(), form, Cifar100.LAYOUT, files, Cifar100.TEST_FILE, false, List.of());
                assertEquals(3, Cifar100.load(scratch.path(), LabelKind.FINE, Map.of(), 3, 2, false).train().size());
            }
        }
    }

    @Test
    void cifar10LoadsOrFailsCleanly() {
        Fuzz.run(getClass(), "cifar10LoadsOrFailsCleanly", 200, CifarFuzzTest::cifar10Try);
    }

    private static void cifar10Try(SplittableRandom r) throws Exception {
        Form form = Draw.oneOf(r, Form.class);
        int which = Draw.between(r, 0, 5);
        boolean editCompressed = r.nextBoolean();
        boolean verify = r.nextBoolean();
        List<Mutation> edits = Mutations.some(r, 4);
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(Cifar10.TRAIN_FILES);
        names.add(Cifar10.TEST_FILE);
        Map<String, Checksum> sums = new LinkedHashMap<>();
        for (int f = 0; f < names.size(); f++) {
            int[][] labels = new int[RECORDS][];
            for (int rec = 0; rec < RECORDS; rec++) {
                labels[rec] = new int[] {(f + rec) % 10};
            }
            byte[] b = TestFiles.cifarRecords(labels);
            files.put(names.get(f), b);
            sums.put(names.get(f), Checksum.sha256(TestFiles.sha256(b)));
        }
        try (ScratchDir scratch = ScratchDir.create()) {
            Path dir = scratch.path();
            lay(dir, form, Cifar10.LAYOUT, files, names.get(which), editCompressed, edits);
            FuzzCheck.Outcome<LoadedDataset> out = FuzzCheck.run(dir,
                    () -> Cifar10.load(dir, verify ? sums : Map.of(), RECORDS, verify));
            if (out.ok()) {
                assertEquals(5 * RECORDS, out.value().train().size());
                assertEquals(RECORDS, out.value().test().size());
            }
        }
    }

    @Test
    void cifar100LoadsOrFailsCleanly() {
        Fuzz.run(getClass(), "cifar100LoadsOrFailsCleanly", 200, CifarFuzzTest::cifar100Try);
    }

    private static void cifar100Try(SplittableRandom r) throws Exception {
        Form form = Draw.oneOf(r, Form.class);
        boolean test = r.nextBoolean();
        boolean coarse = r.nextBoolean();
        boolean anyCount = r.nextBoolean();
        boolean editCompressed = r.nextBoolean();
        List<Mutation> edits = Mutations.some(r, 4);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(Cifar100.TRAIN_FILE, TestFiles.cifarRecords(new int[][] {{0, 0}, {19, 99}, {3, 42}}));
        files.put(Cifar100.TEST_FILE, TestFiles.cifarRecords(new int[][] {{1, 1}, {2, 5}}));
        try (ScratchDir scratch = ScratchDir.create()) {
            Path dir = scratch.path();
            lay(dir, form, Cifar100.LAYOUT, files, test ? Cifar100.TEST_FILE : Cifar100.TRAIN_FILE, editCompressed,
                    edits);
            FuzzCheck.Outcome<LoadedDataset> out = FuzzCheck.run(dir, () -> Cifar100.load(dir,
                    coarse ? LabelKind.COARSE : LabelKind.FINE, Map.of(), anyCount ? -1 : 3, anyCount ? -1 : 2, false));
            if (out.ok()) {
                LoadedDataset d = out.value();
                assertEquals(coarse ? 20 : 100, d.train().numClasses());
                assertTrue(d.train().size() > 0 && d.test().size() > 0);
                assertEquals(3 * 32 * 32, d.train().imageSize());
            }
        }
    }

    /**
     * Writes the files in the given form, editing one of them: its content, or (for compressed forms)
     * its compressed bytes or the whole archive's.
     */
    private static void lay(Path dir, Form form, PayloadReader.Layout layout, Map<String, byte[]> files, String victim,
            boolean editCompressed, List<Mutation> edits) throws Exception {
        Map<String, byte[]> content = new LinkedHashMap<>(files);
        boolean editInside = form == Form.LOOSE || form == Form.SUBFOLDER || !editCompressed;
        if (editInside) {
            content.put(victim, Mutation.applyAll(content.get(victim), edits));
        }
        switch (form) {
            case LOOSE, GZIP, SUBFOLDER -> {
                Path folder = form == Form.SUBFOLDER ? Files.createDirectories(dir.resolve(layout.subfolder())) : dir;
                for (Map.Entry<String, byte[]> e : content.entrySet()) {
                    Path p = TestFiles.write(folder, e.getKey(), e.getValue(), form == Form.GZIP);
                    if (form == Form.GZIP && !editInside && e.getKey().equals(victim)) {
                        Files.write(p, Mutation.applyAll(Files.readAllBytes(p), edits));
                    }
                }
            }
            case ARCHIVE -> {
                Map<String, byte[]> entries = new LinkedHashMap<>();
                for (Map.Entry<String, byte[]> e : content.entrySet()) {
                    entries.put(layout.subfolder() + "/" + e.getKey(), e.getValue());
                }
                Path archive = TestFiles.tarGz(dir.resolve(layout.archive()), entries);
                if (!editInside) {
                    Files.write(archive, Mutation.applyAll(Files.readAllBytes(archive), edits));
                }
            }
            default -> throw new AssertionError(form);
        }
    }
}
