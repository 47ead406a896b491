package io.anglearn.serve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.anglearn.data.ImageDecodeException;
import io.anglearn.data.ImageDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzz targets (Jazzer) for what a client's bytes reach in the server: the image
 * decoder with the server's limits, {@code /verify}'s JSON, {@code /search}'s query string. The
 * property: parsed, or refused with the error the client gets (an {@link ImageDecodeException},
 * a {@link ServiceException} with a 4xx status); anything else is a finding.
 */
class ServeFuzzTargetsTest {

    private static final ImageDecoder DECODER = ImageDecoder.builder().setImageSize(32).setChannels(3)
            .optSideFactor(ImageDecoder.SERVER_SIDE_FACTOR).build();

    /** An uploaded image, decoded as /embed, /predict and /search decode it for a 32×32 network. */
    @FuzzTest(maxDuration = "3m")
    void imageUpload(byte[] data) {
        try {
            byte[] px = DECODER.decode(data, "the request body");
            if (px.length != 3 * 32 * 32) {
                throw new AssertionError("decoded to " + px.length + " bytes");
            }
        } catch (ImageDecodeException e) {
            if (!e.getMessage().contains("the request body")) {
                throw new AssertionError("a refusal that does not name the body: " + e.getMessage(), e);
            }
        }
    }

    /** A /verify body. */
    @FuzzTest(maxDuration = "2m")
    void verifyJson(byte[] data) {
        try {
            byte[][] ab = EmbeddingService.parseVerify(data);
            if (ab[0] == null || ab[1] == null) {
                throw new AssertionError("accepted without both images");
            }
        } catch (ServiceException e) {
            clientError(e);
        }
    }

    /** A /search query string. */
    @FuzzTest(maxDuration = "3m")
    void searchQuery(byte[] data) {
        try {
            SearchServer.searchQuery(new String(data, StandardCharsets.ISO_8859_1));
        } catch (ServiceException e) {
            clientError(e);
        }
    }

    private static void clientError(ServiceException e) {
        if (e.status() != 400 || e.getMessage() == null || e.getMessage().contains("Exception")) {
            throw new AssertionError("not a clean 400: " + e.status() + " " + e.getMessage(), e);
        }
    }
}
