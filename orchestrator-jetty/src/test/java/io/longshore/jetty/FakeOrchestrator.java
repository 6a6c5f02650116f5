package io.longshore.jetty;

import io.longshore.api.ContainerSpec;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ReplicaState;
import io.longshore.core.Orchestrator;
import io.longshore.core.OrchestratorStatus;
import io.longshore.core.ReplicaView;
import io.longshore.core.RolloutException;
import io.longshore.core.RolloutStatus;
import io.longshore.core.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An orchestrator whose answers the test sets; records start, close, scale, drain and replace
 * calls. Drain and replace take a replica it lists unless that one is DRAINING (or
 * {@link #actionAnswer} is set). It has no rollouts (every rollout request fails); admin tests of
 * rollouts use a real orchestrator. Thread-safe enough for tests.
 */
final class FakeOrchestrator implements Orchestrator {
    final String service;
    final Router router;
    volatile List<ReplicaView> replicas = List.of();
    volatile List<OrchestratorEvent> events = List.of();
    volatile Optional<OrchestratorStatus.Scaling> lastScaling = Optional.empty();
    volatile Optional<io.longshore.api.OrchestratorEvent.ScalingDecided> lastDecision = Optional.empty();
    volatile int desired = 2;
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    final List<Integer> scaleRequests = new ArrayList<>();
    final Map<String, Integer> weights = new ConcurrentHashMap<>();
    final List<String> drains = new CopyOnWriteArrayList<>();
    final List<String> replaces = new CopyOnWriteArrayList<>();
    /** When set, what drain and replace answer instead. */
    volatile CompletionStage<Boolean> actionAnswer;
    /** When set, what start() throws. */
    volatile RuntimeException startFailure;

    FakeOrchestrator(String service, Router router) {
        this.service = service;
        this.router = router;
    }

    @Override
    public Orchestrator start() {
        starts.incrementAndGet();
        if (startFailure != null) {
            throw startFailure;
        }
        return this;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }

    @Override
    public String service() {
        return service;
    }

    @Override
    public Router router() {
        return router;
    }

    @Override
    public List<ReplicaView> replicas() {
        return replicas;
    }

    @Override
    public OrchestratorStatus status() {
        return new OrchestratorStatus(service, desired, 2, 1, 5, router.strategyName(), "requests-per-replica",
                lastScaling, lastDecision);
    }

    @Override
    public synchronized int scaleTo(int replicas) {
        scaleRequests.add(replicas);
        desired = Math.max(1, Math.min(5, replicas));
        return desired;
    }

    @Override
    public List<OrchestratorEvent> recentEvents(int limit) {
        return events.subList(0, Math.min(limit, events.size()));
    }

    @Override
    public CompletionStage<Boolean> drain(String replicaId) {
        drains.add(replicaId);
        return answer(replicaId);
    }

    @Override
    public CompletionStage<Boolean> replace(String replicaId) {
        replaces.add(replicaId);
        return answer(replicaId);
    }

    private CompletionStage<Boolean> answer(String replicaId) {
        if (actionAnswer != null) {
            return actionAnswer;
        }
        return CompletableFuture.completedFuture(replicas.stream()
                .anyMatch(r -> r.id().equals(replicaId) && r.state() != ReplicaState.DRAINING));
    }

    /** Sets the weight of a replica listed in {@link #replicas}; false for any other. */
    @Override
    public CompletionStage<Boolean> setWeight(String replicaId, int weight) {
        boolean known = replicas.stream().anyMatch(r -> r.id().equals(replicaId));
        if (known) {
            weights.put(replicaId, weight);
        }
        return CompletableFuture.completedFuture(known);
    }

    @Override
    public ContainerSpec spec() {
        return ContainerSpec.builder(service).command("fake").build();
    }

    @Override
    public CompletionStage<RolloutStatus> update(ContainerSpec spec) {
        return CompletableFuture.failedFuture(new RolloutException("the fake orchestrator has no rollouts"));
    }

    @Override
    public Optional<RolloutStatus> rollout() {
        return Optional.empty();
    }

    @Override
    public CompletionStage<RolloutStatus> pauseRollout() {
        return update(spec());
    }

    @Override
    public CompletionStage<RolloutStatus> resumeRollout() {
        return update(spec());
    }

    @Override
    public CompletionStage<RolloutStatus> undoRollout() {
        return update(spec());
    }
}
