package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users' image folders: decoding, resizing, channels, deterministic splits and clear errors. */
class ImageFolderTest {

    @TempDir
    Path dir;

    /** Writes {@code n} solid-colour images of a class, alternating PNG and JPEG, of varying sizes. */
    private void writeClass(Path root, String name, Color colour, int n) throws Exception {
        Path d = Files.createDirectories(root.resolve(name));
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(20 + 7 * i, 15 + 3 * i, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(colour);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.dispose();
            String fmt = i % 2 == 0 ? "png" : "jpg";
            ImageIO.write(img, fmt, d.resolve(String.format("img%02d.%s", i, fmt)).toFile());
        }
        Files.writeString(d.resolve("notes.txt"), "ignored");
    }

    @Test
    void resizesEveryImageAndSplitsEachClassDeterministically() throws Exception {
        writeClass(dir, "red", Color.RED, 10);
        writeClass(dir, "blue", Color.BLUE, 5);
        ImageFolder f = ImageFolder.builder().setRoot(dir).optImageSize(12).optTestFraction(0.2).optSplitSeed(3).build();
        LoadedDataset d = f.load("mine");
        assertEquals(List.of("blue", "red"), d.train().classNames());
        assertArrayEquals(new int[] {4, 8}, d.train().classHistogram());
        assertArrayEquals(new int[] {1, 2}, d.test().classHistogram());
        assertEquals(12, d.train().width());
        assertEquals(3, d.train().channels());
        byte[] img = new byte[3 * 144];
        for (int i = 0; i < d.train().size(); i++) {
            d.train().copyImage(i, img, 0);
            boolean red = d.train().label(i) == 1;
            // Centre pixel: JPEG is lossy, so allow a small error.
            int r = img[6 * 12 + 6] & 0xFF;
            int b = img[2 * 144 + 6 * 12 + 6] & 0xFF;
            assertTrue(red ? r > 240 && b < 15 : b > 240 && r < 15, "image " + i + ": r=" + r + " b=" + b);
        }
        LoadedDataset again = f.load("mine");
        assertEquals(fingerprint(d.test()), fingerprint(again.test()));
        LoadedDataset other = ImageFolder.builder().setRoot(dir).optImageSize(12).optSplitSeed(4).build().load("mine");
        assertArrayEquals(new int[] {1, 2}, other.test().classHistogram());
    }

    private static Set<String> fingerprint(ImageDataset d) {
        Set<String> s = new HashSet<>();
        byte[] img = new byte[d.imageSize()];
        for (int i = 0; i < d.size(); i++) {
            d.copyImage(i, img, 0);
            s.add(java.util.Arrays.toString(img));
        }
        return s;
    }

    @Test
    void greyChannelAndTrainTestSubfolders() throws Exception {
        writeClass(dir.resolve("train"), "a", Color.WHITE, 3);
        writeClass(dir.resolve("train"), "b", Color.BLACK, 2);
        writeClass(dir.resolve("test"), "a", Color.WHITE, 1);
        writeClass(dir.resolve("test"), "b", Color.BLACK, 1);
        LoadedDataset d = Datasets.load(DatasetSpec.builder().setName("folder:" + dir + "+").optChannels(1)
                .optImageSize(8).build(), new DatasetLocator(null));
        assertEquals(5, d.train().size());
        assertEquals(2, d.test().size());
        assertEquals(1, d.train().channels());
        assertEquals(Augmentation.STANDARD, d.augmentation());
        byte[] img = new byte[64];
        d.test().copyImage(0, img, 0);
        assertTrue((img[27] & 0xFF) > 245, "white stays white in grey");
    }

    @Test
    void namesAnUndecodableImage() throws Exception {
        writeClass(dir, "a", Color.RED, 2);
        writeClass(dir, "b", Color.RED, 2);
        Path bad = dir.resolve("b/broken.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ImageFolder.builder().setRoot(dir).optTestFraction(0).build().load("x"));
        assertTrue(e.getMessage().contains("1 of 5 image files cannot be read:\n  " + bad
                + " is not an image this decoder reads"), e.getMessage());
    }

    /** Writes one solid image in a format ImageIO writes: png, jpg, bmp or gif. */
    private static Path writeImage(Path file, String format, Color colour) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(9, 7, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 9, 7);
        g.dispose();
        assertTrue(ImageIO.write(img, format, file.toFile()), "no writer for " + format);
        return file;
    }

    @Test
    void readsBmpAndGifBesidePngAndJpeg() throws Exception {
        writeImage(dir.resolve("a/1.png"), "png", Color.RED);
        writeImage(dir.resolve("a/2.BMP"), "bmp", Color.RED);
        writeImage(dir.resolve("b/1.jpg"), "jpg", Color.BLUE);
        writeImage(dir.resolve("b/2.gif"), "gif", Color.BLUE);
        LoadedDataset d = ImageFolder.builder().setRoot(dir).optImageSize(4).optTestFraction(0).build().load("x");
        assertEquals(4, d.train().size());
        assertEquals(0, d.test().size());
        assertEquals("every image in the training split (none held out)", d.layout());
        byte[] img = new byte[3 * 16];
        d.train().copyImage(1, img, 0);
        assertEquals(dir.resolve("a/2.BMP").toString(), d.train().source(1));
        assertEquals(255, img[5] & 0xFF, "the BMP's red channel");
        assertEquals(0, img[2 * 16 + 5] & 0xFF, "the BMP's blue channel");
        d.train().copyImage(3, img, 0);
        assertTrue((img[2 * 16 + 5] & 0xFF) > 240 && (img[5] & 0xFF) < 15, "the GIF is blue");
    }

