package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerSpec;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.OrchestratorEvent.ReplicaDraining;
import io.longshore.api.OrchestratorEvent.ReplicaStarting;
import io.longshore.api.OrchestratorEvent.ReplicaStopped;
import io.longshore.api.OrchestratorEvent.ReplicaStopping;
import io.longshore.api.ReplicaState;
import io.longshore.testkit.FakeContainerRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Orchestrator#drain} and {@link Orchestrator#replace}: one replica out by request, a new one in its port. */
class DrainAndReplaceTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    private boolean answer(CompletionStage<Boolean> stage) {
        h.scheduler.runPending();
        return stage.toCompletableFuture().getNow(null);
    }


    private void runNext(List<Runnable> runtimeCalls) {
        runtimeCalls.remove(0).run();
        h.scheduler.runPending();
    }

    private List<String> typesSince(int from) {
        List<String> types = new ArrayList<>();
        h.events.subList(from, h.events.size()).forEach(e -> types.add(e.type()));
        return types;
    }

    @Test
    void drainUnroutesAtOnceLetsRequestsInFlightFinishStopsGracefullyThenANewReplicaTakesItsPort() {
        h.startReady(2);
        String id = h.replicaAt(8001).id();
        String container = h.containerAt(8001);
        Lease inFlight = h.leaseOn(8001);
        int before = h.events.size();

        assertThat(answer(h.orchestrator.drain(id))).isTrue();

        assertThat(h.routablePorts()).containsExactly(8000);
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.DRAINING);
        h.seconds(5);
        assertThat(h.runtime.running()).extracting(c -> c.id()).contains(container);

        inFlight.complete(200, h.now());
        h.advance(Duration.ofMillis(100));

        assertThat(h.runtime.stops()).singleElement()
                .isEqualTo(new FakeContainerRuntime.Stop(container, ContainerSpec.DEFAULT_STOP_GRACE));
        assertThat(h.replicaAt(8001).id()).isNotEqualTo(id);
        assertThat(h.orchestrator.status().desired()).isEqualTo(2);
        assertThat(typesSince(before)).containsSubsequence("ReplicaDraining", "ReplicaStopping", "ReplicaStopped",
                "ReplicaStarting");
        assertThat(h.events(ReplicaStarting.class)).last()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("replacing " + id + ": drained by request"));
        h.seconds(2);
        assertThat(h.routablePorts()).containsExactly(8000, 8001);
    }

    @Test
    void replaceStopsAtOnceWithoutGraceOrWaitingForRequestsInFlight() {
        h.startReady(1);
        String id = h.replicaAt(8000).id();
        String container = h.containerAt(8000);
        h.leaseOn(8000); // never completes

        assertThat(answer(h.orchestrator.replace(id))).isTrue();

        assertThat(h.runtime.stops()).singleElement().isEqualTo(new FakeContainerRuntime.Stop(container, Duration.ZERO));
        assertThat(h.events(ReplicaDraining.class)).isEmpty();
        assertThat(h.events(ReplicaStopped.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("replaced by request"));
        assertThat(h.replicaAt(8000).id()).isNotEqualTo(id);
        h.seconds(2);
        assertThat(h.routablePorts()).containsExactly(8000);
        assertThat(h.orchestrator.status().desired()).isEqualTo(1);
    }

    @Test
    void anUnknownIdAReplicaAlreadyLeavingOrAClosedOrchestratorAnswersFalse() {
        h.startReady(1);
        String id = h.replicaAt(8000).id();
        h.leaseOn(8000); // keeps it draining

        assertThat(answer(h.orchestrator.drain("acts-9999-1"))).isFalse();
        assertThat(answer(h.orchestrator.drain(id))).isTrue();
        assertThat(answer(h.orchestrator.drain(id))).isFalse();
        assertThat(answer(h.orchestrator.replace(id))).isFalse();
        assertThat(h.events(ReplicaDraining.class)).hasSize(1);

        h.close();
        assertThat(answer(h.orchestrator.replace(h.orchestrator.replicas().get(0).id()))).isFalse();
    }

    @Test
    void aReplaceByRequestIsNoFailureSoTheNextCrashIsReplacedAtOnce() {
        h.startReady(1);
        assertThat(answer(h.orchestrator.replace(h.replicaAt(8000).id()))).isTrue();
        h.seconds(2);

        h.runtime.crash(h.containerAt(8000), 1);
        h.scheduler.runPending();

        assertThat(h.runningPorts()).containsExactly(8000);
    }

    @Test
    void replacingAReplicaInRestartBackoffTriesANewOneAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        h.runtime.onStart(attempts::incrementAndGet);
        h.runtime.failNextStarts(2, "image not found");
        h.start(h.builder().initialReplicas(1));
        h.seconds(1);
        assertThat(attempts.get()).isEqualTo(2);
        String waiting = h.replicaAt(8000).id();

        assertThat(answer(h.orchestrator.replace(waiting))).isTrue();

        assertThat(attempts.get()).isEqualTo(3);
        assertThat(h.replicaAt(8000).id()).isNotEqualTo(waiting);
        assertThat(h.runningPorts()).containsExactly(8000);
        assertThat(h.events(ReplicaStopped.class)).as("it never ran").isEmpty();
    }

    @Test
    void aReplicaDrainedWhileItsStartIsUnderWayIsStoppedOnceTheStartReturns() {
        List<Runnable> runtimeCalls = new ArrayList<>();
        h.start(h.builder().initialReplicas(1).runtimeExecutor(runtimeCalls::add));
        runNext(runtimeCalls); // the listing for adoption; then the start is under way
        String id = h.replicaAt(8000).id();
        assertThat(runtimeCalls).hasSize(1);

        assertThat(answer(h.orchestrator.drain(id))).isTrue();
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.DRAINING);
        assertThat(h.runtime.startedIds()).isEmpty();
        runNext(runtimeCalls); // the start returns
        runNext(runtimeCalls); // the stop it is met with

        assertThat(h.runtime.stoppedIds()).hasSize(1);
        assertThat(h.events(ReplicaStopping.class)).singleElement()
                .satisfies(e -> assertThat(e.grace()).isEqualTo(ContainerSpec.DEFAULT_STOP_GRACE));
        assertThat(h.replicaAt(8000).id()).isNotEqualTo(id);
        assertThat(h.events(OrchestratorEvent.ReplicaStarting.class)).hasSize(2);
    }
}
