package io.longshore.core;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.RuntimeEvent;
import io.longshore.core.internal.ReplicaBackend;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, drains, stops and replaces replicas, and reconciles their number with the desired
 * count. Blocking runtime calls run off the loop; their results come back as loop tasks.
 * Loop only; not thread-safe.
 */
final class ReplicaLifecycle {
    /** How often a draining replica's in-flight count is checked. */
    static final Duration DRAIN_POLL = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLifecycle.class);

    /** How many exits of not-yet-known containers are remembered (an exit can beat the start's answer). */
    static final int EARLY_EXITS = 64;

    private final ControlLoop loop;
    private final ContainerRuntime runtime;
    private final Map<String, RuntimeEvent> earlyExits = new LinkedHashMap<>();
    private AutoCloseable watch;

    ReplicaLifecycle(ControlLoop loop, ContainerRuntime runtime) {
        this.loop = loop;
        this.runtime = runtime;
    }

    /** Starts as many replicas as are missing (lowest free ports) or removes the extra (highest ports). */
    void reconcile() {
        if (!loop.running || loop.closing) {
            return;
        }
        List<Replica> active = loop.table.active();
        for (int i = active.size(); i < loop.desired; i++) {
            start(loop.table.lowestFreePort(loop.config.basePort()), "scale out", Duration.ZERO);
        }
        for (int i = active.size() - 1; i >= loop.desired; i--) {
            drain(active.get(i), Replica.Exit.REMOVE, "scale in");
        }
    }

    /** Adds a replica on {@code port} and starts its container after {@code delay}. */
    Replica start(int port, String reason, Duration delay) {
        String id = loop.nextReplicaId(port);
        Replica replica = new Replica(id, port, new ReplicaBackend(id, loop.endpoint(port)), false);
        replica.restarts = loop.backoff.restarts(port);
        loop.table.add(replica);
        if (delay.isZero()) {
            launch(replica, reason);
        } else {
            loop.later(delay, () -> launch(replica, reason));
        }
        return replica;
    }

    private void launch(Replica replica, String reason) {
        if (!loop.table.contains(replica) || replica.exit != Replica.Exit.NONE || loop.closing) {
            return;
        }
        replica.launching = true;
        loop.emit(new OrchestratorEvent.ReplicaStarting(loop.now(), loop.service, replica.id, "", replica.port, reason));
        var labels = ContainerLabels.of(loop.service, loop.service, replica.id, replica.port, loop.specHash);
        var endpoint = replica.backend.endpoint();
        loop.offLoop(() -> {
            try {
                ContainerInfo info = runtime.start(loop.config.service(), endpoint, labels);
                loop.post(() -> started(replica, info));
            } catch (RuntimeException | LinkageError e) {
                loop.post(() -> startFailed(replica, e));
            }
        });
    }

    private void started(Replica replica, ContainerInfo info) {
        replica.launching = false;
        replica.containerId = info.id();
        replica.startedAt = info.startedAt();
        replica.graceUntilNanos = loop.nanos() + loop.config.startGrace().toNanos();
        if (!loop.table.contains(replica) || replica.exit != Replica.Exit.NONE) {
            stopContainer(replica);
            return;
        }
        loop.emit(new OrchestratorEvent.ReplicaStarted(loop.now(), loop.service, replica.id, info.id(), replica.port));
        RuntimeEvent early = earlyExits.remove(info.id());
        if (early != null) {
            exited(early);
        }
    }

    private void startFailed(Replica replica, Throwable error) {
        replica.launching = false;
        if (error instanceof ContainerRuntimeException failure && failure.containerId() != null) {
            String leftover = failure.containerId();
            loop.offLoop(() -> stopQuietly(leftover, Duration.ZERO));
        }
        if (!loop.table.contains(replica) || replica.exit != Replica.Exit.NONE || loop.closing) {
            removed(replica);
            return;
        }
        Duration retryIn = loop.backoff.delayAfter(loop.backoff.recordFailure(replica.port));
        replica.restarts = loop.backoff.countRestart(replica.port);
        LOG.warn("{}: replica {} did not start ({}); retrying in {}", loop.service, replica.id, error.getMessage(), retryIn);
        loop.emit(new OrchestratorEvent.ReplicaStartFailed(loop.now(), loop.service, replica.id, "", replica.port,
                String.valueOf(error.getMessage()), retryIn));
        loop.later(retryIn, () -> launch(replica, "retry after a failed start"));
    }

    /** A replica failed (probes or crash): it leaves, and a new one starts on its port after the backoff. */
    void replace(Replica replica, String reason, boolean drainFirst) {
        if (replica.exit != Replica.Exit.NONE) {
            return;
        }
        int streak = loop.backoff.recordFailure(replica.port);
        replica.restartDelay = loop.backoff.replacementDelay(streak);
        if (drainFirst) {
            drain(replica, Replica.Exit.REPLACE, reason);
        } else {
            replica.exit = Replica.Exit.REPLACE;
            replica.exitReason = reason;
            stopContainer(replica);
        }
    }

    /** Stops routing to {@code replica}, waits for its in-flight requests, then stops it. */
    void drain(Replica replica, Replica.Exit exit, String reason) {
        if (replica.exit == Replica.Exit.REMOVE || replica.stopping) {
            replica.exit = exit == Replica.Exit.REMOVE ? exit : replica.exit;
            return;
        }
        boolean wasDraining = replica.exit != Replica.Exit.NONE;
        replica.exit = exit;
        replica.exitReason = reason;
        if (wasDraining || replica.launching) {
            return;
        }
        if (!replica.hasContainer()) {
            removed(replica);
            return;
        }
        replica.drainDeadlineNanos = loop.nanos() + loop.config.drainTimeout().toNanos();
        loop.emit(new OrchestratorEvent.ReplicaDraining(loop.now(), loop.service, replica.id, replica.containerId,
                replica.port, reason));
        loop.refresh();
        checkDrain(replica);
    }

    private void checkDrain(Replica replica) {
        if (replica.stopping || !loop.table.contains(replica)) {
            return;
        }
        long left = replica.drainDeadlineNanos - loop.nanos();
        if (replica.backend.inFlight() == 0 || left <= 0) {
            stopContainer(replica);
        } else {
            loop.later(Duration.ofNanos(Math.min(left, DRAIN_POLL.toNanos())), () -> checkDrain(replica));
        }
    }

    private void stopContainer(Replica replica) {
        if (replica.stopping) {
            return;
        }
        replica.stopping = true;
        String containerId = replica.containerId;
        Duration grace = loop.config.service().stopGrace();
        loop.offLoop(() -> {
            stopQuietly(containerId, grace);
            loop.post(() -> stopped(replica));
        });
    }

    private void stopQuietly(String containerId, Duration grace) {
        try {
            runtime.stop(containerId, grace);
        } catch (RuntimeException e) {
            LOG.warn("{}: could not stop container {}", loop.service, containerId, e);
        }
    }

    private void stopped(Replica replica) {
        loop.emit(new OrchestratorEvent.ReplicaStopped(loop.now(), loop.service, replica.id, replica.containerId,
                replica.port, replica.exitReason.isEmpty() ? "stopped" : replica.exitReason));
        removed(replica);
    }

    private void removed(Replica replica) {
        if (replica.readmission != null) {
            replica.readmission.cancel();
        }
        if (!loop.table.remove(replica)) {
            return;
        }
        if (replica.exit == Replica.Exit.REPLACE && !loop.closing) {
            loop.backoff.countRestart(replica.port);
            start(replica.port, "replacing " + replica.id + ": " + replica.exitReason, replica.restartDelay);
        }
        reconcile();
    }

    /** Subscribes to the runtime's exit events. */
    void watch() {
        try {
            watch = runtime.watch(event -> loop.post(() -> exited(event)));
        } catch (RuntimeException e) {
            LOG.warn("{}: runtime {} cannot report exits; probes will notice them", loop.service, runtime.name(), e);
        }
    }

    void unwatch() {
        if (watch == null) {
            return;
        }
        try {
            watch.close();
        } catch (Exception e) {
            LOG.warn("{}: could not unsubscribe from runtime events", loop.service, e);
        }
        watch = null;
    }

    private void exited(RuntimeEvent event) {
        Replica replica = loop.table.byContainer(event.containerId());
        if (replica == null) {
            rememberEarly(event);
            return;
        }
        if (replica.stopping) {
            return;
        }
        boolean oom = event.kind() == RuntimeEvent.Kind.OOM_KILLED;
        loop.emit(new OrchestratorEvent.ReplicaExited(loop.now(), loop.service, replica.id, replica.containerId,
                replica.port, event.exitCode(), oom));
        if (replica.exit != Replica.Exit.NONE) {
            stopContainer(replica);
            return;
        }
        replace(replica, (oom ? "killed for memory" : "exited with code " + event.exitCode()), false);
    }

    /** An exit of a container not known yet: its start may still be on its way back to the loop. */
    private void rememberEarly(RuntimeEvent event) {
        earlyExits.put(event.containerId(), event);
        if (earlyExits.size() > EARLY_EXITS) {
            earlyExits.remove(earlyExits.keySet().iterator().next());
        }
    }
}
