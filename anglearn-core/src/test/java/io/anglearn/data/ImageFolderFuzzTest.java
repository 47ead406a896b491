package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anglearn.fuzz.FuzzBudget;
import io.anglearn.fuzz.FuzzCheck;
import io.anglearn.fuzz.Mutation;
import io.anglearn.fuzz.Mutations;
import io.anglearn.fuzz.ScratchDir;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Fuzzes image-folder datasets: damaged PNG and JPEG files, forged PNG dimensions, files that are
 * not images at all, and images of unusual sizes and pixel types.
 */
@AddLifecycleHook(FuzzBudget.class)
class ImageFolderFuzzTest {

    /** PNG offsets: the IHDR chunk's width, height, and the CRC over its type and data. */
    private static final int PNG_WIDTH = 16;
    private static final int PNG_HEIGHT = 20;
    private static final int PNG_IHDR_CRC = 29;

    @Provide
    Arbitrary<List<Mutation>> edits() {
        return Mutations.some(4);
    }

    @Provide
    Arbitrary<Integer> dimensions() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(Mutations.INTERESTING_INTS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(10_000, 10_001, 100_000, 1_000_000, 46_341, 9_999)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers()));
    }

    @Provide
    Arbitrary<Integer> imageTypes() {
        return Arbitraries.of(BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_GRAY,
                BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_BYTE_BINARY, BufferedImage.TYPE_BYTE_INDEXED,
                BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_3BYTE_BGR);
    }

    /** One image of a small two-class folder edited at the byte level. */
    @Property(tries = 200)
    void damagedImageLoadsOrFailsCleanly(@ForAll boolean jpeg, @ForAll boolean grey, @ForAll @IntRange(max = 3) int which,
            @ForAll("edits") List<Mutation> edits) throws Exception {
        try (ScratchDir scratch = ScratchDir.create()) {
            Path root = scratch.path();
            List<Path> files = twoClasses(root, jpeg);
            Path victim = files.get(which);
            Files.write(victim, Mutation.applyAll(Files.readAllBytes(victim), edits));
            check(root, grey ? 1 : 3);
        }
    }

    /** A PNG whose header declares other dimensions than its data, up to billions of pixels. */
    @Property(tries = 100)
    void forgedPngDimensionsFailCleanly(@ForAll("dimensions") int width, @ForAll("dimensions") int height,
            @ForAll boolean fixCrc) throws Exception {
        try (ScratchDir scratch = ScratchDir.create()) {
            Path root = scratch.path();
            Path victim = twoClasses(root, false).get(0);
            byte[] png = Files.readAllBytes(victim);
            ByteBuffer.wrap(png).putInt(PNG_WIDTH, width).putInt(PNG_HEIGHT, height);
            if (fixCrc) {
                CRC32 crc = new CRC32();
                crc.update(png, 12, 17);
                ByteBuffer.wrap(png).putInt(PNG_IHDR_CRC, (int) crc.getValue());
            }
            Files.write(victim, png);
            check(root, 3);
        }
    }

    /** Files with an image's name and any content: random bytes, text, other formats' headers. */
    @Property(tries = 100)
    void nonImageFilesFailCleanly(@ForAll @Size(max = 300) byte[] content, @ForAll @IntRange(max = 3) int prefix,
            @ForAll boolean jpegName) throws Exception {
        try (ScratchDir scratch = ScratchDir.create()) {
            Path root = scratch.path();
            twoClasses(root, false);
            byte[][] heads = {{}, {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, {(byte) 0xFF, (byte) 0xD8,
                (byte) 0xFF}, {'G', 'I', 'F', '8', '9', 'a'}};
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(heads[prefix]);
            b.write(content);
            Files.write(root.resolve("b").resolve(jpegName ? "zz.jpg" : "zz.png"), b.toByteArray());
            check(root, 3);
        }
    }

    /** Valid images of any size from 1×1 and any pixel type load and are resized. */
    @Property(tries = 60)
    void unusualSizesAndTypesLoad(@ForAll @IntRange(min = 1, max = 300) int width,
            @ForAll @IntRange(min = 1, max = 300) int height, @ForAll("imageTypes") int type, @ForAll boolean jpeg)
            throws Exception {
        try (ScratchDir scratch = ScratchDir.create()) {
            Path root = scratch.path();
            twoClasses(root, false);
            BufferedImage img = new BufferedImage(width, height, type);
            Path file = root.resolve("a").resolve(jpeg ? "odd.jpg" : "odd.png");
            // The JPEG writer cannot encode alpha or 16-bit grey; PNG can encode all of them.
            boolean written = ImageIO.write(img, jpeg ? "jpg" : "png", file.toFile());
            if (!written) {
                Files.deleteIfExists(file);
                ImageIO.write(img, "png", root.resolve("a").resolve("odd.png").toFile());
            }
            FuzzCheck.Outcome<LoadedDataset> out = check(root, 3);
            assertEquals(null, out.error(), () -> "a valid image must load: " + out.error());
        }
    }

    private static FuzzCheck.Outcome<LoadedDataset> check(Path root, int channels) {
        ImageFolder folder = ImageFolder.builder().setRoot(root).optImageSize(8).optChannels(channels)
                .optTestFraction(0.5).build();
        FuzzCheck.Outcome<LoadedDataset> out = FuzzCheck.run(root, () -> folder.load("fuzz"));
        if (out.ok()) {
            assertEquals(8, out.value().train().width());
            assertEquals(channels, out.value().train().channels());
        }
        return out;
    }

    /** Writes classes a/ and b/ with two small images each; returns the four files. */
    private static List<Path> twoClasses(Path root, boolean jpeg) throws Exception {
        String ext = jpeg ? "jpg" : "png";
        Path a = Files.createDirectories(root.resolve("a"));
        Path b = Files.createDirectories(root.resolve("b"));
        List<Path> files = List.of(a.resolve("1." + ext), a.resolve("2." + ext), b.resolve("1." + ext),
                b.resolve("2." + ext));
        for (int i = 0; i < files.size(); i++) {
            BufferedImage img = new BufferedImage(6 + i, 5, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, (i * 60 + x * 20) << 16 | (y * 40) << 8 | 128);
                }
            }
            ImageIO.write(img, ext, files.get(i).toFile());
        }
        return files;
    }
}
