package io.anglearn.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes one image (PNG, JPEG, BMP or GIF, and nothing else) from untrusted bytes into
 * a network input of {@code channels × size × size} bytes, planar (grey, or R, G, B planes), resized
 * (stretched, bilinear) as {@link ImageFolder} does for training.
 *
 * <p>Decoding is defensive, for images sent by anyone: only the JVM's PNG, JPEG, BMP and GIF
 * readers are used (ImageIO's other readers, TIFF and WBMP among them, trust sizes in their
 * headers and are refused as not an image), the header's size is checked before any
 * pixel is decoded (a forged 20 000 × 20 000 header or a decompression bomb is refused, not
 * allocated), a large image is decoded with source subsampling so that the decoded copy stays
 * between 2 and 4 times the target size per axis, and every decoder failure (truncated data,
 * unknown format, a decoder's own runtime exception) becomes an {@link ImageDecodeException} whose
 * {@link ImageDecodeException.Reason} says which of the three it was.
 *
 * <p>Options: the largest side accepted (default {@value #DEFAULT_MAX_SIDE} pixels), the most
 * pixels accepted (default {@value #DEFAULT_MAX_PIXELS}), and a limit tied to the target size: at
 * most {@code factor × size} pixels on a side (default none; a server uses
 * {@value #SERVER_SIDE_FACTOR}), since even with subsampling every source pixel is decompressed,
 * and an image far larger than the network's input costs time without adding information.
 */
public final class ImageDecoder {

    /** Default largest side accepted, in pixels. */
    public static final int DEFAULT_MAX_SIDE = 16_384;
    /** Default largest image accepted, in pixels (width × height). */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    /** The side factor a server uses: images up to 128 times the network's input side per axis. */
    public static final int SERVER_SIDE_FACTOR = 128;
    /** The formats decoded, as ImageIO's readers name them (lower case). */
    public static final Set<String> FORMATS = Set.of("png", "jpeg", "bmp", "gif");

    private final int size;
    private final int channels;
    private final int maxSide;
    private final long maxPixels;

    private ImageDecoder(Builder b) {
        size = b.size;
        channels = b.channels;
        long side = b.maxSide;
        long pixels = b.maxPixels;
        if (b.sideFactor > 0) {
            long tied = (long) b.sideFactor * size;
            side = Math.min(side, tied);
            pixels = Math.min(pixels, tied * tied);
        }
        maxSide = (int) side;
        maxPixels = pixels;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the side images are resized to. */
    public int imageSize() {
        return size;
    }

    /** Returns the most pixels accepted (the tighter of the absolute and the side-factor limit). */
    public long maxPixels() {
        return maxPixels;
    }

    /** Returns the channels of the decoded images: 1 (grey) or 3 (RGB). */
    public int channels() {
        return channels;
    }

    /**
     * Decodes an image file.
     *
     * @param file the file
     * @return {@code channels × size × size} bytes, planar
     * @throws IOException if the file cannot be read; {@link ImageDecodeException} if it is no
     *     acceptable image (the message names the file)
     */
    public byte[] decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " does not exist or is not a file");
        }
        if (Files.size(file) == 0) {
            throw empty(file.toString());
        }
        // Read from the file as the decoder asks, rather than all of it into memory first: a large
        // file costs only what its (checked) dimensions allow.
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            return decode(in, file.toString());
        }
    }

    /**
     * Decodes an image held in memory.
     *
     * @param data the encoded image
     * @param name what to call it in messages (a file name, "the request body")
     * @return {@code channels × size × size} bytes, planar
     * @throws ImageDecodeException if it is no acceptable image
     */
    public byte[] decode(byte[] data, String name) throws ImageDecodeException {
        if (data.length == 0) {
            throw empty(name);
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            return decode(in, name);
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageDecodeException(ImageDecodeException.Reason.DAMAGED, name + " cannot be read ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads only the header of an image held in memory: its declared width × height, cheaply (no
     * pixel is decoded), for deciding how to schedule its decoding.
     *
     * @param data the encoded image
     * @return the declared pixels, or -1 when the bytes are no readable PNG, JPEG, BMP or GIF header
     */
    public static long declaredPixels(byte[] data) {
        if (data.length == 0) {
            return -1;
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            for (Iterator<ImageReader> readers = ImageIO.getImageReaders(in); readers.hasNext(); ) {
                ImageReader r = readers.next();
                try {
                    if (FORMATS.contains(formatName(r).toLowerCase(Locale.ROOT))) {
                        r.setInput(in, true, true);
                        return (long) r.getWidth(0) * r.getHeight(0);
                    }
                } finally {
                    r.dispose();
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static ImageDecodeException empty(String name) {
        return new ImageDecodeException(ImageDecodeException.Reason.NOT_AN_IMAGE, name + " is empty; expected a PNG,"
                + " JPEG, BMP or GIF image", null);
    }

    private byte[] decode(ImageInputStream in, String name) throws IOException {
        BufferedImage src;
        ImageReader reader = null;
        String refused = null;
        for (Iterator<ImageReader> readers = ImageIO.getImageReaders(in); readers.hasNext(); ) {
            ImageReader r = readers.next();
            String format = formatName(r).toLowerCase(Locale.ROOT);
            if (reader == null && FORMATS.contains(format)) {
                reader = r;
            } else {
                if (refused == null) {
                    refused = format;
                }
                r.dispose();
            }
        }
        if (reader == null) {
            throw new ImageDecodeException(ImageDecodeException.Reason.NOT_AN_IMAGE, name
                    + (refused == null ? " is not an image this decoder reads (expected PNG, JPEG, BMP or GIF)"
                            : " is a " + refused.toUpperCase(Locale.ROOT) + " image; this decoder reads PNG, JPEG, BMP"
                                    + " or GIF only"), null);
        }
        try {
            reader.setInput(in, true, true);
            long w;
            long h;
            try {
                w = reader.getWidth(0);
                h = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw new ImageDecodeException(ImageDecodeException.Reason.DAMAGED, name + ": the "
                        + reader.getFormatName() + " header cannot be read (" + e.getMessage() + ")", e);
            }
            if (w <= 0 || h <= 0 || w > maxSide || h > maxSide || w * h > maxPixels) {
                throw new ImageDecodeException(ImageDecodeException.Reason.TOO_LARGE, name + " declares " + w + "x" + h
                        + " pixels; at most " + maxSide + " on a side and " + maxPixels + " in all are accepted", null);
            }
            // Decode only every k-th row and column of a large image: the decoded copy is then
            // between 2 and 4 times the target size per axis, enough for the bilinear resize.
            ImageReadParam param = reader.getDefaultReadParam();
            int kx = (int) Math.max(1, w / (2L * size));
            int ky = (int) Math.max(1, h / (2L * size));
            if (kx > 1 || ky > 1) {
                param.setSourceSubsampling(kx, ky, 0, 0);
            }
            src = reader.read(0, param);
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(ImageDecodeException.Reason.DAMAGED, name + ": the "
                    + formatName(reader) + " data is truncated or corrupt (" + e.getMessage() + ")", e);
        } catch (OutOfMemoryError e) {
            // The readers allowed allocate what the checked header declares; should one still ask
            // for more than the heap has, that allocation failed alone and is garbage now.
            throw new ImageDecodeException(ImageDecodeException.Reason.TOO_LARGE, name
                    + " needs more memory to decode than is available", null);
        } finally {
            reader.dispose();
        }
        if (src == null) {
            throw new ImageDecodeException(ImageDecodeException.Reason.DAMAGED, name + " holds no image", null);
        }
        return resize(src);
    }

    private static String formatName(ImageReader reader) {
        try {
            return reader.getFormatName();
        } catch (IOException e) {
            return "image";
        }
    }

    private byte[] resize(BufferedImage src) {
        BufferedImage dst = new BufferedImage(size, size,
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, size, size, null);
        } finally {
            g.dispose();
        }
        int plane = size * size;
        byte[] out = new byte[channels * plane];
        if (channels == 1) {
            byte[] grey = (byte[]) dst.getRaster().getDataElements(0, 0, size, size, null);
            System.arraycopy(grey, 0, out, 0, plane);
        } else {
            int[] rgb = dst.getRGB(0, 0, size, size, null, 0, size);
            for (int p = 0; p < plane; p++) {
                int v = rgb[p];
                out[p] = (byte) (v >>> 16);
                out[plane + p] = (byte) (v >>> 8);
                out[2 * plane + p] = (byte) v;
            }
        }
        return out;
    }

    /** Builds an {@link ImageDecoder}; {@code setX} are required, {@code optX} optional. */
    public static final class Builder {
        private int size;
        private int channels;
        private int maxSide = DEFAULT_MAX_SIDE;
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private int sideFactor;

        /** Sets the side images are resized to (required; 4..1024). */
        public Builder setImageSize(int size) {
            this.size = size;
            return this;
        }

        /** Sets the channels: 1 for grey, 3 for RGB (required). */
        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** Sets the largest side accepted, in pixels (default {@value ImageDecoder#DEFAULT_MAX_SIDE}). */
        public Builder optMaxSide(int maxSide) {
            this.maxSide = maxSide;
            return this;
        }

        /** Sets the most pixels accepted (default {@value ImageDecoder#DEFAULT_MAX_PIXELS}). */
        public Builder optMaxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        /**
         * Limits images to {@code factor × size} pixels per side as well (default 0: no such limit;
         * {@link ImageDecoder#SERVER_SIDE_FACTOR} for a server).
         */
        public Builder optSideFactor(int factor) {
            this.sideFactor = factor;
            return this;
        }

        /** Validates and builds. */
        public ImageDecoder build() {
            if (sideFactor < 0 || sideFactor > 65_536) {
                throw new IllegalArgumentException("the side factor must be in 0..65536, got " + sideFactor);
            }
            if (size < 4 || size > 1024) {
                throw new IllegalArgumentException("image size must be in 4..1024, got " + size);
            }
            if (channels != 1 && channels != 3) {
                throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
            }
            if (maxSide < 1 || maxPixels < 1) {
                throw new IllegalArgumentException("the image limits must be positive, got side " + maxSide
                        + " and pixels " + maxPixels);
            }
            return new ImageDecoder(this);
        }
    }
}
