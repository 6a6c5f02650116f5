package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.OrchestratorEvent.ReplicaDraining;
import io.longshore.api.OrchestratorEvent.ReplicaStopped;
import io.longshore.api.ReplicaState;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DrainAndReplaceByRequestTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    private boolean answer(CompletionStage<Boolean> stage) {
        h.scheduler.runPending();
        return stage.toCompletableFuture().getNow(null);
    }

    @Test
    void drainUnroutesAtOnceWaitsForRequestsInFlightThenAReplicaTakesItsPort() {
        h.start(h.builder().initialReplicas(2).maxReplicas(5).drainTimeout(Duration.ofSeconds(30)));
        h.seconds(2);
        String id = h.replicaAt(8001).id();
        String container = h.containerAt(8001);
        Lease inFlight = null;
        while (inFlight == null) {
            Lease lease = h.orchestrator.router().lease(Harness.GET).orElseThrow();
            if (lease.backend().endpoint().port() == 8001) {
                inFlight = lease;
            } else {
                lease.complete(200);
            }
        }

        assertThat(answer(h.orchestrator.drain(id))).isTrue();

        assertThat(h.routablePorts()).containsExactly(8000);
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.DRAINING);
        assertThat(h.events(ReplicaDraining.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("drained by request"));
        h.seconds(5);
        assertThat(h.runtime.running()).extracting(c -> c.id()).contains(container);

        inFlight.complete(200);
        h.advance(Duration.ofMillis(200));

        assertThat(h.runtime.stoppedIds()).contains(container);
        assertThat(h.replicaAt(8001).id()).isNotEqualTo(id);
        assertThat(h.orchestrator.status().desired()).isEqualTo(2);
        h.seconds(2);
        assertThat(h.routablePorts()).containsExactly(8000, 8001);
    }

    @Test
    void replaceStopsAtOnceWithoutWaitingForRequestsInFlight() {
        h.start(h.builder().initialReplicas(1).drainTimeout(Duration.ofSeconds(30)));
        h.seconds(2);
        String id = h.replicaAt(8000).id();
        String container = h.containerAt(8000);
        h.orchestrator.router().lease(Harness.GET).orElseThrow(); // never completes

        assertThat(answer(h.orchestrator.replace(id))).isTrue();

        assertThat(h.runtime.stoppedIds()).contains(container);
        assertThat(h.events(ReplicaStopped.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("replaced by request"));
        h.seconds(5);
        assertThat(h.replicaAt(8000).id()).isNotEqualTo(id);
        assertThat(h.routablePorts()).containsExactly(8000);
        assertThat(h.orchestrator.status().desired()).isEqualTo(1);
    }

    @Test
    void anUnknownIdOrAReplicaAlreadyLeavingAnswersFalse() {
        h.start(h.builder().initialReplicas(1).drainTimeout(Duration.ofSeconds(30)));
        h.seconds(2);
        String id = h.replicaAt(8000).id();
        h.orchestrator.router().lease(Harness.GET).orElseThrow(); // keeps it draining

        assertThat(answer(h.orchestrator.drain("acts-9999-1"))).isFalse();
        assertThat(answer(h.orchestrator.drain(id))).isTrue();
        assertThat(answer(h.orchestrator.drain(id))).isFalse();
        assertThat(answer(h.orchestrator.replace(id))).isFalse();
        assertThat(h.events(ReplicaDraining.class)).hasSize(1);
    }

    @Test
    void aClosedOrchestratorAnswersFalse() {
        h.startReady(1);
        String id = h.replicaAt(8000).id();
        h.close();

        assertThat(answer(h.orchestrator.drain(id))).isFalse();
        assertThat(answer(h.orchestrator.replace(id))).isFalse();
    }
}
