package io.longshore.core;

import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.OrchestratorEvent;
import io.longshore.core.internal.ReplicaBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One replica (one container in one port slot) as the control loop tracks it: a state machine
 * over {@link ReplicaPhase}. Every change of state is one named transition that checks the move
 * is allowed, throwing {@link IllegalStateException} (naming the replica, from and to) when it
 * is not, and emits its event through the {@link ControlPort}. Its {@link PhaseTimeline} holds
 * the phase, checks the moves and keeps the times of its start grace and readiness; the replica
 * holds what it runs, its container, its endpoint and how it leaves. Owned by the control loop;
 * never touched from another thread.
 */
final class Replica {
    private final String id;
    private final int port;
    private final Revision revision;
    private final ControlPort control;
    private final PhaseTimeline timeline;
    private String containerId = "";
    private Instant startedAt;
    /** Null until the replica's endpoint is known; then the router's view of it. */
    private ReplicaBackend backend;
    /** Set when it starts leaving (draining or stopping). */
    private Departure departure;
    private Duration stopGrace = Duration.ZERO;
    private int weight;
    /** How many times it was launched: tells a late answer of an earlier launch from the current one. */
    private int launches;

    /**
     * @param port the replica's slot: the port it serves on with a runtime that takes the proposed
     *             endpoint, the slot's number otherwise
     * @param revision what it runs (its spec's weight is the replica's weight until set)
     */
    Replica(String id, int port, Revision revision, ControlPort control) {
        this.id = Objects.requireNonNull(id, "id");
        this.port = port;
        this.revision = Objects.requireNonNull(revision, "revision");
        this.control = Objects.requireNonNull(control, "control");
        this.timeline = new PhaseTimeline(id, control);
        this.weight = revision.spec().weight();
    }

    // ---- transitions, in the order of a replica's life ----

    /** NEW → BACKOFF: a replacement waits out its restart backoff before it launches. */
    void awaitBackoff() {
        timeline.move(ReplicaPhase.BACKOFF, ReplicaPhase.NEW);
    }

    /** NEW or BACKOFF → LAUNCHING: the runtime is asked to start it. */
    void launch(String reason) {
        timeline.move(ReplicaPhase.LAUNCHING, ReplicaPhase.NEW, ReplicaPhase.BACKOFF);
        launches++;
        control.emit(new OrchestratorEvent.ReplicaStarting(control.now(), control.service(), id, "", port, reason));
    }

    /** LAUNCHING → BACKOFF: the start failed; it is retried after {@code retryIn}. */
    void startFailed(String error, Duration retryIn) {
        timeline.move(ReplicaPhase.BACKOFF, ReplicaPhase.LAUNCHING);
        control.emit(new OrchestratorEvent.ReplicaStartFailed(control.now(), control.service(), id, "", port,
                error, retryIn));
    }

    /**
     * LAUNCHING → STARTING, or → AWAITING_ENDPOINT when {@code endpoint} is null (a runtime that
     * reports it later). {@code assigned} says the runtime chose the endpoint, which is then
     * announced too. Failed probes do not count for {@code startGrace} from the moment its
     * endpoint is known (it cannot be probed before).
     */
    void started(String containerId, Instant startedAt, Endpoint endpoint, boolean assigned, Duration startGrace) {
        timeline.move(endpoint == null ? ReplicaPhase.AWAITING_ENDPOINT : ReplicaPhase.STARTING, ReplicaPhase.LAUNCHING);
        this.containerId = Objects.requireNonNull(containerId, "containerId");
        this.startedAt = startedAt;
        control.emit(new OrchestratorEvent.ReplicaStarted(control.now(), control.service(), id, containerId, port));
        if (endpoint != null) {
            serveOn(endpoint, assigned, startGrace);
        }
    }

    /** AWAITING_ENDPOINT → STARTING: the runtime said where the replica serves. */
    void endpointAssigned(Endpoint endpoint, Duration startGrace) {
        timeline.move(ReplicaPhase.STARTING, ReplicaPhase.AWAITING_ENDPOINT);
        serveOn(Objects.requireNonNull(endpoint, "endpoint"), true, startGrace);
    }

    private void serveOn(Endpoint endpoint, boolean assigned, Duration startGrace) {
        this.backend = new ReplicaBackend(id, endpoint, weight, control.containerConcurrency());
        timeline.graceUntil(control.nanos() + startGrace.toNanos());
        if (assigned) {
            control.emit(new OrchestratorEvent.ReplicaEndpointAssigned(control.now(), control.service(), id,
                    containerId, port, endpoint));
        }
    }

