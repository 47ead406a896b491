package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.fuzz.FuzzCheck;
import io.anglearn.fuzz.ScratchDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the dataset readers' fuzz corpus ({@code src/test/resources/fuzz-corpus/}, described in
 * each folder's README): each crafted input, placed among otherwise valid files, must fail with the
 * exact error class, a message naming the file, and the expected problem, within the fuzz bounds.
 */
class DataFuzzCorpusTest {

    /**
     * One corpus input.
     *
     * @param folder the corpus folder
     * @param file the input's file name there
     * @param placedAs the file name it takes in the dataset folder
     * @param problem a fragment the message must contain
     */
    record Case(String folder, String file, String placedAs, String problem) {
        @Override
        public String toString() {
            return folder + "/" + file;
        }
    }

    static Stream<Case> idx() {
        return Stream.of(
                new Case("idx", "train-images.truncated", IdxDataset.TRAIN_IMAGES, "the file is truncated"),
                new Case("idx", "train-images.wrong-magic", IdxDataset.TRAIN_IMAGES, "not an unsigned-byte IDX file"),
                new Case("idx", "train-images.billion-images", IdxDataset.TRAIN_IMAGES,
                        "declares dimensions [1000000000, 28, 28], more data than"),
                new Case("idx", "train-images.negative-dimension", IdxDataset.TRAIN_IMAGES, "dimension 2 is -28"),
                new Case("idx", "train-images.wrong-rank", IdxDataset.TRAIN_IMAGES, "IDX file has 2 dimensions, expected 3"),
                new Case("idx", "train-images.extra-bytes", IdxDataset.TRAIN_IMAGES, "unexpected extra bytes"),
                new Case("idx", "train-images.wrong-size", IdxDataset.TRAIN_IMAGES, "images are 27x29, expected 28x28"),
                new Case("idx", "train-labels.label-out-of-range", IdxDataset.TRAIN_LABELS,
                        "label 200 at index 1 is outside 0..9"),
                new Case("idx", "train-labels.count-mismatch", IdxDataset.TRAIN_LABELS, "3 labels for 2 images"),
                new Case("idx", "train-labels.empty", IdxDataset.TRAIN_LABELS, "file is 0 bytes"),
                new Case("idx", "train-labels.forged-gzip-size.gz", IdxDataset.TRAIN_LABELS + ".gz",
                        "is not a valid gzip stream"),
                new Case("idx", "train-labels.truncated-gzip.gz", IdxDataset.TRAIN_LABELS + ".gz",
                        "the compressed file is truncated"),
                new Case("idx", "train-labels.not-gzip-after-magic.gz", IdxDataset.TRAIN_LABELS + ".gz",
                        "is not a valid gzip stream"));
    }

    static Stream<Case> cifar10() {
        String first = Cifar10.TRAIN_FILES.get(0);
        return Stream.of(
                new Case("cifar10", "data_batch_1.bin.label-10", first, "record 1 has a label 10, expected 0..9"),
                new Case("cifar10", "data_batch_1.bin.odd-length", first, "not a whole number of 3073-byte records"),
                new Case("cifar10", "data_batch_1.bin.too-many-records", first, "more than the 6146 expected"),
                new Case("cifar10", "data_batch_1.bin.empty", first, "is 0 bytes"),
                new Case("cifar10", "data_batch_1.bin.gzip-bomb.gz", first + ".gz", "decompression bomb"),
                new Case("cifar10", "data_batch_1.bin.truncated-gzip.gz", first + ".gz", "truncated"),
                new Case("cifar10", "cifar-10-binary.tar.gz.corrupted-header", "cifar-10-binary.tar.gz",
                        "is not a valid tar archive"),
                new Case("cifar10", "cifar-10-binary.tar.gz.huge-entry-size", "cifar-10-binary.tar.gz",
                        "more than the 6146 expected"));
    }

    static Stream<Case> cifar100() {
        return Stream.of(
                new Case("cifar100", "train.bin.fine-label-100", Cifar100.TRAIN_FILE,
                        "record 1 has a fine label 100, expected 0..99"),
                new Case("cifar100", "train.bin.coarse-label-20", Cifar100.TRAIN_FILE,
                        "record 0 has a coarse label 20, expected 0..19"),
                new Case("cifar100", "train.bin.cifar10-records", Cifar100.TRAIN_FILE,
                        "not a whole number of 3074-byte records"));
    }

