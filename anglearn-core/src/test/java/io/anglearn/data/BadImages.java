package io.anglearn.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;

/** Images that a decoder must refuse, and good ones, as bytes for tests of decoders and servers. */
public final class BadImages {

    private BadImages() {}

    /** A valid PNG of one colour. */
    public static byte[] solidPng(int w, int h, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /**
     * A decompression bomb: a valid, complete grey PNG of {@code side × side} black pixels whose
     * file is tiny (the zero rows compress about a thousandfold).
     */
    public static byte[] bombPng(int side) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            byte[] row = new byte[side + 1]; // filter byte 0, then the row
            for (int y = 0; y < side; y++) {
                z.write(row);
            }
        }
        return png(side, side, idat.toByteArray(), true);
    }

    /** A PNG whose header declares {@code w × h} pixels but whose data is a few bytes. */
    public static byte[] forgedHeaderPng(int w, int h) throws IOException {
        return png(w, h, new byte[] {0x78, (byte) 0x9c, 0x63, 0x00}, false);
    }

    /** A valid PNG cut off in its image data. */
    public static byte[] truncatedPng() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(3);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, r.nextInt());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        byte[] full = out.toByteArray();
        return Arrays.copyOf(full, full.length / 2);
    }

    /** Bytes that are no image. */
    public static byte[] notAnImage() {
        return "this is a text file, not a picture\n".getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A TIFF of under 200 bytes whose single strip claims 0x7ffffff0 bytes: ImageIO's TIFF reader
     * allocates the claimed count (about 2 GiB) before reading the strip.
     */
    public static byte[] tiffBomb() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(188).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        int[][] entries = {
            {256, 4, 16384}, // width
            {257, 4, 3000}, // height
            {258, 3, 8}, // bits per sample
            {259, 3, 8}, // deflate
            {262, 3, 1}, // black is zero
            {273, 4, 122}, // the strip's offset
            {277, 3, 1}, // samples per pixel
            {278, 4, 3000}, // rows per strip
            {279, 4, 0x7ffffff0}, // the strip's byte count: forged
        };
        b.putShort((short) entries.length);
        for (int[] e : entries) {
            b.putShort((short) e[0]).putShort((short) e[1]).putInt(1);
            if (e[1] == 3) {
                b.putShort((short) e[2]).putShort((short) 0);
            } else {
                b.putInt(e[2]);
            }
        }
        b.putInt(0); // no next IFD
        b.put(new byte[] {0x78, (byte) 0x9c, 0x63, 0x60, 0x18, 0x05, (byte) 0xa3, 0x60, 0x14, 0x0c, 0x77, 0x00, 0x00});
        return b.array();
    }

    /** A WBMP (a format ImageIO reads but the decoder must not) of 8×8 pixels. */
    public static byte[] wbmp() throws IOException {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "wbmp", out);
        return out.toByteArray();
    }

    /**
     * A 16-bit RGBA PNG of {@code w × h} whose rows compress well but cost real work to decode
     * (a byte pattern that varies along the row, the same on every row, filter "up").
     */
    public static byte[] heavyPng(int w, int h) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            byte[] first = new byte[1 + 8 * w];
            for (int i = 1; i < first.length; i++) {
                first[i] = (byte) (i * 31 + (i >> 7));
            }
            z.write(first);
            byte[] up = new byte[1 + 8 * w];
            up[0] = 2; // filter "up": every later row repeats the first
            for (int y = 1; y < h; y++) {
                z.write(up);
            }
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.writeByte(16); // bit depth
        d.writeByte(6); // RGBA
        d.writeByte(0);
        d.writeByte(0);
        d.writeByte(0);
        chunk(b, "IHDR", ihdr.toByteArray());
        chunk(b, "IDAT", idat.toByteArray());
        chunk(b, "IEND", new byte[0]);
        return b.toByteArray();
    }

    private static byte[] png(int w, int h, byte[] idat, boolean end) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.writeByte(8); // bit depth
        d.writeByte(0); // grey
        d.writeByte(0);
        d.writeByte(0);
        d.writeByte(0);
        chunk(b, "IHDR", ihdr.toByteArray());
        chunk(b, "IDAT", idat);
        if (end) {
            chunk(b, "IEND", new byte[0]);
        }
        return b.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream b, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
