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
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the IDX reader (MNIST / Fashion-MNIST files, plain and gzip-compressed) with edited
 * copies of small valid files: every input loads or fails with an error naming the file. Inputs
 * are drawn from seeded random sources and not shrunk; a failure prints its seed for replay.
 */
class IdxFuzzTest {

    /** Without edits every generated form loads: a reader that refused everything would fail here. */
    @Test
    void unEditedFoldersLoad() throws Exception {
        for (boolean gz : new boolean[] {false, true}) {
            try (ScratchDir scratch = ScratchDir.create()) {
                TestFiles.mnistFolder(scratch.path(), 2, 2, 28, 10, gz);
                assertEquals(2, FashionMnist.load(scratch.path(), false).train().size());
                assertEquals(2, IdxDataset.load("fuzz", scratch.path()).test().size());
            }
        }
    }

    /** A folder of four IDX files, one of them edited (its content, or its compressed bytes). */
    @Test
    void folderLoadsOrFailsCleanly() {
        Fuzz.run(getClass(), "folderLoadsOrFailsCleanly", 300, IdxFuzzTest::folderTry);
    }

    private static void folderTry(SplittableRandom r) throws Exception {
        boolean gz = r.nextBoolean();
        boolean fashion = r.nextBoolean();
        int which = Draw.between(r, 0, 3);
        boolean editCompressed = r.nextBoolean();
        int images = Draw.between(r, 1, 3);
        List<Mutation> edits = Mutations.some(r, 4);
        try (ScratchDir scratch = ScratchDir.create()) {
            Path dir = scratch.path();
            int side = fashion ? 28 : 5;
            TestFiles.mnistFolder(dir, images, images, side, fashion ? 10 : 3, gz);
            String name = IdxDataset.FILES.get(which);
            edit(dir.resolve(gz ? name + ".gz" : name), gz && !editCompressed, edits);
            FuzzCheck.Outcome<LoadedDataset> out = FuzzCheck.run(dir,
                    () -> fashion ? FashionMnist.load(dir, false) : IdxDataset.load("fuzz", dir));
            if (out.ok()) {
                LoadedDataset d = out.value();
                assertTrue(d.train().size() > 0 && d.test().size() > 0);
                assertEquals(d.train().width(), d.test().width());
                if (fashion) {
                    assertEquals(28, d.train().width());
                    assertEquals(10, d.train().numClasses());
                }
            }
        }
    }

    /** One IDX file read alone with the rank it must have. */
    @Test
    void fileParsesOrFailsCleanly() {
        Fuzz.run(getClass(), "fileParsesOrFailsCleanly", 300, IdxFuzzTest::fileTry);
    }

    private static void fileTry(SplittableRandom r) throws Exception {
        boolean gz = r.nextBoolean();
        boolean labels = r.nextBoolean();
        List<Mutation> edits = Mutations.some(r, 4);
        try (ScratchDir scratch = ScratchDir.create()) {
            byte[] valid = labels ? TestFiles.idx(new int[] {4}, TestFiles.labels(4, 3))
                    : TestFiles.idx(new int[] {2, 3, 4}, TestFiles.images(2, 3));
            Path file = TestFiles.write(scratch.path(), "f", valid, false);
            byte[] edited = Mutation.applyAll(valid, edits);
            Files.write(file, gz ? TestFiles.gzip(edited) : edited);
            FuzzCheck.Outcome<IdxReader.IdxArray> out = FuzzCheck.run(file, () -> IdxReader.read(file, labels ? 1 : 3));
            if (out.ok()) {
                long n = 1;
                for (int d : out.value().dims()) {
                    assertTrue(d > 0);
                    n *= d;
                }
                assertEquals(n, out.value().data().length);
            }
        }
    }

    /**
     * Applies edits to a file: to its decompressed content (then recompressed) when {@code inside}, or
     * to its bytes as they are on disk.
     */
    static void edit(Path file, boolean inside, List<Mutation> edits) throws Exception {
        byte[] raw = Files.readAllBytes(file);
        if (inside) {
            byte[] content;
            try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                content = in.readAllBytes();
            }
            Files.write(file, TestFiles.gzip(Mutation.applyAll(content, edits)));
        } else {
            Files.write(file, Mutation.applyAll(raw, edits));
        }
    }
}
