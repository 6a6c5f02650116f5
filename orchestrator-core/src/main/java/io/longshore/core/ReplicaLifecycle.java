package io.longshore.core;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import io.longshore.api.internal.UserCode;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, drains, stops and replaces replicas by driving their state machine, and carries out
 * the plans its owner makes (start n replicas of the desired revision, take these away). Blocking
 * runtime calls run off the loop; their answers come back as loop tasks. A replacement runs the
 * spec of the replica it replaces. Tells its owner when a replica is gone (the owner reconciles),
 * and its {@link Revisions} when one failed. Loop only; not thread-safe.
 */
final class ReplicaLifecycle {
    /** How often a draining replica's in-flight count is checked. */
    static final Duration DRAIN_POLL = Duration.ofMillis(100);
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLifecycle.class);

    private final ControlPort control;
    private final ReplicaTable table;
    private final ContainerRuntime runtime;
    private final OrchestratorConfig config;
    private final String configuredHash;
    private final RestartBackoff backoff;
    private final RuntimeWatch watch;
    private final Revisions revisions;
    private final Runnable onRemoved;
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
        this.control = control;
        this.table = table;
        this.runtime = config.runtime();
        this.config = config;
        this.configuredHash = ContainerLabels.specHash(config.service());
        this.backoff = new RestartBackoff(config.restartBackoffInitial(), config.restartBackoffMax(),
                config.restartBackoffReset());
        this.watch = new RuntimeWatch(control, table, runtime, config.startGrace(), this::exited);
        this.revisions = revisions;
        this.onRemoved = onRemoved;
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
     * Starts {@code plan.start()} replicas of the desired revision on the lowest free ports and makes
     * {@code plan.leave()} leave (drained, stopped, their ports freed; one being replaced gets no
     * successor).
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
            startNew(table.lowestFreePort(config.basePort()), target, reason, Duration.ZERO);
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
        stopContainer(replica);
    }

    private void startNew(int port, Revision revision, String reason, Duration delay) {
        Replica replica = new Replica(table.nextId(port), port, revision, control);
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
        int launch = replica.launches();
        Endpoint proposed = new Endpoint(config.host(), replica.port());
        Map<String, String> labels = ContainerLabels.of(control.service(), control.service(), replica.id(),
                replica.port(), replica.revision(), configuredHash);
        RuntimeAnswer answer = new RuntimeAnswer();
        control.later(config.startTimeout(), () -> startTimedOut(replica, launch, answer));
        control.offLoop(() -> start(replica, proposed, labels, answer));
    }

    /**
     * The runtime's start, on a runtime thread. Its answer goes to the loop unless the start timed
     * out meanwhile or the loop is gone; then this thread stops what the start left.
     */
    private void start(Replica replica, Endpoint proposed, Map<String, String> labels, RuntimeAnswer answer) {
        ContainerInfo info;
        try {
            info = runtime.start(replica.revision().spec(), proposed, labels);
            if (info == null) {
                throw new IllegalStateException("the runtime's start returned null instead of the container");
            }
        } catch (RuntimeException | Error e) {
            UserCode.rethrowIfFatal(e);
            if (!answer.deliver()) {
                LOG.info("{}: the start of replica {} that had timed out failed too: {}", control.service(),
                        replica.id(), e.getMessage());
                stopLeftover(e);
            } else if (!control.submit(() -> startFailed(replica, e))) {
                stopLeftover(e);
            }
            return;
        }
        if (!answer.deliver()) {
            LOG.warn("{}: the runtime started container {} for replica {} after its start had timed out; "
                    + "stopping it", control.service(), info.id(), replica.id());
            stopQuietly(info.id(), Duration.ZERO);
        } else if (!control.submit(() -> started(replica, info, proposed))) {
            startedAfterClose(replica, info.id());
        }
    }

    /**
     * A start returned after the loop was shut down (close() waited its shutdownTimeout and gave
     * up; an image pull may take longer): no one is left to take the container, so this, the
     * starting thread, stops it, unless replicas are to outlive the orchestrator (then the next
     * one adopts it by its labels).
     */
    private void startedAfterClose(Replica replica, String containerId) {
        if (!config.stopReplicasOnClose()) {
            LOG.info("{}: the runtime started container {} for replica {} after the orchestrator closed; "
                    + "left running", control.service(), containerId, replica.id());
            return;
        }
        LOG.warn("{}: the runtime started container {} for replica {} after the orchestrator closed; stopping it",
                control.service(), containerId, replica.id());
        stopQuietly(containerId, Duration.ZERO);
    }

    /** Stops the container a failed start left behind, if its error names one. */
    private void stopLeftover(Throwable error) {
        if (error instanceof ContainerRuntimeException failure && failure.containerId() != null) {
            stopQuietly(failure.containerId(), Duration.ZERO);
        }
    }

    /**
     * The start's answer reached the loop, so its timeout did not give it up ({@link RuntimeAnswer}):
     * until then the replica was neither launched again nor removed, and it is {@code LAUNCHING},
     * or {@code STOPPING} without a container when it was asked to leave meanwhile.
     */
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

    /** Like {@link #started}: the replica is {@code LAUNCHING}, or {@code STOPPING} without a container. */
    private void startFailed(Replica replica, Throwable error) {
        if (error instanceof ContainerRuntimeException failure && failure.containerId() != null) {
            control.offLoop(() -> stopLeftover(error));
        }
        if (replica.phase() == ReplicaPhase.STOPPING) {
            stopped(replica);
            return;
        }
        retryStart(replica, String.valueOf(error.getMessage()));
    }

    private void retryStart(Replica replica, String error) {
        Duration retryIn = backoff.delayAfter(backoff.recordFailure(replica.port()));
        backoff.countRestart(replica.port());
        LOG.warn("{}: replica {} did not start ({}); retrying in {}", control.service(), replica.id(),
                error, retryIn);
        replica.startFailed(error, retryIn);
        control.later(retryIn, () -> launchAfterBackoff(replica, "retry after a failed start"));
        revisions.failed(replica, "did not start: " + error);
    }

    /**
     * Launch {@code launch} of {@code replica} reached the start timeout: a start that has not
     * returned counts as failed (the starting thread stops what it returns late); a replica
     * leaving meanwhile is given up as stopped; one still without an endpoint is replaced. While
     * the orchestrator closes, a hung start of a replica not asked to stop is left as it is.
     */
    private void startTimedOut(Replica replica, int launch, RuntimeAnswer answer) {
        if (replica.launches() != launch || !table.contains(replica)) {
            return;
        }
        Duration timeout = config.startTimeout();
        ReplicaPhase phase = replica.phase();
        boolean hung = phase == ReplicaPhase.LAUNCHING && !closing
                || phase == ReplicaPhase.STOPPING && !replica.hasContainer();
        if (hung && answer.giveUp()) {
            if (phase == ReplicaPhase.LAUNCHING) {
                retryStart(replica, "the runtime's start did not return within " + timeout);
            } else {
                LOG.warn("{}: replica {} left while its start was under way, and the start did not return "
                        + "within {}; given up as stopped", control.service(), replica.id(), timeout);
                stopped(replica);
            }
        } else if (phase == ReplicaPhase.AWAITING_ENDPOINT) {
            replaceFailed(replica, "no endpoint reported within " + timeout);
        }
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
        checkDrain(replica, control.nanos() + config.drainTimeout().toNanos());
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
            stopContainer(replica);
        }
    }

    /**
     * Asks the runtime to stop the replica's container; the replica is stopped when that returns,
     * or given up as stopped when the call has not returned within its grace and the stop timeout
     * of its start (a stop still waiting for a runtime thread is not timed).
     */
    private void stopContainer(Replica replica) {
        String containerId = replica.containerId();
        Duration grace = replica.stopGrace();
        Duration bound = grace.plus(config.stopTimeout());
        RuntimeAnswer answer = new RuntimeAnswer();
        control.offLoop(() -> {
            control.later(bound, () -> stopTimedOut(replica, bound, answer));
            stopQuietly(containerId, grace);
            if (answer.deliver()) {
                control.post(() -> stopped(replica));
            } else {
                LOG.info("{}: the runtime's stop of container {} returned after replica {} was given up as stopped",
                        control.service(), containerId, replica.id());
            }
        });
    }

    private void stopTimedOut(Replica replica, Duration bound, RuntimeAnswer answer) {
        if (!table.contains(replica) || replica.phase() != ReplicaPhase.STOPPING || !answer.giveUp()) {
            return;
        }
        String why = "the runtime's stop did not return within " + bound;
        LOG.warn("{}: {} for container {} of replica {}; given up as stopped", control.service(), why,
                replica.containerId(), replica.id());
        replica.givenUpAsStopped(why);
        removed(replica);
    }

    private void stopQuietly(String containerId, Duration grace) {
        try {
            runtime.stop(containerId, grace);
        } catch (RuntimeException | Error e) {
            UserCode.rethrowIfFatal(e);
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
            Revision target = revisions.target();
            startNew(replica.port(), replica.revision().sameSpec(target) ? target : replica.revision(),
                    "replacing " + replica.id() + ": " + departure.reason(), departure.restartDelay());
        }
        onRemoved.run();
    }

    /** An exit the replica did not ask for: it is stopped and (unless leaving anyway) replaced. */
    private void exited(Replica replica, RuntimeEvent event) {
        if (replica.phase() == ReplicaPhase.STOPPING) {
            return;
        }
        boolean oom = event.kind() == RuntimeEvent.Kind.OOM_KILLED;
        boolean failure = !replica.isLeaving();
        Departure departure = failure ? Departure.replace(oom ? "killed for memory" : "exited with code "
                + event.exitCode(), false, failureDelay(replica)) : replica.departure();
        replica.exited(event.exitCode(), oom, departure);
        stopContainer(replica);
        if (failure) {
            revisions.failed(replica, departure.reason());
        }
    }

}
