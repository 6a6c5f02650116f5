package io.longshore.core;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.Endpoint;
import io.longshore.api.internal.UserCode;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts replicas: adds each to the table, launches it (after its restart backoff, if any) with
 * the runtime's start on a runtime thread, and settles the start's answer on the loop: started,
 * failed (retried after the backoff), or timed out. Whichever of the answer and the start timeout
 * comes first settles the start ({@link RuntimeAnswer}); until then the replica is neither launched
 * again nor removed, so an answer that reaches the loop finds its replica {@code LAUNCHING}, or
 * {@code STOPPING} without a container when it was asked to leave meanwhile. A start given up, or
 * refused by a loop that is gone, is cleaned up by its own thread. Loop only, except the runtime
 * thread's part; not thread-safe.
 */
final class ReplicaStarts {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLifecycle.class);

    private final ControlPort control;
    private final ReplicaTable table;
    private final OrchestratorConfig config;
    private final ContainerRuntime runtime;
    private final String configuredHash;
    private final RestartBackoff backoff;
    private final RuntimeWatch watch;
    private final ReplicaLifecycle.Revisions revisions;
    private final ContainerStops stops;
    private final ReplicaDepartures departures;
    private final BooleanSupplier closing;

    /**
     * @param watch     replays what the runtime reported about a container before its start's answer
     * @param revisions told when a start failed
     * @param closing   whether the orchestrator closes: then nothing launches, and a hung start is left alone
     */
    ReplicaStarts(ControlPort control, ReplicaTable table, OrchestratorConfig config, RestartBackoff backoff,
                  RuntimeWatch watch, ReplicaLifecycle.Revisions revisions, ContainerStops stops,
                  ReplicaDepartures departures, BooleanSupplier closing) {
        this.control = control;
        this.table = table;
        this.config = config;
        this.runtime = config.runtime();
        this.configuredHash = ContainerLabels.specHash(config.service());
        this.backoff = backoff;
        this.watch = watch;
        this.revisions = revisions;
        this.stops = stops;
        this.departures = departures;
        this.closing = closing;
    }

    /** Adds a replica of {@code revision} on {@code port} and launches it after {@code delay}. */
    void startNew(int port, Revision revision, String reason, Duration delay) {
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
        if (replica.phase() == ReplicaPhase.BACKOFF && table.contains(replica) && !closing.getAsBoolean()) {
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
                stops.stopLeftover(e);
            } else if (!control.submit(() -> startFailed(replica, e))) {
                stops.stopLeftover(e);
            }
            return;
        }
        if (!answer.deliver()) {
            LOG.warn("{}: the runtime started container {} for replica {} after its start had timed out; "
                    + "stopping it", control.service(), info.id(), replica.id());
            stops.stopQuietly(info.id(), Duration.ZERO);
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
        stops.stopQuietly(containerId, Duration.ZERO);
    }

    private void started(Replica replica, ContainerInfo info, Endpoint proposed) {
        if (replica.phase() == ReplicaPhase.STOPPING) {
            replica.launchedWhileStopping(info.id(), info.startedAt());
            stops.stop(replica);
            return;
        }
        boolean assigned = runtime.endpointMode() == ContainerRuntime.EndpointMode.ASSIGNED;
        Endpoint endpoint = assigned ? info.endpoint() : proposed;
        replica.started(info.id(), info.startedAt(), endpoint, assigned, config.startGrace());
        watch.replayEarly(info.id());
    }

    private void startFailed(Replica replica, Throwable error) {
        if (ContainerStops.leavesContainer(error)) {
            control.offLoop(() -> stops.stopLeftover(error));
        }
        if (replica.phase() == ReplicaPhase.STOPPING) {
            stops.stopped(replica);
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
        boolean hung = phase == ReplicaPhase.LAUNCHING && !closing.getAsBoolean()
                || phase == ReplicaPhase.STOPPING && !replica.hasContainer();
        if (hung && answer.giveUp()) {
            if (phase == ReplicaPhase.LAUNCHING) {
                retryStart(replica, "the runtime's start did not return within " + timeout);
            } else {
                LOG.warn("{}: replica {} left while its start was under way, and the start did not return "
                        + "within {}; given up as stopped", control.service(), replica.id(), timeout);
                stops.stopped(replica);
            }
        } else if (phase == ReplicaPhase.AWAITING_ENDPOINT) {
            departures.replaceFailed(replica, "no endpoint reported within " + timeout);
        }
    }
}
