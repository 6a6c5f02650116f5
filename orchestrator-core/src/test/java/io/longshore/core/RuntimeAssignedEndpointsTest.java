package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Backend;
import io.longshore.api.ContainerInfo;
import io.longshore.api.Endpoint;
import io.longshore.api.OrchestratorEvent.ReplicaEndpointAssigned;
import io.longshore.api.ReplicaState;
import io.longshore.api.Scheduler;
import io.longshore.testkit.FakeContainerRuntime;
import io.longshore.testkit.ScriptedProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An orchestrator on a runtime that assigns endpoints itself (as Kubernetes does): it routes
 * and probes where the runtime says, and neither before the runtime said it.
 */
class RuntimeAssignedEndpointsTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    /** The n-th container started serves on 127.0.0.1:40000+n (nothing listens: the probe is scripted). */
    private static Endpoint assigned(int n) {
        return Endpoint.loopback(40_000 + n);
    }

    private FakeContainerRuntime assigningLater(Duration delay) {
        return FakeContainerRuntime.assigningEndpointsLater(h.clock, RuntimeAssignedEndpointsTest::assigned, delay,
                h.scheduler);
    }

    private List<Endpoint> routable() {
        return h.orchestrator.router().routable().stream().map(Backend::endpoint).toList();
    }

    @Test
    void aReplicaIsNeitherProbedNorRoutedUntilTheRuntimeReportsItsEndpoint() {
        FakeContainerRuntime runtime = assigningLater(Duration.ofSeconds(5));
        h.start(h.builder().runtime(runtime).initialReplicas(2));

        h.seconds(4);
        assertThat(h.orchestrator.replicas()).hasSize(2).allSatisfy(view -> {
            assertThat(view.state()).isEqualTo(ReplicaState.STARTING);
            assertThat(view.endpoint()).isNull();
            assertThat(view.containerId()).isNotEmpty();
        });
        assertThat(h.probe.probedPorts()).isEmpty();
        assertThat(routable()).isEmpty();

        h.seconds(4);

        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::port).containsExactly(8000, 8001);
        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::endpoint).containsExactly(assigned(1), assigned(2));
        assertThat(h.orchestrator.replicas()).allMatch(view -> view.state() == ReplicaState.READY);
        assertThat(routable()).containsExactly(assigned(1), assigned(2));
        assertThat(h.probe.probedPorts()).containsOnly(40_001, 40_002);
        assertThat(h.events(ReplicaEndpointAssigned.class)).extracting(ReplicaEndpointAssigned::endpoint)
                .containsExactlyInAnyOrder(assigned(1), assigned(2));
    }

    @Test
    void theStartGraceCountsFromTheMomentTheEndpointIsKnown() {
        FakeContainerRuntime runtime = assigningLater(Duration.ofSeconds(20));
        h.probe.set(40_001, ScriptedProbe.Answer.FAIL);
        h.start(h.builder().runtime(runtime).initialReplicas(1).startGracePeriod(Duration.ofSeconds(10)));

        h.seconds(29);
        assertThat(runtime.stoppedIds()).isEmpty();

        h.seconds(4);
        assertThat(runtime.stoppedIds()).hasSize(1);
    }

    @Test
    void aReplicaIsRoutedToTheEndpointTheRuntimeChoseInItsAnswer() {
        FakeContainerRuntime runtime = FakeContainerRuntime.assigningEndpoints(h.clock, RuntimeAssignedEndpointsTest::assigned);
        h.start(h.builder().runtime(runtime).initialReplicas(3));

        h.seconds(2);

        assertThat(routable()).containsExactly(assigned(1), assigned(2), assigned(3));
        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::port).containsExactly(8000, 8001, 8002);
        assertThat(h.events(ReplicaEndpointAssigned.class)).hasSize(3);
        Map<String, String> labels = runtime.running().get(0).labels();
        assertThat(labels).containsEntry("io.longshore.port", "8000");
    }

    @Test
    void aCrashedReplicaIsReplacedInItsSlotAndTheReplacementServesWhereTheRuntimeSays() {
        FakeContainerRuntime runtime = FakeContainerRuntime.assigningEndpoints(h.clock, RuntimeAssignedEndpointsTest::assigned);
        h.start(h.builder().runtime(runtime).initialReplicas(2));
        h.seconds(2);

        runtime.crash(runtime.running().get(0).id(), 137);
        h.scheduler.runPending();
        assertThat(routable()).containsExactly(assigned(2));
        h.seconds(2);

        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::port).containsExactly(8000, 8001);
        assertThat(routable()).containsExactly(assigned(3), assigned(2));
        assertThat(runtime.stops()).singleElement().satisfies(stop -> assertThat(stop.grace()).isZero());
    }

    @Test
    void anEndpointReportedBeforeTheStartAnsweredStillReachesItsReplica() {
        Scheduler atOnce = (task, delay) -> {
            task.run();
            return () -> { };
        };
        FakeContainerRuntime runtime = FakeContainerRuntime.assigningEndpointsLater(h.clock,
                RuntimeAssignedEndpointsTest::assigned, Duration.ZERO, atOnce);

        h.start(h.builder().runtime(runtime).initialReplicas(1));
        h.seconds(2);

        assertThat(h.replicaAt(8000).endpoint()).isEqualTo(assigned(1));
        assertThat(routable()).containsExactly(assigned(1));
    }

    @Test
    void adoptionKeepsTheEndpointTheRuntimeListsAndStopsAContainerListedWithoutOne() {
        FakeContainerRuntime runtime = FakeContainerRuntime.assigningEndpoints(h.clock, RuntimeAssignedEndpointsTest::assigned);
        String hash = ContainerLabels.specHash(h.spec);
        ContainerInfo placed = runtime.preload(Endpoint.loopback(40_100),
                ContainerLabels.of("acts", "acts", "acts-8000-old", 8000, hash));
        ContainerInfo unplaced = runtime.preload(null, ContainerLabels.of("acts", "acts", "acts-8001-old", 8001, hash));

        h.start(h.builder().runtime(runtime).initialReplicas(2));
        h.seconds(2);

        assertThat(h.replicaAt(8000).id()).isEqualTo("acts-8000-old");
        assertThat(h.replicaAt(8000).endpoint()).isEqualTo(Endpoint.loopback(40_100));
        assertThat(runtime.stoppedIds()).containsExactly(unplaced.id());
        assertThat(h.replicaAt(8001).containerId()).isNotEqualTo(unplaced.id());
        assertThat(routable()).contains(Endpoint.loopback(40_100));
        assertThat(placed.id()).isEqualTo(h.replicaAt(8000).containerId());
    }
}
