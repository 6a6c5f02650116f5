package io.longshore.examples.acts;

import java.util.List;

/**
 * A request the acts service refuses: carries the HTTP status, a message for the client and, for
 * a 405, the methods the resource allows (its {@code Allow} header).
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> allowed;

    ApiException(int status, String message) {
        this(status, message, List.of());
    }

    private ApiException(int status, String message, List<String> allowed) {
        super(message);
        this.status = status;
        this.allowed = List.copyOf(allowed);
    }

    /** A 405 for {@code method}, naming the methods the resource allows. */
    static ApiException methodNotAllowed(String method, List<String> allowed) {
        return new ApiException(405, "method " + method + " not allowed; use " + String.join(" or ", allowed),
                allowed);
    }

    int status() {
        return status;
    }

    /** The methods the resource allows; empty unless this is a 405. */
    List<String> allowed() {
        return allowed;
    }
}
