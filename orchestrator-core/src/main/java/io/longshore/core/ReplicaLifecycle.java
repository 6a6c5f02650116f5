package io.longshore.core;

import java.time.Duration;

/**
 * Starts, drains, stops and replaces replicas by driving their state machine, and carries out
 * the plans its owner makes (start n replicas of the desired revision, take these away). Blocking
 * runtime calls run off the loop; their answers come back as loop tasks. A replacement runs the
 * spec of the replica it replaces. Tells its owner when a replica is gone (the owner reconciles),
 * and its {@link Revisions} when one failed. The work is shared out: {@link ReplicaStarts} starts
 * replicas, {@link ReplicaDepartures} makes them leave, {@link ContainerStops} stops their
 * containers, {@link RuntimeWatch} hands on what the runtime reports. Loop only; not thread-safe.
 */
final class ReplicaLifecycle {
    private final ReplicaTable table;
    private final OrchestratorConfig config;
    private final RestartBackoff backoff;
    private final RuntimeWatch watch;
    private final Revisions revisions;
    private final Runnable onRemoved;
    private final ContainerStops stops;
    private final ReplicaDepartures departures;
    private final ReplicaStarts starts;
    private boolean closing;

    /** Where the desired revision comes from, and where failures go (the rollouts). */
    interface Revisions {
        /** The desired revision: what new replicas run (a replacement of a replica of its spec too). */
        Revision target();

        /** A replica failed: its start, its probes, or its container exited, for {@code reason}. */
        void failed(Replica replica, String reason);
    }

    /**
     * @param onRemoved runs on the loop after a replica left the table (the owner reconciles)
     */
    ReplicaLifecycle(ControlPort control, ReplicaTable table, OrchestratorConfig config, Revisions revisions,
                     Runnable onRemoved) {
        this.table = table;
        this.config = config;
        this.revisions = revisions;
        this.onRemoved = onRemoved;
        this.backoff = new RestartBackoff(config.restartBackoffInitial(), config.restartBackoffMax(),
                config.restartBackoffReset());
        this.stops = new ContainerStops(control, table, config.runtime(), config.stopTimeout(), this::removed);
        this.departures = new ReplicaDepartures(control, table, config.drainTimeout(), backoff, revisions, stops,
                this::removed);
        this.watch = new RuntimeWatch(control, table, config.runtime(), config.startGrace(), departures::exited);
        this.starts = new ReplicaStarts(control, table, config, backoff, watch, revisions, stops, departures,
                () -> closing);
    }

    /** Subscribes to the runtime's exits (and endpoint reports, which the watch hands to the replicas). */
    void watch() {
        watch.subscribe();
    }

    /** From now on nothing starts or restarts; unsubscribes from the runtime. */
    void close() {
        closing = true;
        watch.unsubscribe();
    }

    /** Restarts counted on {@code port}, for the admin API. */
    int restarts(int port) {
        return backoff.restarts(port);
    }

    /**
     * Starts {@code plan.start()} replicas of the desired revision on the lowest free ports up to
     * {@link OrchestratorConfig#lastPort()} (those that find none start once leaving replicas free
     * theirs) and makes {@code plan.leave()} leave (drained, stopped, their ports freed; one being
     * replaced gets no successor).
     */
    void carryOut(RolloutPlanner.Plan plan) {
        if (closing) {
            return;
        }
        Revision target = revisions.target();
        for (Replica replica : plan.leave()) {
            leave(replica, Departure.remove(replica.revision().sameSpec(target)
                    ? "scale in" : "replaced by spec " + target.hash()));
        }
        String reason = table.values().stream().anyMatch(r -> !r.revision().sameSpec(target))
                ? "rolling out spec " + target.hash() : "scale out";
        for (int i = 0; i < plan.start(); i++) {
            int port = table.lowestFreePort(config.basePort(), config.lastPort());
            if (port < 0) {
                return; // the rest start in the ports replicas still leaving free (their removal reconciles)
            }
            starts.startNew(port, target, reason, Duration.ZERO);
        }
    }

    /**
     * {@code replica} was adopted: what the runtime reported about its container since the list
     * (its exit, posted before the list's answer reached the loop) applies now.
     */
    void adopted(Replica replica) {
        watch.replayEarly(replica.containerId());
    }

    /** Stops the container of {@code replica}, found stale at start and already {@code STOPPING}. */
    void retire(Replica replica) {
        stops.stop(replica);
    }

    /** See {@link ReplicaDepartures#replaceFailed}. */
    void replaceFailed(Replica replica, String reason) {
        departures.replaceFailed(replica, reason);
    }

    /** See {@link ReplicaDepartures#leave}. */
    boolean leave(Replica replica, Departure departure) {
        return departures.leave(replica, departure);
    }

    /** {@code replica} left the table: unless the orchestrator closes, a replacement it asked for starts. */
    private void removed(Replica replica) {
        table.remove(replica);
        Departure departure = replica.departure();
        if (departure.replace() && !closing) {
            backoff.countRestart(replica.port());
            Revision target = revisions.target();
            starts.startNew(replica.port(), replica.revision().sameSpec(target) ? target : replica.revision(),
                    "replacing " + replica.id() + ": " + departure.reason(), departure.restartDelay());
        }
        onRemoved.run();
    }
}
