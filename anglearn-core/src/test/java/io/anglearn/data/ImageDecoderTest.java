package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Untrusted image bytes: good ones decode to the right pixels, bad ones are refused with the reason. */
class ImageDecoderTest {

    private final ImageDecoder rgb = ImageDecoder.builder().setImageSize(8).setChannels(3).build();
    private final ImageDecoder grey = ImageDecoder.builder().setImageSize(8).setChannels(1).build();

    @Test
    void aSolidImageDecodesToItsColourInPlanarOrder() throws Exception {
        byte[] px = rgb.decode(BadImages.solidPng(20, 12, 0x336699), "solid");
        assertEquals(3 * 64, px.length);
        for (int p = 0; p < 64; p++) {
            assertEquals(0x33, px[p] & 0xFF);
            assertEquals(0x66, px[64 + p] & 0xFF);
            assertEquals(0x99, px[128 + p] & 0xFF);
        }
        byte[] g = grey.decode(BadImages.solidPng(8, 8, 0x808080), "grey");
        assertEquals(64, g.length);
        for (byte b : g) {
            assertEquals(0x80, b & 0xFF);
        }
    }

    @Test
    void aLargeImageIsSubsampledNotRefused() throws Exception {
        byte[] px = rgb.decode(BadImages.solidPng(3000, 2000, 0xff0000), "large");
        assertEquals(0xff, px[0] & 0xFF);
        assertEquals(0, px[64] & 0xFF);
    }

    @Test
    void badImagesAreRefusedWithTheirReason() throws Exception {
        assertReason(ImageDecodeException.Reason.TOO_LARGE, BadImages.forgedHeaderPng(20_000, 20_000), "declares 20000x20000");
        assertReason(ImageDecodeException.Reason.TOO_LARGE, BadImages.bombPng(8000), "declares 8000x8000");
        assertReason(ImageDecodeException.Reason.DAMAGED, BadImages.truncatedPng(), "truncated or corrupt");
        assertReason(ImageDecodeException.Reason.NOT_AN_IMAGE, BadImages.notAnImage(), "not an image");
        assertReason(ImageDecodeException.Reason.NOT_AN_IMAGE, new byte[0], "is empty");
    }

    @Test
    void theBombIsACompleteImageTheLimitsAloneStop() throws Exception {
        byte[] bomb = BadImages.bombPng(8000);
        assertTrue(bomb.length < 100_000, "the bomb is small: " + bomb.length);
        ImageDecoder lenient = ImageDecoder.builder().setImageSize(8).setChannels(1).optMaxPixels(100_000_000L).build();
        byte[] px = lenient.decode(bomb, "bomb");
        assertEquals(0, px[0]); // decoded (subsampled) without holding 64 MB of pixels
    }

    @Test
    void formatsOutsideTheAllowListAreNotImagesEvenWhenImageIoReadsThem() throws Exception {
        // ImageIO's TIFF reader allocates the forged strip byte count (about 2 GiB) of this 188-byte file.
        byte[] tiff = BadImages.tiffBomb();
        assertEquals(188, tiff.length);
        assertReason(ImageDecodeException.Reason.NOT_AN_IMAGE, tiff, "a TIF image");
        assertReason(ImageDecodeException.Reason.NOT_AN_IMAGE, BadImages.wbmp(), "PNG, JPEG, BMP or GIF only");
    }

    @Test
    void theSideFactorTiesTheLimitToTheTargetSize() throws Exception {
        ImageDecoder served = ImageDecoder.builder().setImageSize(8).setChannels(3)
                .optSideFactor(ImageDecoder.SERVER_SIDE_FACTOR).build();
        // 16384 x 3051 is within the absolute limits but 16 times what an 8-pixel input can use per side.
        byte[] wide = BadImages.forgedHeaderPng(16_384, 3051);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> served.decode(wide, "wide.png"));
        assertEquals(ImageDecodeException.Reason.TOO_LARGE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("at most 1024 on a side"), e.getMessage());
        assertEquals(3 * 64, served.decode(BadImages.solidPng(1024, 600, 0x102030), "fits.png").length);
    }

    private void assertReason(ImageDecodeException.Reason reason, byte[] data, String fragment) {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> rgb.decode(data, "upload.png"));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("upload.png") && e.getMessage().contains(fragment), e.getMessage());
    }
}
