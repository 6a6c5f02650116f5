package io.longshore.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Something a runtime saw happen to one of its containers without being asked. Immutable.
 *
 * @param containerId the container
 * @param kind        what happened
 * @param exitCode    the exit code, or -1 when unknown
 * @param at          when the runtime saw it
 */
public record RuntimeEvent(String containerId, Kind kind, int exitCode, Instant at) {

    /** What happened to a container. */
    public enum Kind {
        /** The container's main process exited (crash, kill, or normal exit). */
        EXITED,
        /** The container was killed by the kernel for exceeding its memory limit. */
        OOM_KILLED
    }

    public RuntimeEvent {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
    }
}
