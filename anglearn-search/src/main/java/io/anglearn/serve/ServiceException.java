package io.anglearn.serve;

/**
 * A request the service refuses, with the HTTP status to answer and a message for the client that
 * says what was wrong and what is expected.
 */
public final class ServiceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the exception.
     *
     * @param status the HTTP status, 4xx for the client's mistakes
     * @param message what was wrong
     */
    public ServiceException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * Creates the exception with a cause.
     *
     * @param status the HTTP status
     * @param message what was wrong
     * @param cause the underlying failure
     */
    public ServiceException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** Returns the HTTP status. */
    public int status() {
        return status;
    }
}
