package io.longshore.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A container (or process, or pod) a runtime runs or ran. Immutable.
 *
 * @param id        the runtime's id (Docker container id, {@code pid-<n>} for processes, a pod name)
 * @param endpoint  where it serves, or {@code null} while an
 *                  {@link ContainerRuntime.EndpointMode#ASSIGNED assigning} runtime does not know
 *                  it yet (it reports it later; see {@link #hasEndpoint()})
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
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /**
     * A container whose endpoint its runtime does not know yet: an
     * {@link ContainerRuntime.EndpointMode#ASSIGNED assigning} runtime reports it later.
     */
    public static ContainerInfo withoutEndpoint(String id, Map<String, String> labels, boolean running,
                                                Instant startedAt) {
        return new ContainerInfo(id, null, labels, running, startedAt);
    }

    /** Whether {@link #endpoint()} is known; always true for a runtime that takes the proposed endpoint. */
    public boolean hasEndpoint() {
        return endpoint != null;
    }

    /** This container with {@code endpoint}, once its runtime has assigned it. */
    public ContainerInfo withEndpoint(Endpoint endpoint) {
        return new ContainerInfo(id, Objects.requireNonNull(endpoint, "endpoint"), labels, running, startedAt);
    }
}
