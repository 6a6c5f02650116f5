package io.longshore.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A container (or process) a runtime runs or ran. Immutable.
 *
 * @param id        the runtime's id (Docker container id, or {@code pid-<n>} for processes)
 * @param endpoint  where it serves
 * @param labels    every label it carries, including the orchestrator's
 * @param running   whether it is still running when this value was read
 * @param startedAt when it was started
 */
public record ContainerInfo(String id, Endpoint endpoint, Map<String, String> labels,
                            boolean running, Instant startedAt) {
    public ContainerInfo {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        Objects.requireNonNull(endpoint, "endpoint");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
