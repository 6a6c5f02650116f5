package io.longshore.api;

/** Where a replica is in its life, as the admin API shows it. */
public enum ReplicaState {
    /** Started (or being started, or waiting for a restart backoff) but not yet passing its probes. */
    STARTING,
    /** Passing its probes and routable. */
    READY,
    /** Failing probes or ejected: not routed to, about to be readmitted or replaced. */
    UNHEALTHY,
    /** No longer routed to; waiting for its in-flight requests before it stops. */
    DRAINING,
    /** Stopped; kept only for the record. */
    STOPPED
}
