package io.longshore.core;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, drains, stops and replaces replicas by driving their state machine, and reconciles
 * their number with the desired count it is given. Blocking runtime calls run off the loop;
 * their answers come back as loop tasks. Tells its owner when a replica is gone, so that the
 * owner reconciles. Loop only; not thread-safe.
 */
final class ReplicaLifecycle {
    /** How often a draining replica's in-flight count is checked. */
    static final Duration DRAIN_POLL = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLifecycle.class);

    private final ControlPort control;
    private final ReplicaTable table;
    private final ContainerRuntime runtime;
    private final OrchestratorConfig config;
    private final String specHash;
    private final RestartBackoff backoff;
    private final RuntimeWatch watch;
    private final Runnable onRemoved;
    private boolean closing;

    /**
     * @param onRemoved runs on the loop after a replica left the table (the owner reconciles)
     */
    ReplicaLifecycle(ControlPort control, ReplicaTable table, OrchestratorConfig config, Runnable onRemoved) {
        this.control = control;
        this.table = table;
        this.runtime = config.runtime();
        this.config = config;
        this.specHash = ContainerLabels.specHash(config.service());
        this.backoff = new RestartBackoff(config.restartBackoffInitial(), config.restartBackoffMax());
        this.watch = new RuntimeWatch(control, table, runtime, this::onRuntimeEvent);
        this.onRemoved = onRemoved;
    }

    /** Subscribes to the runtime's exits (and endpoint reports). */
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

    /** Starts as many replicas as are missing (lowest free ports) or removes the extra (highest ports). */
    void reconcile(int desired) {
        if (closing) {
            return;
        }
        List<Replica> active = table.active();
        for (int i = active.size(); i < desired; i++) {
            startNew(table.lowestFreePort(config.basePort()), "scale out", Duration.ZERO);
        }
        for (int i = active.size() - 1; i >= desired; i--) {
            leave(active.get(i), Departure.remove("scale in"));
        }
    }

    private void startNew(int port, String reason, Duration delay) {
        Replica replica = new Replica(table.nextId(port), port, control, config.service().weight());
        table.add(replica);
        if (delay.isZero()) {
            launch(replica, reason);
        } else {
            replica.awaitBackoff();
            control.later(delay, () -> launchAfterBackoff(replica, reason));
        }
    }

    private void launchAfterBackoff(Replica replica, String reason) {
        if (replica.phase() == ReplicaPhase.BACKOFF && table.contains(replica) && !closing) {
            launch(replica, reason);
        }
    }

    private void launch(Replica replica, String reason) {
        replica.launch(reason);
        ContainerSpec spec = config.service();
        Endpoint proposed = new Endpoint(config.host(), replica.port());
        var labels = ContainerLabels.of(control.service(), control.service(), replica.id(), replica.port(), specHash);
        control.offLoop(() -> {
            try {
                ContainerInfo info = runtime.start(spec, proposed, labels);
                control.post(() -> started(replica, info, proposed));
            } catch (RuntimeException | LinkageError e) {
                control.post(() -> startFailed(replica, e));
            }
        });
    }

    private void started(Replica replica, ContainerInfo info, Endpoint proposed) {
        if (replica.phase() == ReplicaPhase.STOPPING) {
            replica.launchedWhileStopping(info.id(), info.startedAt());
            stopContainer(replica);
            return;
        }
        boolean assigned = runtime.endpointMode() == ContainerRuntime.EndpointMode.ASSIGNED;
        Endpoint endpoint = assigned ? info.endpoint() : proposed;
        replica.started(info.id(), info.startedAt(), endpoint, assigned, config.startGrace());
        watch.replayEarly(info.id());
    }

    private void startFailed(Replica replica, Throwable error) {
        if (error instanceof ContainerRuntimeException failure && failure.containerId() != null) {
            String leftover = failure.containerId();
            control.offLoop(() -> stopQuietly(leftover, Duration.ZERO));
        }
        if (replica.phase() == ReplicaPhase.STOPPING) {
            stopped(replica);
            return;
        }
        Duration retryIn = backoff.delayAfter(backoff.recordFailure(replica.port()));
        backoff.countRestart(replica.port());
        LOG.warn("{}: replica {} did not start ({}); retrying in {}", control.service(), replica.id(),
                error.getMessage(), retryIn);
        replica.startFailed(String.valueOf(error.getMessage()), retryIn);
        control.later(retryIn, () -> launchAfterBackoff(replica, "retry after a failed start"));
    }

    /**
     * A replica failed (its probes, or its container exited): it is stopped at once without
     * grace (it cannot drain) and a new replica takes its port after the restart backoff.
     */
    void replaceFailed(Replica replica, String reason) {
        if (!replica.isLeaving()) {
            leave(replica, Departure.replace(reason, false, failureDelay(replica)));
        }
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
                removed(replica);
            }
            case LAUNCHING, AWAITING_ENDPOINT -> stopNow(replica, departure, grace(departure));
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

    private Duration grace(Departure departure) {
        return departure.graceful() ? config.service().stopGrace() : Duration.ZERO;
    }

    /** The restart delay after a failure of {@code replica}, its port's streak forgotten if it was ready long enough. */
    private Duration failureDelay(Replica replica) {
        if (replica.readyForNanos(control.nanos()) >= config.restartBackoffReset().toNanos()) {
            backoff.forget(replica.port());
        }
        return backoff.replacementDelay(backoff.recordFailure(replica.port()));
    }

    private void drain(Replica replica, Departure departure) {
        replica.drain(departure);
        control.publishRouting();
        checkDrain(replica, control.nanos() + config.drainTimeout().toNanos());
    }

    private void checkDrain(Replica replica, long deadlineNanos) {
        if (replica.phase() != ReplicaPhase.DRAINING || !table.contains(replica)) {
            return;
        }
        long left = deadlineNanos - control.nanos();
        if (replica.backend().inFlight() == 0 || left <= 0) {
            stopNow(replica, replica.departure(), config.service().stopGrace());
        } else {
            control.later(Duration.ofNanos(Math.min(left, DRAIN_POLL.toNanos())), () -> checkDrain(replica, deadlineNanos));
        }
    }

    private void stopNow(Replica replica, Departure departure, Duration grace) {
        replica.stopping(departure, grace);
        if (replica.hasContainer()) {
            stopContainer(replica);
        }
    }

    private void stopContainer(Replica replica) {
        String containerId = replica.containerId();
        Duration grace = replica.stopGrace();
        control.offLoop(() -> {
            stopQuietly(containerId, grace);
            control.post(() -> stopped(replica));
        });
    }

    private void stopQuietly(String containerId, Duration grace) {
        try {
            runtime.stop(containerId, grace);
        } catch (RuntimeException e) {
            LOG.warn("{}: could not stop container {}", control.service(), containerId, e);
        }
    }

    private void stopped(Replica replica) {
        replica.stopped();
        removed(replica);
    }

    private void removed(Replica replica) {
        table.remove(replica);
        Departure departure = replica.departure();
        if (departure.replace() && !closing) {
            backoff.countRestart(replica.port());
            startNew(replica.port(), "replacing " + replica.id() + ": " + departure.reason(), departure.restartDelay());
        }
        onRemoved.run();
    }

    private void onRuntimeEvent(Replica replica, RuntimeEvent event) {
        if (event.isExit()) {
            exited(replica, event);
        } else if (event.kind() == RuntimeEvent.Kind.ENDPOINT_ASSIGNED) {
            endpointAssigned(replica, event.endpoint());
        }
    }

    /** An exit the replica did not ask for: it is stopped and (unless leaving anyway) replaced. */
    private void exited(Replica replica, RuntimeEvent event) {
        if (replica.phase() == ReplicaPhase.STOPPING) {
            return;
        }
        boolean oom = event.kind() == RuntimeEvent.Kind.OOM_KILLED;
        Departure departure = replica.isLeaving() ? replica.departure()
                : Departure.replace(oom ? "killed for memory" : "exited with code " + event.exitCode(), false,
                        failureDelay(replica));
        replica.exited(event.exitCode(), oom, departure);
        stopContainer(replica);
    }

    private void endpointAssigned(Replica replica, Endpoint endpoint) {
        if (replica.phase() == ReplicaPhase.AWAITING_ENDPOINT
                && runtime.endpointMode() == ContainerRuntime.EndpointMode.ASSIGNED) {
            replica.endpointAssigned(endpoint, config.startGrace());
        } else if (!replica.isLeaving()) {
            LOG.warn("{}: runtime {} reported endpoint {} for {}, which {}; ignored", control.service(), runtime.name(),
                    endpoint, replica, replica.backend() == null ? "does not wait for one" : "has one already");
        }
    }
}
