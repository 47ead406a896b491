package io.anglearn.data;

import java.io.IOException;

/**
 * An image that {@link ImageDecoder} refused, with the reason as a kind (so a server can answer
 * with the right status) and a message that names the image and says what was expected.
 */
public final class ImageDecodeException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why an image was refused. */
    public enum Reason {
        /** The bytes are no image format the JVM can decode (or are empty). */
        NOT_AN_IMAGE,
        /** The image declares more pixels than the decoder accepts (a forged header or a decompression bomb). */
        TOO_LARGE,
        /** The format was recognised but the data is truncated or corrupt. */
        DAMAGED
    }

    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the image was refused
     * @param message the message, naming the image
     * @param cause the decoder's exception, or null
     */
    public ImageDecodeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Returns why the image was refused. */
    public Reason reason() {
        return reason;
    }
}
