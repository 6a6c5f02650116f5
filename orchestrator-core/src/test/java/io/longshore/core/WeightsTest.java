package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.Backend;
import io.longshore.api.ContainerSpec;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WeightsTest {
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
    void everyReplicaOfAServiceTakesTheWeightOfItsSpec() {
        h.start(h.builder().service(h.spec.toBuilder().weight(3).build()).initialReplicas(2));
        h.seconds(2);

        assertThat(h.orchestrator.router().routable()).extracting(Backend::weight).containsExactly(3, 3);
        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::weight).containsExactly(3, 3);
    }

    @Test
    void aReplicasWeightSetWhileItRunsReachesTheRouterAndTheWeightedStrategy() {
        h.startReady(3);
        String first = h.replicaAt(8000).id();

        assertThat(answer(h.orchestrator.setWeight(first, 4))).isTrue();

        assertThat(h.replicaAt(8000).weight()).isEqualTo(4);
        assertThat(h.orchestrator.router().routable()).extracting(Backend::weight).containsExactly(4, 1, 1);
        h.requests(600, 200);
        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::requests).containsExactly(400L, 100L, 100L);
    }

    @Test
    void aReplacementStartsWithItsSpecsWeight() {
        h.startReady(2);
        String first = h.replicaAt(8000).id();
        answer(h.orchestrator.setWeight(first, 7));

        answer(h.orchestrator.replace(first));
        h.seconds(3);

        assertThat(h.replicaAt(8000).id()).isNotEqualTo(first);
        assertThat(h.replicaAt(8000).weight()).isEqualTo(1);
    }

    @Test
    void anUnknownReplicaIsAnsweredFalseAndAWeightOutOfRangeIsRefused() {
        h.startReady(1);

        assertThat(answer(h.orchestrator.setWeight("nobody", 2))).isFalse();
        assertThatThrownBy(() -> h.orchestrator.setWeight(h.replicaAt(8000).id(), 0))
                .hasMessageContaining("weight must be in 1.." + ContainerSpec.MAX_WEIGHT + ", was 0");
        assertThatThrownBy(() -> ContainerSpec.builder("s").command("x").weight(1001))
                .hasMessageContaining("weight must be in 1..1000, was 1001");
    }
}
