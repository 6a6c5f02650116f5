package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.OrchestratorEvent.UserCodeFailed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrchestratorRoutingTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void roundRobinThroughTheOrchestratorsRouterGivesEveryReplicaTheSameShareWithinOne() {
        h.startReady(4);

        h.requests(1003, 200);

        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::requests).containsExactly(251L, 251L, 251L, 250L);
        assertThat(h.orchestrator.router().metrics().inFlight()).isZero();
    }

    @Test
    void aThrowingStrategyFallsBackToRoundRobinAndIsReportedAsAnEvent() {
        h.start(h.builder().initialReplicas(3).strategy((candidates, request) -> {
            throw new IllegalStateException("strategy bug");
        }));
        h.seconds(2);

        h.requests(300, 200);
        h.scheduler.runPending();

        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::requests).containsOnly(100L);
        assertThat(h.events(UserCodeFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.error()).contains("strategy bug"));
    }
}
