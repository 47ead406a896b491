package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.anglearn.fuzz.Draw;
import io.anglearn.fuzz.Fuzz;
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
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes image-folder datasets: damaged PNG and JPEG files, forged PNG dimensions, files that are
 * not images at all, and images of unusual sizes and pixel types. Inputs are drawn from seeded
 * random sources and not shrunk; a failure prints its seed for replay.
 */
class ImageFolderFuzzTest {

    /** PNG offsets: the IHDR chunk's width, height, and the CRC over its type and data. */
    private static final int PNG_WIDTH = 16;
    private static final int PNG_HEIGHT = 20;
    private static final int PNG_IHDR_CRC = 29;

    /** Large image sides, around the square root of the largest int and beyond. */
    private static final List<Integer> LARGE_SIDES = List.of(10_000, 10_001, 100_000, 1_000_000, 46_341, 9_999);

    /** Every pixel type the loader may meet. */
    private static final List<Integer> IMAGE_TYPES = List.of(BufferedImage.TYPE_INT_RGB,
            BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY,
            BufferedImage.TYPE_BYTE_BINARY, BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_4BYTE_ABGR,
            BufferedImage.TYPE_3BYTE_BGR);

    /** A forged image side: an interesting int, a large side, or any int (weights 3:1:1). */
    private static int dimension(SplittableRandom r) {
        return switch (Draw.weighted(r, 3, 1, 1)) {
            case 0 -> Draw.oneOf(r, Mutations.INTERESTING_INTS);
            case 1 -> Draw.oneOf(r, LARGE_SIDES);
            default -> r.nextInt();
        };
    }

    /** One image of a small two-class folder edited at the byte level. */
    @Test
    void damagedImageLoadsOrFailsCleanly() {
        Fuzz.run(getClass(), "damagedImageLoadsOrFailsCleanly", 200, ImageFolderFuzzTest::damagedTry);
    }

    private static void damagedTry(SplittableRandom r) throws Exception {
        boolean jpeg = r.nextBoolean();
        boolean grey = r.nextBoolean();
        int which = Draw.between(r, 0, 3);
        List<Mutation> edits = Mutations.some(r, 4);
        try (ScratchDir scratch = ScratchDir.create()) {
            Path root = scratch.path();
            List<Path> files = twoClasses(root, jpeg);
            Path victim = files.get(which);
            Files.write(victim, Mutation.applyAll(Files.readAllBytes(victim), edits));
            check(root, grey ? 1 : 3);
        }
    }

    /** A PNG whose header declares other dimensions than its data, up to billions of pixels. */
    @Test
    void forgedPngDimensionsFailCleanly() {
        Fuzz.run(getClass(), "forgedPngDimensionsFailCleanly", 100, ImageFolderFuzzTest::forgedTry);
    }

    private static void forgedTry(SplittableRandom r) throws Exception {
        int width = dimension(r);
        int height = dimension(r);
        boolean fixCrc = r.nextBoolean();
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
    @Test
    void nonImageFilesFailCleanly() {
        Fuzz.run(getClass(), "nonImageFilesFailCleanly", 100, ImageFolderFuzzTest::nonImageTry);
    }

    private static void nonImageTry(SplittableRandom r) throws Exception {
        byte[] content = Draw.bytes(r, 300);
        int prefix = Draw.between(r, 0, 3);
        boolean jpegName = r.nextBoolean();
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
    @Test
    void unusualSizesAndTypesLoad() {
        Fuzz.run(getClass(), "unusualSizesAndTypesLoad", 60, ImageFolderFuzzTest::unusualTry);
    }

    private static void unusualTry(SplittableRandom r) throws Exception {
        int width = side(r);
        int height = side(r);
        int type = Draw.oneOf(r, IMAGE_TYPES);
        boolean jpeg = r.nextBoolean();
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

    /** A valid image side in [1, 300], often one of the smallest. */
    private static int side(SplittableRandom r) {
        return Draw.weighted(r, 1, 3) == 0 ? Draw.between(r, 1, 3) : Draw.between(r, 1, 300);
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
