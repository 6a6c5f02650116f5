package io.longshore.core;

import io.longshore.core.internal.ReplicaBackend;
import java.util.Objects;

/**
 * One backend as the candidate filter sees it: what it is, what state it is in, since when it
 * is ready, and the share of its full weight it gets. Immutable.
 *
 * @param backend         the backend the router would lease
 * @param condition       its state, as far as routing cares
 * @param readySinceNanos when it last became ready (or was readmitted), on the clock's nanoTime;
 *                        {@link Long#MIN_VALUE} if never; what a slow-start step ramps from
 * @param weight          the share of its full weight, in (0, 1]; a step may only lower it
 */
record Candidate(ReplicaBackend backend, Condition condition, long readySinceNanos, double weight) {

    /** What routing needs to know of a backend's state. */
    enum Condition {
        /** Running but not yet passing its probes: never routed, not even in panic. */
        STARTING,
        /** Passing its probes. */
        READY,
        /** Ejected for failing requests. */
        EJECTED,
        /** Failing its probes after being ready. */
        UNHEALTHY,
        /** Draining or stopping: never routed again. */
        LEAVING;

        /** Whether the panic threshold counts it (and panic mode routes to it): it was ready and stays. */
        boolean inPanicPool() {
            return this == READY || this == EJECTED || this == UNHEALTHY;
        }
    }

    Candidate {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(condition, "condition");
        if (!(weight > 0 && weight <= 1)) {
            throw new IllegalArgumentException("weight must be in (0, 1], was " + weight);
        }
    }

    /** A candidate at full weight. */
    static Candidate of(ReplicaBackend backend, Condition condition, long readySinceNanos) {
        return new Candidate(backend, condition, readySinceNanos, 1.0);
    }

    /** This candidate with a lower {@code weight}; a filter step may lower a weight, never raise it. */
    Candidate withWeight(double weight) {
        if (weight > this.weight) {
            throw new IllegalArgumentException("a filter step may only lower a weight: " + this.weight + " -> " + weight);
        }
        return new Candidate(backend, condition, readySinceNanos, weight);
    }
}
