package io.anglearn.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.anglearn.fuzz.FuzzScratch;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Coverage-guided fuzz targets (Jazzer) for the dataset readers a user's files reach: IDX files,
 * CIFAR-10/100 batches, an image folder's images. Without {@code JAZZER_FUZZ} each target replays
 * its committed inputs ({@code DataFuzzTargetsTestInputs/}) as a test; with {@code JAZZER_FUZZ=1}
 * one target is fuzzed. The property: the input is read, or refused with an {@link IOException} or
 * {@link IllegalArgumentException} naming the file; anything else is a finding.
 */
class DataFuzzTargetsTest {

    private static final List<String> TEN = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final List<String> HUNDRED = java.util.stream.IntStream.range(0, 100).mapToObj(Integer::toString).toList();

    private static Path idxDir;
    private static Path cifarDir;
    private static Path folderRoot;

    /** An IDX file (plain or gzip), read with rank 1 (labels) or 3 (images) as its last bit says. */
    @FuzzTest(maxDuration = "2m")
    void idx(byte[] data) throws IOException {
        if (idxDir == null) {
            idxDir = FuzzScratch.folder("idx");
        }
        Path f = idxDir.resolve("train-images-idx3-ubyte");
        Files.write(f, data);
        int rank = data.length > 0 && (data[data.length - 1] & 1) == 1 ? 1 : 3;
        try {
            IdxReader.read(f, rank);
        } catch (IOException | IllegalArgumentException e) {
            FuzzScratch.requireNames(e, f);
        }
    }

    /** A CIFAR batch: the first byte picks CIFAR-10 (one label byte) or CIFAR-100 (two), the rest is the file. */
    @FuzzTest(maxDuration = "2m")
    void cifar(byte[] data) throws IOException {
        if (cifarDir == null) {
            cifarDir = FuzzScratch.folder("cifar");
        }
        if (data.length == 0) {
            return;
        }
        boolean hundred = (data[0] & 1) == 1;
        byte[] body = Arrays.copyOfRange(data, 1, data.length);
        Path f = cifarDir.resolve(hundred ? "train.bin" : "data_batch_1.bin");
        PayloadReader.Payload p = new PayloadReader.Payload(f, body,
                new PayloadCheck(f.toString(), body.length, "SHA-256", "", null, false));
        try {
            if (hundred) {
                CifarReader.decode("fuzz", List.of(p), new int[] {20, 100}, 1, -1, HUNDRED);
            } else {
                CifarReader.decode("fuzz", List.of(p), new int[] {10}, 0, -1, TEN);
            }
        } catch (IOException | IllegalArgumentException e) {
            FuzzScratch.requireNames(e, f);
        }
    }

    /** An image folder of three good images and one file of fuzzed bytes, loaded as for training. */
    @FuzzTest(maxDuration = "2m")
    void imageFolder(byte[] data) throws IOException {
        if (folderRoot == null) {
            folderRoot = FuzzScratch.folder("folder");
            for (String c : new String[] {"a", "b"}) {
                Files.createDirectories(folderRoot.resolve(c));
            }
            for (String good : new String[] {"a/1.png", "a/2.png", "b/1.png"}) {
                BufferedImage img = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
                img.setRGB(1, 1, good.hashCode());
                ImageIO.write(img, "png", folderRoot.resolve(good).toFile());
            }
        }
        Path victim = folderRoot.resolve("b/2.png");
        Files.write(victim, data);
        ImageFolder folder = ImageFolder.builder().setRoot(folderRoot).optImageSize(8).optChannels(3)
                .optTestFraction(0.5).build();
        try {
            folder.load("fuzz");
        } catch (IOException | IllegalArgumentException e) {
            FuzzScratch.requireNames(e, victim);
        }
    }
}
