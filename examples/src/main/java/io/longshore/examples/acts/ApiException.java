package io.longshore.examples.acts;

/** A request the acts service refuses: carries the HTTP status and a message for the client. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
