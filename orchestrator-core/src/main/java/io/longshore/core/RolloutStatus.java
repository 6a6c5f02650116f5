package io.longshore.core;

import java.util.Objects;

/**
 * The latest rollout at a glance, as the admin API's {@code GET /rollout} shows it. Immutable.
 *
 * @param state    where it is
 * @param fromSpec the hash of the spec it replaces
 * @param toSpec   the hash of the spec it rolls out (after a rollback: the spec that was given up)
 * @param updated  replicas of {@code toSpec} that are available (ready, and ready for the rollout's
 *                 {@code minReady}); after a rollback it falls to 0 as they are drained
 * @param total    the desired replica count
 * @param reason   why it is in this state: how it started, who paused it, why it was rolled back
 */
public record RolloutStatus(State state, String fromSpec, String toSpec, int updated, int total, String reason) {
    public RolloutStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(fromSpec, "fromSpec");
        Objects.requireNonNull(toSpec, "toSpec");
        Objects.requireNonNull(reason, "reason");
        if (updated < 0 || total < 0) {
            throw new IllegalArgumentException("updated and total must be >= 0, were " + updated + " and " + total);
        }
    }

    /** The states of a rollout. */
    public enum State {
        /** Replicas of the new spec are being started and those of the old one drained. */
        PROGRESSING,
        /** Every replica runs the new spec and is available. Final. */
        COMPLETE,
        /** Nothing is replaced until it is resumed; scaling starts replicas of the new spec. */
        PAUSED,
        /** Given up (progress deadline, crash loop, or undone): the old spec is the desired one again. Final. */
        ROLLED_BACK
    }
}
