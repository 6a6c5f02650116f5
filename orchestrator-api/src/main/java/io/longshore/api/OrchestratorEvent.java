package io.longshore.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything an orchestrator tells its listeners. Each event is an immutable record carrying
 * the time it happened and the service it concerns; replica events also carry the replica
 * id, its container id (empty while none exists) and its port.
 */
public sealed interface OrchestratorEvent {

    Instant at();

    String service();

    /** The event's name as the admin API and logs show it, e.g. {@code ReplicaStarted}. */
    default String type() {
        return getClass().getSimpleName();
    }

    /** Events about one replica. */
    sealed interface ReplicaEvent extends OrchestratorEvent {
        String replicaId();

        String containerId();

        int port();
    }

    /** A replica is being started (first start, replacement, or scale-out). */
    record ReplicaStarting(Instant at, String service, String replicaId, String containerId,
                           int port, String reason) implements ReplicaEvent { }

    /** The runtime started a replica's container; probes decide when it is ready. */
    record ReplicaStarted(Instant at, String service, String replicaId, String containerId,
                          int port) implements ReplicaEvent { }

    /**
     * A runtime that assigns endpoints ({@link ContainerRuntime.EndpointMode#ASSIGNED}) said where
     * a replica serves; it is probed, and routed once ready, from now on. {@code port} is the
     * replica's slot, {@code endpoint} where it serves.
     */
    record ReplicaEndpointAssigned(Instant at, String service, String replicaId, String containerId,
                                   int port, Endpoint endpoint) implements ReplicaEvent { }

    /** A container found running at start-up was taken over instead of starting a new one. */
    record ReplicaAdopted(Instant at, String service, String replicaId, String containerId,
                          int port) implements ReplicaEvent { }

    /** The runtime could not start a replica; it is retried after {@code retryIn}. */
    record ReplicaStartFailed(Instant at, String service, String replicaId, String containerId,
                              int port, String error, Duration retryIn) implements ReplicaEvent { }

    /** A replica passed enough probes and receives traffic. */
    record ReplicaReady(Instant at, String service, String replicaId, String containerId,
                        int port) implements ReplicaEvent { }

    /** A probe result changed a replica's health. */
    record ReplicaHealthChanged(Instant at, String service, String replicaId, String containerId,
                                int port, boolean healthy, String reason) implements ReplicaEvent { }

    /** A replica stopped receiving traffic for {@code duration} (probe failure or outliers). */
    record ReplicaEjected(Instant at, String service, String replicaId, String containerId,
                          int port, String reason, Duration duration) implements ReplicaEvent { }

    /** An ejected replica receives traffic again. */
    record ReplicaReadmitted(Instant at, String service, String replicaId, String containerId,
                             int port) implements ReplicaEvent { }

    /** A replica's process or container exited without being asked to. */
    record ReplicaExited(Instant at, String service, String replicaId, String containerId,
                         int port, int exitCode, boolean oomKilled) implements ReplicaEvent { }

    /** A replica stopped receiving new requests and waits for its in-flight ones. */
    record ReplicaDraining(Instant at, String service, String replicaId, String containerId,
                           int port, String reason) implements ReplicaEvent { }

    /**
     * A replica is being stopped: the runtime gets {@code grace} between the polite signal and the
     * kill. The grace is the spec's stop grace after a drain, and zero for a replica that crashed,
     * failed its probes (it cannot drain) or was replaced by request.
     */
    record ReplicaStopping(Instant at, String service, String replicaId, String containerId,
                           int port, String reason, Duration grace) implements ReplicaEvent { }

    /** A replica was stopped and removed. */
    record ReplicaStopped(Instant at, String service, String replicaId, String containerId,
                          int port, String reason) implements ReplicaEvent { }

    /**
     * Events about a rollout, the replacement of the replicas of one spec by those of another:
     * {@code fromSpec} and {@code toSpec} are the two specs' hashes (the {@code io.longshore.spec-hash}
     * label of their replicas).
     */
    sealed interface RolloutEvent extends OrchestratorEvent {
        String fromSpec();

        String toSpec();
    }

    /** A rollout began: replicas of {@code toSpec} start beside those of {@code fromSpec}. */
    record RolloutStarted(Instant at, String service, String fromSpec, String toSpec, String reason)
            implements RolloutEvent { }

    /**
     * One more (or one fewer) replica of {@code toSpec} is available: ready, and ready for the
     * rollout's {@code minReady}. {@code updated} of {@code total} (the desired count) are.
     */
    record RolloutProgressed(Instant at, String service, String fromSpec, String toSpec, int updated, int total)
            implements RolloutEvent { }

    /** A rollout was paused: no replica is replaced until it is resumed (scaling goes on). */
    record RolloutPaused(Instant at, String service, String fromSpec, String toSpec, String reason)
            implements RolloutEvent { }

    /** A paused rollout goes on. */
    record RolloutResumed(Instant at, String service, String fromSpec, String toSpec, String reason)
            implements RolloutEvent { }

    /** Every replica runs {@code toSpec}, is available, and none of another spec is left. */
    record RolloutCompleted(Instant at, String service, String fromSpec, String toSpec, int total)
            implements RolloutEvent { }

    /**
     * A rollout was given up, for {@code reason} (progress deadline, crash loop, or by request):
     * {@code fromSpec} is the desired spec again; the replicas of {@code toSpec} are drained as
     * replicas of {@code fromSpec} take their place.
     */
    record RolloutRolledBack(Instant at, String service, String fromSpec, String toSpec, String reason)
            implements RolloutEvent { }

    /** The desired replica count changed. */
    record Scaled(Instant at, String service, int from, int to, String reason)
            implements OrchestratorEvent { }

    /**
     * The scaling policy decided, at a tick or at once because requests waited without room
     * ({@code trigger} {@code tick} or {@code waiting}), with what it decided from: the metric it
     * tracks, its observed total, its target per replica, the window and mode it decided on, its
     * recommendation before the limits, and the limits that changed it ({@code clamps}). {@code from}
     * and {@code to} are the desired count before and after; they are equal when nothing changed.
     * Listeners get every decision; the recent-events ring keeps those that changed the count or the mode.
     */
    record ScalingDecided(Instant at, String service, String policy, String trigger, int from, int to,
                          String metric, double observed, double target, Duration window, String mode,
                          int recommendation, List<String> clamps) implements OrchestratorEvent {
        public ScalingDecided {
            clamps = List.copyOf(clamps);
        }
    }

    /**
     * A cold start ended: requests were held by a gateway while no replica was routable, and the
     * first of them got its first response byte {@code took} after the first was held;
     * {@code held} requests were waiting then.
     */
    record ColdStarted(Instant at, String service, Duration took, int held) implements OrchestratorEvent { }

    /** User code (strategy, probe, policy, listener) threw; the loop went on without it. */
    record UserCodeFailed(Instant at, String service, String component, String error)
            implements OrchestratorEvent { }
}