    static Stream<Case> imageFolder() {
        return Stream.of(
                new Case("image-folder", "huge-dimensions.png", "1.png", "declares 65535x65535 pixels"),
                new Case("image-folder", "billions-of-pixels.png", "1.png", "declares 2000000000x2000000000 pixels"),
                new Case("image-folder", "forged-2729x32768.png", "1.png", "the png data is truncated or corrupt"),
                new Case("image-folder", "zero-width.png", "1.png", "the png header cannot be read"),
                new Case("image-folder", "truncated.png", "1.png", "the png data is truncated or corrupt"),
                new Case("image-folder", "text.png", "1.png", "is not an image this decoder reads (expected PNG,"
                        + " JPEG, BMP or GIF)"),
                new Case("image-folder", "empty.jpg", "1.jpg", "is empty; expected a PNG, JPEG, BMP or GIF image"),
                new Case("image-folder", "png-magic-only.png", "1.png", "the png header cannot be read"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("idx")
    void idxInputsFailCleanly(Case c) throws Exception {
        try (ScratchDir scratch = ScratchDir.create()) {
            Path dir = scratch.path();
            TestFiles.mnistFolder(dir, 2, 2, 28, 10, false);
            Path placed = place(c, dir);
            expectFailure(c, dir, placed, () -> FashionMnist.load(dir, false));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cifar10")
    void cifar10InputsFailCleanly(Case c) throws Exception {
        try (ScratchDir scratch = ScratchDir.create()) {
            Path dir = scratch.path();
            if (!c.placedAs().equals(Cifar10.LAYOUT.archive())) {
                for (String f : Cifar10.TRAIN_FILES) {
                    TestFiles.write(dir, f, TestFiles.cifarRecords(new int[][] {{1}, {2}}), false);
                }
                TestFiles.write(dir, Cifar10.TEST_FILE, TestFiles.cifarRecords(new int[][] {{3}, {4}}), false);
            }
            Path placed = place(c, dir);
            expectFailure(c, dir, placed, () -> Cifar10.load(dir, Map.of(), 2, false));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cifar100")
    void cifar100InputsFailCleanly(Case c) throws Exception {
        try (ScratchDir scratch = ScratchDir.create()) {
            Path dir = scratch.path();
            TestFiles.write(dir, Cifar100.TEST_FILE, TestFiles.cifarRecords(new int[][] {{1, 1}}), false);
            Path placed = place(c, dir);
            expectFailure(c, dir, placed, () -> Cifar100.load(dir, LabelKind.FINE, Map.of(), -1, -1, false));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("imageFolder")
    void imageFolderInputsFailCleanly(Case c) throws Exception {
        try (ScratchDir scratch = ScratchDir.create()) {
            Path root = scratch.path();
            for (String cls : List.of("a", "b")) {
                for (String n : List.of("2.png", "3.png")) {
                    copy("image-folder", "valid-4x3.png", Files.createDirectories(root.resolve(cls)).resolve(n));
                }
            }
            Path placed = root.resolve("a").resolve(c.placedAs());
            copy(c.folder(), c.file(), placed);
            ImageFolder folder = ImageFolder.builder().setRoot(root).optImageSize(8).optTestFraction(0.5).build();
            expectFailure(c, root, placed, () -> folder.load("corpus"));
        }
    }

    /** The valid image the image-folder cases sit among loads: the failures above are the inputs' own. */
    @org.junit.jupiter.api.Test
    void theCorpusBaselineImageLoads() throws Exception {
        try (ScratchDir scratch = ScratchDir.create()) {
            Path root = scratch.path();
            for (String cls : List.of("a", "b")) {
                for (String n : List.of("1.png", "2.png")) {
                    copy("image-folder", "valid-4x3.png", Files.createDirectories(root.resolve(cls)).resolve(n));
                }
            }
            LoadedDataset d = ImageFolder.builder().setRoot(root).optImageSize(8).optTestFraction(0.5).build()
                    .load("corpus");
            assertEquals(2, d.train().size());
        }
    }

    private static Path place(Case c, Path dir) throws IOException {
        Path placed = dir.resolve(c.placedAs());
        String plain = c.placedAs().endsWith(".gz") ? c.placedAs().substring(0, c.placedAs().length() - 3) : null;
        if (plain != null) {
            Files.deleteIfExists(dir.resolve(plain));
        }
        copy(c.folder(), c.file(), placed);
        return placed;
    }

    private static void copy(String folder, String file, Path to) throws IOException {
        try (InputStream in = DataFuzzCorpusTest.class.getResourceAsStream("/fuzz-corpus/" + folder + "/" + file)) {
            assertNotNull(in, "corpus file " + folder + "/" + file + " is missing");
            Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void expectFailure(Case c, Path dir, Path placed, Callable<?> read) {
        FuzzCheck.Outcome<?> out = FuzzCheck.run(dir, read);
        assertNotNull(out.error(), c + " must be refused");
        assertEquals(DatasetFormatException.class, out.error().getClass(), () -> c + ": " + out.error());
        String m = out.error().getMessage();
        assertTrue(m.contains(placed.toString()), () -> c + ": the message must name " + placed + ": " + m);
        assertTrue(m.contains(c.problem()), () -> c + ": the message must say '" + c.problem() + "': " + m);
    }
}
