package io.longshore.core;

import io.longshore.api.ReplicaState;
import java.time.Instant;
import java.util.Objects;

/**
 * One replica as the admin API shows it. Immutable.
 *
 * @param id          the replica id
 * @param containerId the runtime's container id, empty while none exists
 * @param port        the port it serves on
 * @param state       where it is in its life
 * @param healthy     whether its last probes passed
 * @param requests    requests routed to it since it started
 * @param inFlight    requests in flight now
 * @param startedAt   when its container started, {@code null} while none exists
 * @param restarts    how many times a replica on this port was restarted
 */
public record ReplicaView(String id, String containerId, int port, ReplicaState state,
                          boolean healthy, long requests, int inFlight, Instant startedAt,
                          int restarts) {
    public ReplicaView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(state, "state");
    }
}