    /** A corrupt PNG, a zero-byte file and a text file named .png: three bad files. */
    private List<Path> writeFolderWithThreeBadFiles() throws Exception {
        for (String c : List.of("a", "b")) {
            for (int i = 0; i < 3; i++) {
                writeImage(dir.resolve(c + "/" + i + ".png"), "png", c.equals("a") ? Color.RED : Color.BLUE);
            }
        }
        Path corrupt = dir.resolve("a/corrupt.png");
        byte[] good = Files.readAllBytes(dir.resolve("a/0.png"));
        Files.write(corrupt, java.util.Arrays.copyOf(good, good.length / 2));
        Path empty = Files.write(dir.resolve("b/empty.jpg"), new byte[0]);
        Path text = Files.writeString(dir.resolve("b/text.gif"), "not an image");
        return List.of(corrupt, empty, text);
    }

    @Test
    void listsEveryUnreadableFileInOnePassByDefault() throws Exception {
        List<Path> bad = writeFolderWithThreeBadFiles();
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ImageFolder.builder().setRoot(dir).optImageSize(4).build().load("x"));
        String m = e.getMessage();
        assertTrue(m.contains("3 of 9 image files cannot be read:"), m);
        assertTrue(m.contains(bad.get(0) + ": the png data is truncated or corrupt")
                || m.contains(bad.get(0) + ": the png header cannot be read"), m);
        assertTrue(m.contains(bad.get(1) + " is empty; expected a PNG, JPEG, BMP or GIF image"), m);
        assertTrue(m.contains(bad.get(2) + " is not an image this decoder reads"), m);
        assertTrue(m.endsWith("Repair or remove them, or leave them out with --bad-images skip"), m);
    }

    @Test
    void skipsUnreadableFilesWhenAskedAndSaysWhich() throws Exception {
        List<Path> bad = writeFolderWithThreeBadFiles();
        LoadedDataset d = ImageFolder.builder().setRoot(dir).optImageSize(4).optTestFraction(0)
                .optBadImages(BadImagePolicy.SKIP).build().load("x");
        assertEquals(6, d.train().size());
        assertArrayEquals(new int[] {3, 3}, d.train().classHistogram());
        assertEquals(3, d.skipped().size());
        for (int i = 0; i < 3; i++) {
            assertTrue(d.skipped().get(i).startsWith(bad.get(i).toString()), d.skipped().get(i));
        }
        for (int i = 0; i < d.train().size(); i++) {
            assertTrue(!bad.contains(Path.of(d.train().source(i))), d.train().source(i));
        }
        assertEquals(BadImagePolicy.SKIP, BadImagePolicy.parse("Skip"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BadImagePolicy.parse("skipp"));
        assertTrue(e.getMessage().contains("--bad-images") && e.getMessage().contains("skip"), e.getMessage());
    }

    @Test
    void trainAndTestSubfoldersMayHoldDifferentClasses() throws Exception {
        for (String c : List.of("cat", "dog")) {
            writeImage(dir.resolve("train/" + c + "/1.png"), "png", Color.RED);
            writeImage(dir.resolve("train/" + c + "/2.png"), "png", Color.RED);
        }
        for (String c : List.of("fox", "owl", "yak")) {
            writeImage(dir.resolve("test/" + c + "/1.png"), "png", Color.BLUE);
        }
        LoadedDataset d = ImageFolder.builder().setRoot(dir).optImageSize(4).build().load("x");
        assertEquals(List.of("cat", "dog"), d.train().classNames());
        assertEquals(List.of("fox", "owl", "yak"), d.test().classNames());
        assertTrue(!d.sameClasses());
        assertEquals(4, d.train().size());
        assertEquals(3, d.test().size());
        assertEquals("splits from its train/ and test/ sub-folders, whose classes differ", d.layout());
    }

    @Test
    void explainsWhatAFolderMustHold() throws Exception {
        writeClass(dir, "only", Color.RED, 2);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> ImageFolder.builder().setRoot(dir).build().load("x"));
        assertTrue(e.getMessage().contains("1 class sub-folders, expected at least 2"), e.getMessage());
        Files.createDirectories(dir.resolve("empty"));
        e = assertThrows(DatasetFormatException.class, () -> ImageFolder.builder().setRoot(dir).build().load("x"));
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("holds no .png"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.builder().setRoot(dir).optChannels(2).build());
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.builder().setRoot(dir).optTestFraction(1).build());
    }
}