    /**
     * NEW → ADOPTED: a container a previous orchestrator left running is taken over. Failed probes
     * do not count for what is left of {@code startGrace} since the container started at
     * {@code startedAt} (one that was still starting keeps its grace).
     */
    void adopt(String containerId, Instant startedAt, Endpoint endpoint, Duration startGrace) {
        timeline.move(ReplicaPhase.ADOPTED, ReplicaPhase.NEW);
        this.containerId = Objects.requireNonNull(containerId, "containerId");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.backend = new ReplicaBackend(id, Objects.requireNonNull(endpoint, "endpoint"), weight,
                control.containerConcurrency());
        Duration running = Duration.between(startedAt, control.now());
        Duration left = running.isNegative() ? startGrace : startGrace.minus(running);
        timeline.graceUntil(control.nanos() + Math.max(0, left.toNanos()));
        control.emit(new OrchestratorEvent.ReplicaAdopted(control.now(), control.service(), id, containerId, port));
    }

    /**
     * NEW → STOPPING: a container found at start-up that cannot be adopted (another spec that
     * cannot be recovered, exited, no endpoint) holds its port slot until it is stopped with
     * {@code grace}; it leaves as {@code departure} says.
     */
    void foundStale(String containerId, Instant startedAt, Departure departure, Duration grace) {
        timeline.move(ReplicaPhase.STOPPING, ReplicaPhase.NEW);
        this.containerId = Objects.requireNonNull(containerId, "containerId");
        this.startedAt = startedAt;
        this.departure = Objects.requireNonNull(departure, "departure");
        this.stopGrace = Objects.requireNonNull(grace, "grace");
        control.emit(new OrchestratorEvent.ReplicaStopping(control.now(), control.service(), id, containerId, port,
                departure.reason(), grace));
    }

    /** STARTING or ADOPTED → READY: it passed its probes and is routed. */
    void ready() {
        timeline.move(ReplicaPhase.READY, ReplicaPhase.STARTING, ReplicaPhase.ADOPTED);
        control.emit(new OrchestratorEvent.ReplicaReady(control.now(), control.service(), id, containerId, port));
    }

    /**
     * UNHEALTHY → READY: {@code rise} probes passed again. Its failure streak starts over, as after
     * a readmission: the router reports an outlier only when the streak reaches the threshold, so
     * one left there (a probe failed it while it was ejected) would never let it be ejected again.
     */
    void recovered(String reason) {
        timeline.move(ReplicaPhase.READY, ReplicaPhase.UNHEALTHY);
        backend.resetFailures();
        control.emit(new OrchestratorEvent.ReplicaHealthChanged(control.now(), control.service(), id, containerId,
                port, true, reason));
        control.emit(new OrchestratorEvent.ReplicaReadmitted(control.now(), control.service(), id, containerId, port));
    }

    /** READY → EJECTED: its requests kept failing; it is out for {@code length}. */
    void eject(String reason, Duration length) {
        timeline.move(ReplicaPhase.EJECTED, ReplicaPhase.READY);
        control.emit(new OrchestratorEvent.ReplicaEjected(control.now(), control.service(), id, containerId, port,
                reason, length));
    }

    /** EJECTED → READY: its ejection ended. */
    void readmit() {
        timeline.move(ReplicaPhase.READY, ReplicaPhase.EJECTED);
        control.emit(new OrchestratorEvent.ReplicaReadmitted(control.now(), control.service(), id, containerId, port));
    }

    /** READY or EJECTED → UNHEALTHY: a probe failed; {@code expectedOut} is how long it stays out at least. */
    void unhealthy(String reason, Duration expectedOut) {
        timeline.move(ReplicaPhase.UNHEALTHY, ReplicaPhase.READY, ReplicaPhase.EJECTED);
        control.emit(new OrchestratorEvent.ReplicaHealthChanged(control.now(), control.service(), id, containerId,
                port, false, reason));
        control.emit(new OrchestratorEvent.ReplicaEjected(control.now(), control.service(), id, containerId, port,
                "probe failed: " + reason, expectedOut));
    }

    /** A running state → DRAINING: unrouted; it stops once its requests in flight are done. */
    void drain(Departure departure) {
        timeline.move(ReplicaPhase.DRAINING);
        this.departure = Objects.requireNonNull(departure, "departure");
        control.emit(new OrchestratorEvent.ReplicaDraining(control.now(), control.service(), id, containerId, port,
                departure.reason()));
    }

    /**
     * Any state with (or about to get) a container, or DRAINING → STOPPING: the runtime stops it
     * with {@code grace}. A DRAINING replica keeps its departure; others take {@code departure}.
     */
    void stopping(Departure departure, Duration grace) {
        boolean wasDraining = timeline.phase() == ReplicaPhase.DRAINING;
        timeline.move(ReplicaPhase.STOPPING, ReplicaPhase.LAUNCHING, ReplicaPhase.AWAITING_ENDPOINT, ReplicaPhase.STARTING,
                ReplicaPhase.ADOPTED, ReplicaPhase.READY, ReplicaPhase.EJECTED, ReplicaPhase.UNHEALTHY,
                ReplicaPhase.DRAINING);
        if (!wasDraining) {
            this.departure = Objects.requireNonNull(departure, "departure");
        }
        this.stopGrace = Objects.requireNonNull(grace, "grace");
        control.emit(new OrchestratorEvent.ReplicaStopping(control.now(), control.service(), id, containerId, port,
                this.departure.reason(), grace));
    }

