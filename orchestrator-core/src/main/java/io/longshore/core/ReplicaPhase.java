package io.longshore.core;

import io.longshore.api.ReplicaState;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The states of the replica state machine and the transitions allowed between them (the table
 * in {@code docs/core.md}). {@link Replica} moves only along these edges and throws on any other.
 * Each state maps to the coarser {@link ReplicaState} the admin API shows. Immutable.
 */
enum ReplicaPhase {
    /** Created, not yet launched. */
    NEW(ReplicaState.STARTING),
    /** Waiting out a restart backoff (after a failed start, or before a replacement). */
    BACKOFF(ReplicaState.STARTING),
    /** The runtime's {@code start} is under way. */
    LAUNCHING(ReplicaState.STARTING),
    /** Started by a runtime that assigns endpoints; waiting for it to say where the replica serves. */
    AWAITING_ENDPOINT(ReplicaState.STARTING),
    /** Running and probed; not yet passing {@code rise} probes. */
    STARTING(ReplicaState.STARTING),
    /** Found running at start-up and taken over; one passing probe makes it ready. */
    ADOPTED(ReplicaState.STARTING),
    /** Passing its probes and routed. */
    READY(ReplicaState.READY),
    /** Ejected for failing requests (passive outlier detection) until its ejection ends. */
    EJECTED(ReplicaState.UNHEALTHY),
    /** Failed a probe after being ready; {@code rise} passes readmit it, {@code fall} failures replace it. */
    UNHEALTHY(ReplicaState.UNHEALTHY),
    /** Unrouted; waiting for its requests in flight (up to the drain timeout). */
    DRAINING(ReplicaState.DRAINING),
    /** Being stopped (or to be stopped as soon as its start returns). */
    STOPPING(ReplicaState.DRAINING),
    /** Gone: stopped, or abandoned before it ever ran. Final. */
    STOPPED(ReplicaState.STOPPED);

    private static final Map<ReplicaPhase, Set<ReplicaPhase>> NEXT = transitions();

    private final ReplicaState view;

    ReplicaPhase(ReplicaState view) {
        this.view = view;
    }

    private static Map<ReplicaPhase, Set<ReplicaPhase>> transitions() {
        Map<ReplicaPhase, Set<ReplicaPhase>> next = new EnumMap<>(ReplicaPhase.class);
        next.put(NEW, EnumSet.of(BACKOFF, LAUNCHING, ADOPTED, STOPPING));
        next.put(BACKOFF, EnumSet.of(LAUNCHING, STOPPED));
        next.put(LAUNCHING, EnumSet.of(AWAITING_ENDPOINT, STARTING, BACKOFF, STOPPING));
        next.put(AWAITING_ENDPOINT, EnumSet.of(STARTING, STOPPING));
        next.put(STARTING, EnumSet.of(READY, DRAINING, STOPPING));
        next.put(ADOPTED, EnumSet.of(READY, DRAINING, STOPPING));
        next.put(READY, EnumSet.of(EJECTED, UNHEALTHY, DRAINING, STOPPING));
        next.put(EJECTED, EnumSet.of(READY, UNHEALTHY, DRAINING, STOPPING));
        next.put(UNHEALTHY, EnumSet.of(READY, DRAINING, STOPPING));
        next.put(DRAINING, EnumSet.of(STOPPING));
        next.put(STOPPING, EnumSet.of(STOPPED));
        next.put(STOPPED, EnumSet.noneOf(ReplicaPhase.class));
        next.replaceAll((phase, targets) -> Set.copyOf(targets));
        return Map.copyOf(next);
    }

    boolean canMoveTo(ReplicaPhase to) {
        return NEXT.get(this).contains(to);
    }

    /** The states this one may move to. */
    Set<ReplicaPhase> next() {
        return NEXT.get(this);
    }

    /** What the admin API shows for this state. */
    ReplicaState view() {
        return view;
    }

    /** Whether a probe runs against a replica in this state. */
    boolean probed() {
        return this == STARTING || this == ADOPTED || this == READY || this == EJECTED || this == UNHEALTHY;
    }

    /** Whether the replica has been ready in this state (it passed its probes at least once). */
    boolean everReady() {
        return this == READY || this == EJECTED || this == UNHEALTHY;
    }

    /** Whether the replica is on its way out. */
    boolean leaving() {
        return this == DRAINING || this == STOPPING || this == STOPPED;
    }
}
