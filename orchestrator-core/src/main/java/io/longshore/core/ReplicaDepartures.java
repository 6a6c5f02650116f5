package io.longshore.core;

import io.longshore.api.RuntimeEvent;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How replicas leave: one that never ran is abandoned, one that cannot have requests in flight or
 * must go at once is stopped, the others are drained first (unrouted, stopped once their requests
 * in flight are done or the drain timeout passed). A replica that failed (its probes, its start's
 * endpoint, an exit nobody asked for) is stopped without grace and replaced after the restart
 * backoff. Loop only; not thread-safe.
 */
final class ReplicaDepartures {
    /** How often a draining replica's in-flight count is checked. */
    static final Duration DRAIN_POLL = Duration.ofMillis(100);

    private final ControlPort control;
    private final ReplicaTable table;
    private final Duration drainTimeout;
    private final RestartBackoff backoff;
    private final ReplicaLifecycle.Revisions revisions;
    private final ContainerStops stops;
    private final Consumer<Replica> removed;

    /**
     * @param revisions told when a replica failed
     * @param removed   runs on the loop once an abandoned replica left the table
     */
    ReplicaDepartures(ControlPort control, ReplicaTable table, Duration drainTimeout, RestartBackoff backoff,
                      ReplicaLifecycle.Revisions revisions, ContainerStops stops, Consumer<Replica> removed) {
        this.control = control;
        this.table = table;
        this.drainTimeout = drainTimeout;
        this.backoff = backoff;
        this.revisions = revisions;
        this.stops = stops;
        this.removed = removed;
    }

    /**
     * Makes {@code replica} leave as {@code departure} says: abandoned if it never ran, stopped
     * at once if it is not graceful or cannot have requests in flight, drained first otherwise.
     * A replica already leaving only drops a pending replacement when {@code departure} is a
     * removal. Returns whether it started leaving now.
     */
    boolean leave(Replica replica, Departure departure) {
        if (replica.isLeaving()) {
            if (!departure.replace()) {
                replica.withoutReplacement();
            }
            return false;
        }
        switch (replica.phase()) {
            case BACKOFF -> {
                replica.abandon(departure);
                removed.accept(replica);
            }
            case LAUNCHING, AWAITING_ENDPOINT -> stopNow(replica, departure, grace(replica, departure));
            default -> {
                if (departure.graceful()) {
                    drain(replica, departure);
                } else {
                    stopNow(replica, departure, Duration.ZERO);
                }
            }
        }
        return true;
    }

    /**
     * A replica failed (its probes, or its container exited): it is stopped at once without
     * grace (it cannot drain) and a new replica takes its port after the restart backoff.
     */
    void replaceFailed(Replica replica, String reason) {
        if (!replica.isLeaving()) {
            leave(replica, Departure.replace(reason, false, failureDelay(replica)));
            revisions.failed(replica, reason);
        }
    }

    /** An exit the replica did not ask for: it is stopped and (unless leaving anyway) replaced. */
    void exited(Replica replica, RuntimeEvent event) {
        if (replica.phase() == ReplicaPhase.STOPPING) {
            return;
        }
        boolean oom = event.kind() == RuntimeEvent.Kind.OOM_KILLED;
        boolean failure = !replica.isLeaving();
        Departure departure = failure ? Departure.replace(oom ? "killed for memory" : "exited with code "
                + event.exitCode(), false, failureDelay(replica)) : replica.departure();
        replica.exited(event.exitCode(), oom, departure);
        stops.stop(replica);
        if (failure) {
            revisions.failed(replica, departure.reason());
        }
    }

    private static Duration grace(Replica replica, Departure departure) {
        return departure.graceful() ? stopGrace(replica) : Duration.ZERO;
    }

    /**
     * The stop grace of the spec {@code replica} runs, not the configured one: an update may
     * have given its spec a longer grace to finish its work in.
     */
    private static Duration stopGrace(Replica replica) {
        return replica.revision().spec().stopGrace();
    }

    /** The restart delay after a failure of {@code replica}. */
    private Duration failureDelay(Replica replica) {
        return backoff.replacementAfterFailure(replica.port(), replica.readyForNanos(control.nanos()));
    }

    private void drain(Replica replica, Departure departure) {
        replica.drain(departure);
        control.publishRouting();
        checkDrain(replica, control.nanos() + drainTimeout.toNanos());
    }

    private void checkDrain(Replica replica, long deadlineNanos) {
        if (replica.phase() != ReplicaPhase.DRAINING || !table.contains(replica)) {
            return;
        }
        long left = deadlineNanos - control.nanos();
        if (replica.backend().inFlight() == 0 || left <= 0) {
            stopNow(replica, replica.departure(), stopGrace(replica));
        } else {
            control.later(Duration.ofNanos(Math.min(left, DRAIN_POLL.toNanos())), () -> checkDrain(replica, deadlineNanos));
        }
    }

    private void stopNow(Replica replica, Departure departure, Duration grace) {
        replica.stopping(departure, grace);
        if (replica.hasContainer()) {
            stops.stop(replica);
        }
    }
}
