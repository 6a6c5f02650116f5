package io.longshore.api;

/** Root of every exception Longshore throws. Unchecked. */
public class OrchestratorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OrchestratorException(String message) {
        super(message);
    }

    public OrchestratorException(String message, Throwable cause) {
        super(message, cause);
    }
}
