package io.longshore.core;

import io.longshore.api.Endpoint;
import io.longshore.api.ReplicaState;
import java.time.Instant;
import java.util.Objects;

/**
 * One replica as the admin API shows it. Immutable.
 *
 * @param id          the replica id
 * @param containerId the runtime's container id, empty while none exists
 * @param port        the replica's slot: the port it serves on with a runtime that takes the
 *                    proposed endpoint (process, Docker), the slot's number with one that assigns
 *                    endpoints (see {@code endpoint})
 * @param state       where it is in its life
 * @param healthy     whether its last probes passed
 * @param requests    requests routed to it since it started
 * @param inFlight    requests in flight now
 * @param startedAt   when its container started, {@code null} while none exists
 * @param restarts    how many times a replica on this port was restarted
 * @param endpoint    where it serves, {@code null} while that is not known (not started yet, or a
 *                    runtime that assigns endpoints has not reported it yet); it is neither
 *                    probed nor routed before
 * @param specHash    the hash of the spec it runs (its {@code io.longshore.spec-hash} label; the
 *                    {@code fromSpec}/{@code toSpec} of a rollout), empty when not known
 */
public record ReplicaView(String id, String containerId, int port, ReplicaState state,
                          boolean healthy, long requests, int inFlight, Instant startedAt,
                          int restarts, Endpoint endpoint, String specHash) {
    public ReplicaView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(specHash, "specHash");
    }

    /** A view without a known spec hash. */
    public ReplicaView(String id, String containerId, int port, ReplicaState state, boolean healthy,
                       long requests, int inFlight, Instant startedAt, int restarts, Endpoint endpoint) {
        this(id, containerId, port, state, healthy, requests, inFlight, startedAt, restarts, endpoint, "");
    }

    /** A view without a known endpoint. */
    public ReplicaView(String id, String containerId, int port, ReplicaState state, boolean healthy,
                       long requests, int inFlight, Instant startedAt, int restarts) {
        this(id, containerId, port, state, healthy, requests, inFlight, startedAt, restarts, null, "");
    }

    /** This view with live request figures. */
    ReplicaView withLoad(long requests, int inFlight) {
        return new ReplicaView(id, containerId, port, state, healthy, requests, inFlight, startedAt, restarts, endpoint,
                specHash);
    }
}
