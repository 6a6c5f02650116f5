package io.longshore.api;

/**
 * Where a replica is in its life, as the admin API shows it. The orchestrator tracks finer
 * states (see {@code docs/core.md}, "The replica state machine"); each maps to one of these.
 */
public enum ReplicaState {
    /**
     * Started (or being started, waiting for a restart backoff, waiting for the runtime to assign
     * its endpoint, or adopted and not yet probed) but not yet passing its probes.
     */
    STARTING,
    /** Passing its probes and routable. */
    READY,
    /** Failing probes, or ejected for failing requests: not routed to, about to be readmitted or replaced. */
    UNHEALTHY,
    /** Leaving: no longer routed to; waiting for its in-flight requests, or being stopped. */
    DRAINING,
    /** Stopped; kept only for the record. */
    STOPPED
}
