package io.longshore.api;

/** A runtime could not start, stop or inspect a container. Carries the container id when known. */
public class ContainerRuntimeException extends OrchestratorException {
    private static final long serialVersionUID = 1L;
    private final String containerId;

    public ContainerRuntimeException(String containerId, String message, Throwable cause) {
        super(containerId == null ? message : message + " [container " + containerId + "]", cause);
        this.containerId = containerId;
    }

    public ContainerRuntimeException(String message, Throwable cause) {
        this(null, message, cause);
    }

    public ContainerRuntimeException(String message) {
        this(null, message, null);
    }

    /** The container concerned, or {@code null} when none was created yet. */
    public String containerId() {
        return containerId;
    }
}
