package io.longshore.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Something a runtime saw happen to one of its containers without being asked. Immutable.
 *
 * @param containerId the container
 * @param kind        what happened
 * @param exitCode    the exit code, or -1 when unknown or not an exit
 * @param at          when the runtime saw it
 * @param endpoint    the endpoint assigned, for {@link Kind#ENDPOINT_ASSIGNED} only; {@code null}
 *                    for every other kind
 */
public record RuntimeEvent(String containerId, Kind kind, int exitCode, Instant at, Endpoint endpoint) {

    /** What happened to a container. */
    public enum Kind {
        /** The container's main process exited (crash, kill, or normal exit). */
        EXITED,
        /** The container was killed by the kernel for exceeding its memory limit. */
        OOM_KILLED,
        /**
         * An {@link ContainerRuntime.EndpointMode#ASSIGNED assigning} runtime learned where the
         * container serves (a pod's IP once the pod runs). Reported once per container.
         */
        ENDPOINT_ASSIGNED
    }

    public RuntimeEvent {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        if ((kind == Kind.ENDPOINT_ASSIGNED) != (endpoint != null)) {
            throw new IllegalArgumentException("an endpoint comes with " + Kind.ENDPOINT_ASSIGNED
                    + " events and only with them; was " + kind + " with " + endpoint);
        }
    }

    /** An exit ({@link Kind#EXITED} or {@link Kind#OOM_KILLED}). */
    public RuntimeEvent(String containerId, Kind kind, int exitCode, Instant at) {
        this(containerId, kind, exitCode, at, null);
    }

    /** The runtime assigned {@code endpoint} to {@code containerId}. */
    public static RuntimeEvent endpointAssigned(String containerId, Endpoint endpoint, Instant at) {
        return new RuntimeEvent(containerId, Kind.ENDPOINT_ASSIGNED, -1, at, Objects.requireNonNull(endpoint, "endpoint"));
    }

    /** Whether the container is gone ({@link Kind#EXITED} or {@link Kind#OOM_KILLED}). */
    public boolean isExit() {
        return kind == Kind.EXITED || kind == Kind.OOM_KILLED;
    }
}
