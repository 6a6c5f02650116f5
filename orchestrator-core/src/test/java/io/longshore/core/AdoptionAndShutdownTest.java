package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.OrchestratorEvent.ReplicaAdopted;
import io.longshore.api.OrchestratorEvent.ReplicaExited;
import io.longshore.api.ReplicaState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdoptionAndShutdownTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    private ContainerInfo preload(int port, ContainerSpec spec) {
        Map<String, String> labels = ContainerLabels.of("acts", "acts", "acts-" + port + "-old", port,
                ContainerLabels.specHash(spec));
        return h.runtime.preload(Endpoint.loopback(port), labels);
    }

    @Test
    void runningContainersWithTheSameSpecAreAdoptedWithoutDuplicates() {
        ContainerInfo a = preload(8000, h.spec);
        ContainerInfo b = preload(8001, h.spec);

        h.start(h.builder().initialReplicas(2));

        assertThat(h.runtime.startedIds()).isEmpty();
        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::containerId).containsExactly(a.id(), b.id());
        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::id).containsExactly("acts-8000-old", "acts-8001-old");
        assertThat(h.events(ReplicaAdopted.class)).hasSize(2);

        h.seconds(1);
        assertThat(h.routablePorts()).containsExactly(8000, 8001);
    }

    @Test
    void aContainerThatExitsWhileTheListIsOnItsWayToTheLoopIsReplacedOnceAdopted() {
        ContainerInfo left = preload(8000, h.spec);
        ContainerRuntime exitsAfterTheList = new DelegatingRuntime(h.runtime) {
            @Override
            public List<ContainerInfo> list(Map<String, String> labels) {
                List<ContainerInfo> found = super.list(labels);
                h.runtime.crash(left.id(), 137);        // reported before the list's answer reaches the loop
                return found;
            }
        };

        h.start(h.builder().runtime(exitsAfterTheList).initialReplicas(1));

        assertThat(h.events(ReplicaAdopted.class)).singleElement()
                .satisfies(e -> assertThat(e.containerId()).isEqualTo(left.id()));
        assertThat(h.events(ReplicaExited.class)).singleElement().satisfies(e -> {
            assertThat(e.containerId()).isEqualTo(left.id());
            assertThat(e.exitCode()).isEqualTo(137);
        });
        assertThat(h.runtime.startedIds()).as("its replacement").hasSize(1);
        assertThat(h.replicaAt(8000).containerId()).isEqualTo(h.runtime.startedIds().get(0));
    }

    @Test
    void aRuntimeThatCannotListYetIsAskedAgainAndNothingStartsUntilItAnswers() {
        ContainerInfo left = preload(8000, h.spec);
        h.runtime.failNextLists(3);

        h.start(h.builder().initialReplicas(1));

        // adopting none and starting afresh would put a second container beside the one left
        assertThat(h.runtime.startedIds()).isEmpty();
        assertThat(h.orchestrator.replicas()).isEmpty();
        h.seconds(1); // retries after 250 and 500 ms, the third of them due 1 s after that
        assertThat(h.runtime.listCalls()).isEqualTo(3);
        assertThat(h.orchestrator.replicas()).isEmpty();

        h.seconds(1);
        assertThat(h.runtime.listCalls()).isEqualTo(4);
        assertThat(h.runtime.startedIds()).isEmpty();
        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::containerId).containsExactly(left.id());
        assertThat(h.events(ReplicaAdopted.class)).hasSize(1);
    }

    @Test
    void aListThatDoesNotReturnIsAskedAgainAfterTheListTimeoutAndItsLateAnswerIsIgnored() {
        ContainerInfo left = preload(8000, h.spec);
        HoldingExecutor executor = new HoldingExecutor();
        executor.hold();
        h.start(h.builder().runtimeExecutor(executor).initialReplicas(1));
        executor.stopHolding();
        assertThat(executor.held).as("the list under way").hasSize(1);

        h.advance(Adoption.LIST_TIMEOUT.minusSeconds(1));
        assertThat(h.orchestrator.replicas()).isEmpty();
        assertThat(h.runtime.listCalls()).isZero();

        h.seconds(1); // given up; asked again 250 ms later
        assertThat(h.orchestrator.replicas()).isEmpty();
        h.seconds(1);
        assertThat(h.runtime.listCalls()).isEqualTo(1);
        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::containerId).containsExactly(left.id());

        executor.releaseHeld(); // the first list returns at last: nothing is adopted or started twice
        h.seconds(5);
        assertThat(h.runtime.listCalls()).isEqualTo(2);
        assertThat(h.events(ReplicaAdopted.class)).hasSize(1);
        assertThat(h.runtime.startedIds()).isEmpty();
        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::containerId).containsExactly(left.id());
    }

    @Test
    void aClosedOrchestratorStopsAskingARuntimeThatCannotList() {
        h.runtime.failNextLists(1_000);
        h.start(h.builder().initialReplicas(1));
        h.seconds(1);
        int calls = h.runtime.listCalls();

        h.orchestrator.close();
        h.seconds(30);

        assertThat(h.runtime.listCalls()).isLessThanOrEqualTo(calls + 1);
        assertThat(h.runtime.startedIds()).isEmpty();
    }

    @Test
    void staleContainersAreStoppedAndReplacedByFreshOnes() {
        ContainerSpec old = h.spec.toBuilder().command("acts-server", "--old").build();
        ContainerInfo stale = preload(8000, old);

        h.start(h.builder().initialReplicas(1));

        assertThat(h.runtime.stoppedIds()).containsExactly(stale.id());
        assertThat(h.runtime.startedIds()).hasSize(1);
        assertThat(h.runningPorts()).containsExactly(8000);
        assertThat(h.events(ReplicaAdopted.class)).isEmpty();
    }

    @Test
    void exitedContainersAreRemovedNotAdopted() {
        ContainerInfo dead = preload(8000, h.spec);
        h.runtime.crashSilently(dead.id());

        h.start(h.builder().initialReplicas(1));

        assertThat(h.runtime.stoppedIds()).containsExactly(dead.id());
        assertThat(h.replicaAt(8000).containerId()).isNotEqualTo(dead.id());
    }

    @Test
    void aGapLeftByAdoptionIsFilledWithTheLowestFreePort() {
        preload(8000, h.spec);
        preload(8002, h.spec);

        h.start(h.builder().initialReplicas(3));

        assertThat(h.ports()).containsExactly(8000, 8001, 8002);
        assertThat(h.runtime.startedIds()).hasSize(1);
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.STARTING);
    }

    @Test
    void closeDrainsAndStopsEveryReplicaAndUnsubscribes() {
        h.startReady(3);
        assertThat(h.runtime.watcherCount()).isEqualTo(1);

        h.orchestrator.close();
        h.orchestrator.close();
        h.scheduler.runPending();

        assertThat(h.runtime.running()).isEmpty();
        assertThat(h.runtime.watcherCount()).isZero();
        assertThat(h.orchestrator.replicas()).isEmpty();
        assertThat(h.routablePorts()).isEmpty();
    }

    @Test
    void closeCanLeaveReplicasRunningForTheNextOrchestratorToAdopt() {
        h.start(h.builder().initialReplicas(2).stopReplicasOnClose(false));
        h.seconds(2);
        var ids = h.runtime.running().stream().map(ContainerInfo::id).toList();

        h.orchestrator.close();
        h.scheduler.runPending();
        assertThat(h.runtime.running()).extracting(ContainerInfo::id).containsExactlyElementsOf(ids);

        h.start(h.builder().initialReplicas(2));
        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::containerId).containsExactlyElementsOf(ids);
        assertThat(h.runtime.startedIds()).hasSize(2);
    }

    @Test
    void containersCarryTheOrchestratorsLabels() {
        h.start(h.builder().initialReplicas(1));

        Map<String, String> labels = h.runtime.running().get(0).labels();

        assertThat(labels).containsEntry("io.longshore.orchestrator", "acts")
                .containsEntry("io.longshore.service", "acts")
                .containsEntry("io.longshore.port", "8000")
                .containsEntry("io.longshore.replica", h.replicaAt(8000).id())
                .containsEntry("io.longshore.spec-hash", ContainerLabels.specHash(h.spec));
    }

    @Test
    void theSpecHashIsStableAndChangesWithWhatRuns() {
        ContainerSpec same = ContainerSpec.builder("acts").command("acts-server").build();
        ContainerSpec other = same.toBuilder().env("MODE", "debug").build();

        assertThat(ContainerLabels.specHash(same)).isEqualTo(ContainerLabels.specHash(h.spec)).hasSize(16);
        assertThat(ContainerLabels.specHash(other)).isNotEqualTo(ContainerLabels.specHash(same));
    }
}
