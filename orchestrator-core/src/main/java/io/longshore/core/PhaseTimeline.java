package io.longshore.core;

import java.util.Objects;

/**
 * A replica's place in the state machine and the times that say how its probes count: its
 * {@link ReplicaPhase}, moved only along the table's edges (a move elsewhere throws
 * {@link IllegalStateException} naming the replica, from and to), the end of its start grace,
 * and its latest stretch of readiness (for the restart backoff's reset and slow start). Owned by
 * the control loop with its {@link Replica}; not thread-safe.
 */
final class PhaseTimeline {
    private static final long NEVER = Long.MIN_VALUE;

    private final String replicaId;
    private final ControlPort control;
    private ReplicaPhase phase = ReplicaPhase.NEW;
    private long graceUntilNanos;
    private long readySinceNanos = NEVER;
    private long readyUntilNanos = NEVER;

    /** A timeline in {@link ReplicaPhase#NEW} for replica {@code replicaId}, timed by {@code control}'s clock. */
    PhaseTimeline(String replicaId, ControlPort control) {
        this.replicaId = Objects.requireNonNull(replicaId, "replicaId");
        this.control = Objects.requireNonNull(control, "control");
    }

    ReplicaPhase phase() {
        return phase;
    }

    /**
     * Moves to {@code to} if the state machine allows it and, when {@code from} names states,
     * the replica is in one of them (a named transition may narrow the table's edges).
     */
    void move(ReplicaPhase to, ReplicaPhase... from) {
        if (!phase.canMoveTo(to) || (from.length > 0 && !isOneOf(from))) {
            throw illegal(to);
        }
        long now = control.nanos();
        if (phase == ReplicaPhase.READY) {
            readyUntilNanos = now;
        }
        if (to == ReplicaPhase.READY) {
            readySinceNanos = now;
            readyUntilNanos = Long.MAX_VALUE;
        }
        phase = to;
    }

    /** The error for a move from the current phase to {@code to} that the state machine does not allow. */
    IllegalStateException illegal(ReplicaPhase to) {
        return new IllegalStateException("replica " + replicaId + ": illegal transition from " + phase + " to " + to);
    }

    /** Throws unless the replica is in {@code expected}. */
    void require(ReplicaPhase expected) {
        if (phase != expected) {
            throw new IllegalStateException("replica " + replicaId + " must be " + expected + ", is " + phase);
        }
    }

    private boolean isOneOf(ReplicaPhase... phases) {
        for (ReplicaPhase candidate : phases) {
            if (phase == candidate) {
                return true;
            }
        }
        return false;
    }

    /** Failed probes do not count until {@code nanos} of the loop's clock while it was never ready. */
    void graceUntil(long nanos) {
        this.graceUntilNanos = nanos;
    }

    /** Whether failed probes do not count yet: a replica not yet ready, within its start grace. */
    boolean inStartGrace(long nowNanos) {
        return !phase.everReady() && nowNanos - graceUntilNanos < 0;
    }

    /** How long its latest stretch of readiness lasted (or lasts, if it is READY now); 0 if never ready. */
    long readyForNanos(long nowNanos) {
        return readySinceNanos == NEVER ? 0 : Math.min(nowNanos, readyUntilNanos) - readySinceNanos;
    }

    /** When it last became READY; {@link Long#MIN_VALUE} if never. */
    long readySinceNanos() {
        return readySinceNanos;
    }
}
