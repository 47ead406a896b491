package io.anglearn.engine;

/** Thrown when the PyTorch native library cannot be loaded; its message is one readable line. */
public class NativeLibraryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message a one-line explanation and remedy
     * @param cause the underlying failure
     */
    public NativeLibraryException(String message, Throwable cause) {
        super(message, cause);
    }
}
