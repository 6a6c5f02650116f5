package io.longshore.core;

import io.longshore.api.Clock;
import io.longshore.api.ContainerInfo;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.Scheduler;
import io.longshore.api.internal.UserCode;
import io.longshore.core.internal.DefaultRouter;
import io.longshore.core.internal.ReplicaBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The owner of one orchestrator's state: the replica table, the desired count, and the
 * collaborators that change them (lifecycle, adoption, probes, outlier ejector, scaling ticker,
 * rollouts), each lent a {@link ControlPort} and the table, never the loop. Every change happens
 * in a task of the scheduler; after each batch of tasks a rollout under way is looked at (and the
 * replicas reconciled), then the routing snapshot and the views are published. Readers on other
 * threads see only {@link #published()} and the router. The public methods may be called from any
 * thread; the rest runs on the loop. Thread-safe in that sense.
 */
final class ControlLoop {
    private final OrchestratorConfig config;
    private final String service;
    private final Clock clock;
    private final LoopPort port;
    private final ReplicaTable table;
    private final EventLog events;
    private final DefaultRouter router;
    private final RoutingPublisher routing;
    private final ReplicaLifecycle lifecycle;
    private final Adoption adoption;
    private final ProbeRunner probes;
    private final OutlierEjector ejector;
    private final ScalingTicker scaling;
    private final Rollouts rollouts;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Published published;
    private int desired;
    private boolean running;
    private boolean closing;
    private boolean reselectPending;
    /** Whether a reconcile pass is under way (a replica it takes away may ask for another). */
    private boolean reconciling;
    /** Whether a pass was asked for during the one under way: it runs once that one is done. */
    private boolean reconcileAgain;
    private Optional<OrchestratorStatus.Scaling> lastScaling = Optional.empty();
    private Optional<OrchestratorEvent.ScalingDecided> lastDecision = Optional.empty();
    /** Whether a decision for waiting requests is posted and not yet run. */
    private final AtomicBoolean waitingPosted = new AtomicBoolean();

    /**
     * @param executor where the runtime's blocking calls run
     * @param probeExecutor where the probe's {@code probe()} calls run
     */
    ControlLoop(OrchestratorConfig config, Scheduler scheduler, Executor executor, Executor probeExecutor) {
        this.config = config;
        this.service = config.service().service();
        this.clock = config.clock();
        this.table = new ReplicaTable(service);
        this.events = new EventLog(EventLog.DEFAULT_CAPACITY, config.listeners(), clock, service);
        this.port = new LoopPort(service, clock, scheduler, executor, events, this::refresh, this::publishRouting,
                config.containerConcurrency());
        OutlierEjection ejection = new OutlierEjection(config.outlierDetection());
        this.router = new DefaultRouter(config.strategy(), clock, ejection.reportThreshold(), new RouterHooks());
        this.routing = new RoutingPublisher(router,
                CandidateFilter.standard(config.outlierDetection().panicThresholdPercent(), config.slowStart()));
        this.desired = config.initialReplicas();
        this.rollouts = new Rollouts(port, table, config.rollout(), Revision.of(config.service(), 1));
        this.lifecycle = new ReplicaLifecycle(port, table, config, rollouts, this::reconcile);
        this.adoption = new Adoption(port, table, config, lifecycle::retire, lifecycle::adopted);
        this.probes = new ProbeRunner(port, table, config, probeExecutor, lifecycle::replaceFailed);
        this.ejector = new OutlierEjector(port, table, ejection);
        this.scaling = new ScalingTicker(port, table, router, config, new DesiredCount());
        this.published = Published.of(List.of(), List.of(), status(), config.service(), Optional.empty());
    }

    // ---- from any thread ----

    /** Starts the loop's work: see {@link #startWith}. */
    void start() {
        port.post(this::begin);
    }

    /** Begins the shutdown: stops ticking and, unless configured otherwise, removes every replica. */
    void close() {
        port.post(this::beginClose);
    }

    /** Completes once the shutdown is done (every replica stopped, or none to stop). */
    CompletableFuture<Void> closed() {
        return closed;
    }

    /** Sets the desired count, clamped to min/max, until the policy next decides; returns the clamped count. */
    int scaleTo(int replicas) {
        int clamped = clamp(replicas);
        String reason = clamped == replicas ? "scaled to " + replicas + " by request"
                : "scaled to " + clamped + " by request for " + replicas + " (min " + config.minReplicas()
                        + ", max " + config.maxReplicas() + ")";
        port.post(() -> setDesired(clamped, reason));
        return clamped;
    }

    /**
     * Makes replica {@code replicaId} leave as {@code departure} says; completes with whether it
     * did (false when there is no such replica, it is leaving already, or the loop is closing).
     */
    CompletionStage<Boolean> leave(String replicaId, Departure departure) {
        return onLoop(() -> {
            Replica replica = table.byId(replicaId);
            return replica != null && lifecycle.leave(replica, departure);
        }, () -> false);
    }

    /**
     * Runs a rollout request on the loop, then reconciles; completes with its answer, or
     * exceptionally with the {@link RolloutException} it threw (the request does not fit the
     * rollout's state, or the orchestrator is closing).
     */
    CompletionStage<RolloutStatus> rollout(Function<Rollouts, RolloutStatus> request) {
        return onLoop(() -> {
            RolloutStatus answer = request.apply(rollouts);
            reconcile();
            return answer;
        }, () -> {
            throw new RolloutException("the orchestrator is closing");
        });
    }

    /**
     * Runs {@code request} on the loop, or {@code whenClosing} once the loop is closing or closed;
     * completes with what it returns or the {@link RolloutException} it throws. Anything else it
     * throws is a bug: the answer fails with it and the loop logs it.
     */
    private <T> CompletionStage<T> onLoop(Supplier<T> request, Supplier<T> whenClosing) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        if (!port.submit(() -> answer(answer, closing ? whenClosing : request))) {
            answer(answer, whenClosing);
        }
        return answer;
    }

    /**
     * Sets replica {@code replicaId}'s weight; completes with whether it did (false when there is
     * no such replica or it is leaving).
     */
    CompletionStage<Boolean> setWeight(String replicaId, int weight) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        boolean posted = port.submit(() -> {
            Replica replica = table.byId(replicaId);
            boolean set = replica != null && !replica.isLeaving();
            if (set) {
                replica.weight(weight);
                publishRouting();
            }
            answer.complete(set);
        });
        if (!posted) {
            answer.complete(false);
        }
        return answer;
    }

    private static <T> void answer(CompletableFuture<T> answer, Supplier<T> value) {
        try {
            answer.complete(value.get());
        } catch (RolloutException e) {
            answer.completeExceptionally(e);
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            throw e;
        }
    }

    /** The desired count now, for rollout requests (on the loop). */
    int desired() {
        return desired;
    }

    DefaultRouter router() {
        return router;
    }

    Published published() {
        return published;
    }

    List<OrchestratorEvent> recentEvents(int limit) {
        return events.recent(limit);
    }

    /** Loop tasks that threw (each is logged as an error; the loop went on): a bug if not 0. */
    int failedTasks() {
        return port.failedTasks();
    }

    // ---- on the loop ----

    private void begin() {
        if (closing) {
            return;
        }
        lifecycle.watch();
        adoption.find(this::startWith, () -> closing);
    }

    /**
     * The start proper, once the runtime said what it runs: recover the desired spec, adopt (a
     * rollout goes on when replicas of other specs were adopted), reconcile, start probes, start
     * scaling.
     */
    private void startWith(List<ContainerInfo> containers) {
        if (closing) {
            return;
        }
        FoundReplicas found = FoundReplicas.of(containers, rollouts.target());
        int adopted = adoption.adopt(found);
        rollouts.recovered(found.desired(), found.reason());
        desired = clamp(Math.max(desired, adopted));
        running = true;
        reconcile();
        probes.start();
        scaling.start();
    }

    /**
     * Carries out a fresh plan. Never re-entrant: a replica the plan takes away can leave the table
     * at once (one in backoff), and a pass run from inside would start replicas the outer, older
     * plan then starts again, beyond the surge. Such a request runs as a new pass after this one.
     */
    private void reconcile() {
        if (reconciling) {
            reconcileAgain = true;
            return;
        }
        reconciling = true;
        try {
            do {
                reconcileAgain = false;
                if (running && !closing) {
                    lifecycle.carryOut(rollouts.plan(desired));
                }
            } while (reconcileAgain);
        } finally {
            reconciling = false;
        }
    }

    /** After a batch of tasks: the latest rollout looks at the replicas; while one goes on, they are reconciled. */
    private void settle() {
        if (!running || closing || !rollouts.any()) {
            return;
        }
        rollouts.observe(desired);
        if (rollouts.unsettled()) {
            reconcile();
        }
    }

    private void setDesired(int to, String reason) {
        int from = desired;
        if (to == from || closing) {
            return;
        }
        desired = to;
        Instant at = port.now();
        lastScaling = Optional.of(new OrchestratorStatus.Scaling(at, from, to, reason));
        port.emit(new OrchestratorEvent.Scaled(at, service, from, to, reason));
        reconcile();
    }

    private int clamp(int replicas) {
        return Math.max(config.minReplicas(), Math.min(config.maxReplicas(), replicas));
    }

    private void beginClose() {
        if (closing) {
            return;
        }
        closing = true;
        probes.stop();
        scaling.stop();
        lifecycle.close();
        if (config.stopReplicasOnClose()) {
            for (Replica replica : table.all()) {
                lifecycle.leave(replica, Departure.remove("orchestrator closing"));
            }
        }
    }

    /** Publishes the routing; while a replica ramps up (slow start), again after each step of the ramp. */
    private void publishRouting() {
        CandidateFilter.Selection selection = routing.publish(table.candidates(), clock.nanoTime());
        if (!reselectPending && !closing) {
            routing.reselectAfter(selection).ifPresent(step -> {
                reselectPending = true;
                port.later(step, () -> reselectPending = false); // the refresh after the task publishes
            });
        }
    }

    /** Settles a rollout, then publishes the routing snapshot (when it changed) and the views. */
    private void refresh() {
        settle();
        publishRouting();
        List<ReplicaView> views = new ArrayList<>(table.values().size());
        List<ReplicaBackend> backends = new ArrayList<>(views.size());
        for (Replica replica : table.values()) {
            views.add(replica.view(probes.lastHealthy(replica), lifecycle.restarts(replica.port())));
            backends.add(replica.backend());
        }
        published = Published.of(views, backends, status(), rollouts.target().spec(), rollouts.status(desired));
        if (closing && (table.isEmpty() || !config.stopReplicasOnClose())) {
            closed.complete(null);
        }
    }

    private OrchestratorStatus status() {
        return new OrchestratorStatus(service, desired, table.readyCount(), config.minReplicas(),
                config.maxReplicas(), UserCode.name(config.strategy()), UserCode.name(config.scalingPolicy()),
                lastScaling, lastDecision);
    }

    /** The desired count as the scaling ticker sees and sets it. */
    private final class DesiredCount implements ScalingTicker.Target {
        @Override
        public int desired() {
            return desired;
        }

        @Override
        public Optional<Instant> lastScaledAt() {
            return lastScaling.map(OrchestratorStatus.Scaling::at);
        }

        @Override
        public void scaleTo(int replicas, String reason) {
            setDesired(replicas, reason);
        }

        /** Every decision goes to the listeners; the ring keeps those that changed the count or the mode. */
        @Override
        public void decided(OrchestratorEvent.ScalingDecided decision) {
            boolean keep = decision.to() != decision.from()
                    || lastDecision.map(last -> !last.mode().equals(decision.mode())).orElse(true);
            lastDecision = Optional.of(decision);
            if (keep) {
                port.emit(decision);
            } else {
                port.tell(decision);
            }
        }
    }

    /** The router's hooks: each hands its news to the loop. */
    private final class RouterHooks implements DefaultRouter.Hooks {
        @Override
        public void outlier(ReplicaBackend backend) {
            port.post(() -> ejector.onOutlier(backend));
        }

        @Override
        public void firstRequest(Instant at) {
            port.post(scaling::firstRequest);
        }

        @Override
        public void userCodeFailed(String component, String error) {
            port.post(() -> port.emit(new OrchestratorEvent.UserCodeFailed(port.now(), service, component, error)));
        }

        @Override
        public void capacityWanted() {
            if (waitingPosted.compareAndSet(false, true)) {
                port.post(() -> {
                    waitingPosted.set(false);
                    if (!closing) {
                        scaling.waiting();
                    }
                });
            }
        }

        @Override
        public void coldStarted(Duration took, int held) {
            port.post(() -> port.emit(new OrchestratorEvent.ColdStarted(port.now(), service, took, held)));
        }
    }
}