    /**
     * A running or DRAINING replica's container exited without being asked → STOPPING, with no
     * grace (what is left of it is removed). A replica that was not leaving takes {@code departure}.
     */
    void exited(int exitCode, boolean oomKilled, Departure departure) {
        if (!timeline.phase().canMoveTo(ReplicaPhase.STOPPING) || !hasContainer()) {
            throw timeline.illegal(ReplicaPhase.STOPPING);
        }
        control.emit(new OrchestratorEvent.ReplicaExited(control.now(), control.service(), id, containerId, port,
                exitCode, oomKilled));
        stopping(departure, Duration.ZERO);
    }

    /** STOPPING → STOPPED: the runtime has stopped and removed it. */
    void stopped() {
        timeline.move(ReplicaPhase.STOPPED, ReplicaPhase.STOPPING);
        control.emit(new OrchestratorEvent.ReplicaStopped(control.now(), control.service(), id, containerId, port,
                departure.reason()));
    }

    /** STOPPING → STOPPED without the runtime's word, because its stop did not return ({@code why}). */
    void givenUpAsStopped(String why) {
        timeline.move(ReplicaPhase.STOPPED, ReplicaPhase.STOPPING);
        control.emit(new OrchestratorEvent.ReplicaStopped(control.now(), control.service(), id, containerId, port,
                departure.reason() + "; " + why + ", given up"));
    }

    /** BACKOFF → STOPPED: it leaves before it ever ran; nothing to stop, no event. */
    void abandon(Departure departure) {
        timeline.move(ReplicaPhase.STOPPED, ReplicaPhase.BACKOFF);
        this.departure = Objects.requireNonNull(departure, "departure");
    }

    // ---- changes within a state ----

    /** Sets its weight (in any state); the router sees it at the next publication. */
    void weight(int weight) {
        this.weight = ContainerSpec.requireWeight(weight, "weight");
        if (backend != null) {
            backend.weight(weight);
        }
    }

    /** In STOPPING: the start that was under way when it began leaving returned {@code containerId}. */
    void launchedWhileStopping(String containerId, Instant startedAt) {
        timeline.require(ReplicaPhase.STOPPING);
        if (hasContainer()) {
            throw new IllegalStateException("replica " + id + " already has container " + this.containerId);
        }
        this.containerId = Objects.requireNonNull(containerId, "containerId");
        this.startedAt = startedAt;
    }

    /** While leaving: no replacement follows after all (a scale-in or shutdown overtook it). */
    void withoutReplacement() {
        if (!timeline.phase().leaving() || departure == null) {
            throw new IllegalStateException("replica " + id + " is not leaving but " + timeline.phase());
        }
        departure = departure.withoutReplacement();
    }

    // ---- reading ----

    String id() {
        return id;
    }

    /** How many times it was launched; the number of the current (or last) launch. */
    int launches() {
        return launches;
    }

    int port() {
        return port;
    }

    Revision revision() {
        return revision;
    }

    ReplicaPhase phase() {
        return timeline.phase();
    }

    String containerId() {
        return containerId;
    }

    boolean hasContainer() {
        return !containerId.isEmpty();
    }

    /** The router's view of it, or null while its endpoint is unknown. */
    ReplicaBackend backend() {
        return backend;
    }

    /** Why it leaves; null while it stays. */
    Departure departure() {
        return departure;
    }

    /** The grace its stop was given (in STOPPING). */
    Duration stopGrace() {
        return stopGrace;
    }

    boolean isLeaving() {
        return timeline.phase().leaving();
    }

    /** Whether failed probes do not count yet: a replica not yet ready, within its start grace. */
    boolean inStartGrace(long nowNanos) {
        return timeline.inStartGrace(nowNanos);
    }

    /** How long its latest stretch of readiness lasted (or lasts, if it is READY now); 0 if never ready. */
    long readyForNanos(long nowNanos) {
        return timeline.readyForNanos(nowNanos);
    }

    /** When it last became READY, for the candidate filter (slow start); {@link Long#MIN_VALUE} if never. */
    long readySinceNanos() {
        return timeline.readySinceNanos();
    }

    int weight() {
        return weight;
    }

    ReplicaView view(boolean healthy, int restarts) {
        return new ReplicaView(id, containerId, port, timeline.phase().view(), healthy,
                backend == null ? 0 : backend.requestCount(), backend == null ? 0 : backend.inFlight(),
                startedAt, restarts, backend == null ? null : backend.endpoint(), revision.hash(), weight);
    }

    @Override
    public String toString() {
        return id + "[" + port + ", " + timeline.phase() + ", " + revision + (containerId.isEmpty() ? "" : ", " + containerId) + "]";
    }
}
