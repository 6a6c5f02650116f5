package io.longshore.core;

import io.longshore.api.ContainerInfo;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.Scheduler;
import io.longshore.core.internal.DefaultRouter;
import io.longshore.core.internal.ReplicaBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The owner of one orchestrator's state: the replica table, the desired count, and the
 * collaborators that change them (lifecycle, adoption, probes, outlier ejector, scaling ticker,
 * rollouts), each lent a {@link ControlPort} and the table, never the loop. Every change happens
 * in a task of the scheduler; after each batch of tasks a rollout under way is looked at (and the
 * replicas reconciled), then the routing snapshot and the views are published. The desired count
 * lives in {@link DesiredReplicas}, the passes in a {@link Reconciler}, the publications in
 * {@link LoopViews}, the requests of other threads in {@link LoopRequests}. Readers on other
 * threads see only {@link #published()} and the router. The public methods may be called from
 * any thread; the rest runs on the loop. Thread-safe in that sense.
 */
final class ControlLoop {
    private final OrchestratorConfig config;
    private final String service;
    private final LoopPort port;
    private final ReplicaTable table;
    private final EventLog events;
    private final DefaultRouter router;
    private final ReplicaLifecycle lifecycle;
    private final Adoption adoption;
    private final ProbeRunner probes;
    private final OutlierEjector ejector;
    private final ScalingTicker scaling;
    private final Rollouts rollouts;
    private final DesiredReplicas desired;
    private final Reconciler reconciler;
    private final LoopViews views;
    private final LoopRequests requests;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private boolean running;
    private boolean closing;

    /**
     * @param executor where the runtime's blocking calls run
     * @param probeExecutor where the probe's {@code probe()} calls run
     */
    ControlLoop(OrchestratorConfig config, Scheduler scheduler, Executor executor, Executor probeExecutor) {
        this.config = config;
        this.service = config.service().service();
        this.table = new ReplicaTable(service);
        this.events = new EventLog(EventLog.DEFAULT_CAPACITY, config.listeners(), config.clock(), service);
        this.port = new LoopPort(service, config.clock(), scheduler, executor, events, this::refresh,
                this::publishRouting, config.containerConcurrency());
        OutlierEjection ejection = new OutlierEjection(config.outlierDetection());
        this.router = new DefaultRouter(config.strategy(), config.clock(), ejection.reportThreshold(), new RouterHooks());
        this.desired = new DesiredReplicas(port, config, this::reconcile, () -> closing);
        this.rollouts = new Rollouts(port, table, config.rollout(), Revision.of(config.service(), 1));
        this.lifecycle = new ReplicaLifecycle(port, table, config, rollouts, this::reconcile);
        this.reconciler = new Reconciler(rollouts, desired::desired, () -> running && !closing, lifecycle::carryOut);
        this.adoption = new Adoption(port, table, config, lifecycle::retire, lifecycle::adopted);
        this.probes = new ProbeRunner(port, table, config, probeExecutor, lifecycle::replaceFailed);
        this.ejector = new OutlierEjector(port, table, ejection);
        this.scaling = new ScalingTicker(port, table, router, config, desired);
        RoutingPublisher routing = new RoutingPublisher(router,
                CandidateFilter.standard(config.outlierDetection().panicThresholdPercent(), config.slowStart()));
        this.views = new LoopViews(port, table, routing, probes, lifecycle,
                Published.of(List.of(), List.of(), status(), config.service(), Optional.empty()));
        this.requests = new LoopRequests(port, table, lifecycle, rollouts, this::reconcile, () -> closing);
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
        int clamped = desired.clamp(replicas);
        String reason = desired.requestReason(replicas, clamped);
        port.post(() -> desired.scaleTo(clamped, reason));
        return clamped;
    }

    /** See {@link LoopRequests#leave}. */
    CompletionStage<Boolean> leave(String replicaId, Departure departure) {
        return requests.leave(replicaId, departure);
    }

    /** See {@link LoopRequests#rollout}. */
    CompletionStage<RolloutStatus> rollout(Function<Rollouts, RolloutStatus> request) {
        return requests.rollout(request);
    }

    /** See {@link LoopRequests#setWeight}. */
    CompletionStage<Boolean> setWeight(String replicaId, int weight) {
        return requests.setWeight(replicaId, weight);
    }

    /** The desired count now, for rollout requests (on the loop). */
    int desired() {
        return desired.desired();
    }

    DefaultRouter router() {
        return router;
    }

    Published published() {
        return views.published();
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
        desired.atLeast(adopted);
        running = true;
        reconcile();
        probes.start();
        scaling.start();
    }

    /** Carries out a fresh plan: see {@link Reconciler}. */
    private void reconcile() {
        reconciler.reconcile();
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
        views.publishRouting(closing);
    }

    /** Settles a rollout, then publishes the routing snapshot (when it changed) and the views. */
    private void refresh() {
        reconciler.settle();
        publishRouting();
        views.publishViews(status(), rollouts.target().spec(), rollouts.status(desired.desired()));
        if (closing && (table.isEmpty() || !config.stopReplicasOnClose())) {
            closed.complete(null);
        }
    }

    private OrchestratorStatus status() {
        return desired.status(table.readyCount());
    }

    /** The router's hooks: each hands its news to the loop. */
    private final class RouterHooks implements DefaultRouter.Hooks {
        /** Whether a decision for waiting requests is posted and not yet run. */
        private final AtomicBoolean waitingPosted = new AtomicBoolean();

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
