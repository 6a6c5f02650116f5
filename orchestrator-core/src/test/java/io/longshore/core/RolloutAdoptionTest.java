package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.OrchestratorEvent.ReplicaAdopted;
import io.longshore.api.OrchestratorEvent.ReplicaStartFailed;
import io.longshore.api.OrchestratorEvent.ReplicaStarting;
import io.longshore.api.OrchestratorEvent.ReplicaStopped;
import io.longshore.api.OrchestratorEvent.ReplicaStopping;
import io.longshore.api.OrchestratorEvent.RolloutStarted;
import io.longshore.api.ReplicaState;
import io.longshore.core.RolloutStatus.State;
import io.longshore.testkit.FakeContainerRuntime;
import io.longshore.testkit.ScriptedProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An orchestrator started over what another one left: in the middle of a rollout, after one, with
 * a changed configuration; stale containers, replicas still starting, replica ids.
 */
class RolloutAdoptionTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    /** Closes the running orchestrator, leaving its replicas for the next one. */
    private void leaveReplicasRunning() {
        h.orchestrator.close();
        h.scheduler.runPending();
        h.events.clear();
    }

    private List<String> runningSpecs() {
        return h.runtime.running().stream().map(c -> c.labels().get("io.longshore.spec-hash")).toList();
    }

    @Test
    void anOrchestratorRestartedInTheMiddleOfARolloutAdoptsTheReplicasOfBothSpecsAndFinishesIt() {
        h.start(h.builder().initialReplicas(3).stopReplicasOnClose(false));
        h.seconds(2);
        h.update(h.v2);
        h.seconds(9);
        leaveReplicasRunning();
        List<String> newLeft = h.runtime.running().stream()
                .filter(c -> Harness.hash(h.v2).equals(c.labels().get("io.longshore.spec-hash")))
                .map(ContainerInfo::id).toList();
        assertThat(newLeft).hasSize(2);
        assertThat(runningSpecs()).containsExactlyInAnyOrder(Harness.hash(h.v2), Harness.hash(h.spec),
                Harness.hash(h.spec), Harness.hash(h.v2));
        int stopsBefore = h.runtime.stops().size();

        h.start(h.builder().initialReplicas(3));

        assertThat(h.events(ReplicaAdopted.class)).hasSize(4);
        assertThat(h.runtime.stops()).as("nothing stopped at once").hasSize(stopsBefore);
        assertThat(h.orchestrator.spec()).as("the spec applied at run time is recovered from the labels")
                .isEqualTo(h.v2);
        assertThat(h.events(RolloutStarted.class)).singleElement().satisfies(e -> {
            assertThat(e.fromSpec()).isEqualTo(Harness.hash(h.spec));
            assertThat(e.toSpec()).isEqualTo(Harness.hash(h.v2));
            assertThat(e.reason()).startsWith("restarted in a rollout: the configured spec " + Harness.hash(h.spec)
                    + " is unchanged");
        });
        assertThat(h.orchestrator.status().desired()).isEqualTo(3);
        h.seconds(60);
        assertThat(h.rollout().state()).isEqualTo(State.COMPLETE);
        assertThat(runningSpecs()).containsOnly(Harness.hash(h.v2)).hasSize(3);
        assertThat(h.runtime.running()).extracting(ContainerInfo::id)
                .as("the new replicas adopted are kept").containsAll(newLeft);
    }

    @Test
    void anOrchestratorRestartedInTheMiddleOfARolloutWhoseNewReplicasThenCrashRollsItBackToTheOldSpec() {
        h.start(h.builder().initialReplicas(3).stopReplicasOnClose(false));
        h.seconds(2);
        h.update(h.v2);
        h.seconds(9);
        leaveReplicasRunning();
        String v1 = Harness.hash(h.spec);
        String v2 = Harness.hash(h.v2);
        assertThat(runningSpecs()).containsExactlyInAnyOrder(v1, v1, v2, v2);
        List<String> crashing = new ArrayList<>();

        h.start(h.builder().initialReplicas(3).listener(event -> {
            if (event instanceof OrchestratorEvent.ReplicaStarted started && crashing.contains(v2)) {
                h.runtime.running().stream().filter(c -> c.id().equals(started.containerId()))
                        .filter(c -> v2.equals(c.labels().get("io.longshore.spec-hash")))
                        .findFirst().ifPresent(c -> h.runtime.crash(c.id(), 2));
            }
        }));
        crashing.add(v2);
        assertThat(h.events(ReplicaAdopted.class)).hasSize(4);
        h.seconds(30);

        assertThat(h.rollout().state()).isEqualTo(State.ROLLED_BACK);
        assertThat(h.rollout().fromSpec()).isEqualTo(v1);
        assertThat(h.rollout().toSpec()).isEqualTo(v2);
        assertThat(h.rollout().reason()).startsWith("crash loop: replicas of " + v2).endsWith("exited with code 2)");
        assertThat(h.orchestrator.spec()).isEqualTo(h.spec);
        h.seconds(60);
        assertThat(runningSpecs()).as("the adopted new replicas are replaced by old ones").containsOnly(v1).hasSize(3);
        assertThat(h.routablePorts()).hasSize(3);
    }

    @Test
    void restartedWithItsConfigurationUnchangedAfterARolloutItKeepsTheSpecAppliedAtRunTime() {
        h.start(h.builder().initialReplicas(2).stopReplicasOnClose(false));
        h.seconds(2);
        h.update(h.v2);
        h.seconds(60);
        leaveReplicasRunning();

        h.start(h.builder().initialReplicas(2));
        h.seconds(60);

        assertThat(h.orchestrator.spec()).isEqualTo(h.v2);
        assertThat(h.orchestrator.rollout()).isEmpty();
        assertThat(h.events(ReplicaAdopted.class)).hasSize(2);
        assertThat(h.events(ReplicaStopping.class)).isEmpty();
        assertThat(runningSpecs()).containsOnly(Harness.hash(h.v2)).hasSize(2);
    }

    @Test
    void restartedWithAChangedConfigurationItRollsEveryReplicaToTheConfiguredSpecWithoutDroppingOne() {
        h.start(h.builder().initialReplicas(2).stopReplicasOnClose(false));
        h.seconds(2);
        h.update(h.v2);
        h.seconds(60);
        leaveReplicasRunning();
        ContainerSpec v3 = h.spec.toBuilder().env("ACTS_VERSION", "v3").build();

        h.start(h.builder().service(v3).initialReplicas(2));
        for (int i = 0; i < 600; i++) {
            h.advance(Duration.ofMillis(100));
            assertThat(h.routablePorts()).hasSizeGreaterThanOrEqualTo(2);
        }

        assertThat(h.events(RolloutStarted.class)).singleElement().satisfies(e -> {
            assertThat(e.fromSpec()).isEqualTo(Harness.hash(h.v2));
            assertThat(e.toSpec()).isEqualTo(Harness.hash(v3));
        });
        assertThat(h.rollout().state()).isEqualTo(State.COMPLETE);
        assertThat(runningSpecs()).containsOnly(Harness.hash(v3)).hasSize(2);
        assertThat(h.runtime.running()).allSatisfy(c -> assertThat(c.labels())
                .containsEntry("io.longshore.generation", "3")
                .containsEntry("io.longshore.configured-spec", Harness.hash(v3)));
    }

    @Test
    void aStaleContainerHoldsItsPortUntilItsStopIsDoneAndOnlyThenItsReplacementStartsThere() {
        ContainerSpec old = h.spec.toBuilder().command("acts-server", "--old").build();
        ContainerInfo stale = h.runtime.preload(Endpoint.loopback(8000),
                ContainerLabels.of("acts", "acts", "acts-8000-7", 8000, ContainerLabels.specHash(old)));
        List<Runnable> runtimeCalls = new ArrayList<>();

        h.start(h.builder().initialReplicas(1).runtimeExecutor(runtimeCalls::add));
        while (!runtimeCalls.isEmpty()) {
            runtimeCalls.remove(runtimeCalls.size() - 1).run(); // the newest call first: a slow stop finishes last
            h.scheduler.runPending();
        }

        assertThat(h.events(ReplicaStartFailed.class)).as("no start raced the stale container for its port").isEmpty();
        List<String> order = h.events.stream()
                .filter(e -> e instanceof ReplicaStopped || e instanceof ReplicaStarting)
                .map(e -> e.type() + " " + ((OrchestratorEvent.ReplicaEvent) e).port()).toList();
        assertThat(order).containsExactly("ReplicaStopped 8000", "ReplicaStarting 8000");
        assertThat(h.runtime.stoppedIds()).containsExactly(stale.id());
        assertThat(h.runningPorts()).containsExactly(8000);
        assertThat(h.events(ReplicaStopping.class)).singleElement().satisfies(e ->
                assertThat(e.reason()).isEqualTo("found at start: it runs a spec that cannot be recovered"));
    }

    @Test
    void aStaleContainerIsStoppedWithTheStopGraceOfTheSpecOnItsLabels() {
        ContainerSpec patient = h.spec.toBuilder().env("V", "2").stopGrace(Duration.ofSeconds(60)).build();
        Revision revision = Revision.of(patient, 2);
        List<ContainerInfo> left = new ArrayList<>();
        for (int port = 8000; port < 8003; port++) {
            left.add(h.runtime.preload(Endpoint.loopback(port), ContainerLabels.of("acts", "acts", "acts-" + port + "-1",
                    port, revision, Harness.hash(h.spec))));
        }

        h.start(h.builder().initialReplicas(1).maxReplicas(1)); // 1 + a surge of 1 adopted: the third is one too many

        assertThat(h.events(ReplicaStopping.class)).filteredOn(e -> e.containerId().equals(left.get(2).id()))
                .singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("found at start: it is one too many"));
        assertThat(h.runtime.stops()).contains(new FakeContainerRuntime.Stop(left.get(2).id(), Duration.ofSeconds(60)));
    }

    @Test
    void anAdoptedReplicaThatWasStillStartingGetsWhatIsLeftOfItsStartGrace() {
        h.runtime.preload(Endpoint.loopback(8000), ContainerLabels.of("acts", "acts", "acts-8000-1", 8000,
                Revision.of(h.spec, 1), Harness.hash(h.spec)));
        h.seconds(4);
        h.probe.set(8000, ScriptedProbe.Answer.FAIL);

        h.start(h.builder().initialReplicas(1).startGracePeriod(Duration.ofSeconds(10)));
        h.seconds(5);

        assertThat(h.runtime.stops()).as("6 s of its 10 s grace were left").isEmpty();
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.STARTING);
        h.seconds(4);
        assertThat(h.runtime.stops()).as("replaced after fall (3) failed probes past its grace").hasSize(1);
    }

    @Test
    void replicaIdsOfANewOrchestratorFollowTheHighestIdItFinds() {
        h.runtime.preload(Endpoint.loopback(8000), ContainerLabels.of("acts", "acts", "acts-8000-41", 8000,
                Revision.of(h.spec, 1), Harness.hash(h.spec)));
        h.runtime.preload(Endpoint.loopback(8001), ContainerLabels.of("acts", "acts", "acts-8001-17", 8001,
                Revision.of(h.spec, 1), Harness.hash(h.spec)));

        h.start(h.builder().initialReplicas(3));

        assertThat(h.orchestrator.replicas()).extracting(ReplicaView::id)
                .containsExactly("acts-8000-41", "acts-8001-17", "acts-8002-42");
        h.runtime.crash(h.containerAt(8000), 1);
        h.scheduler.runPending();
        assertThat(h.replicaAt(8000).id()).isEqualTo("acts-8000-43");
    }

    @Test
    void theLabelsCarryTheSpecSoARestartedOrchestratorCanStartMoreOfIt() {
        ContainerSpec spec = ContainerSpec.builder("acts").image("acts:2").command("serve", "--fast")
                .env("B", "2").env("A", "1=x:y").label("team", "core").memoryBytes(1 << 20).cpus(0.5)
                .stopGrace(Duration.ofMillis(1500)).network(ContainerSpec.NetworkMode.BRIDGE).containerPort(80)
                .pullPolicy(ContainerSpec.PullPolicy.NEVER).build();

        String encoded = SpecCodec.encode(spec);

        assertThat(SpecCodec.decode(encoded)).isEqualTo(spec);
        assertThat(encoded).matches("[A-Za-z0-9_-]+");
        assertThat(SpecCodec.encode(spec.toBuilder().build())).isEqualTo(encoded);
        Map<String, String> labels = ContainerLabels.of("acts", "acts", "acts-8000-1", 8000, Revision.of(spec, 4), "abc");
        assertThat(labels).containsEntry("io.longshore.spec", encoded).containsEntry("io.longshore.generation", "4")
                .containsEntry("io.longshore.configured-spec", "abc")
                .containsEntry("io.longshore.spec-hash", ContainerLabels.specHash(spec));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpecCodec.decode(encoded.substring(0, 20)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an encoded spec");
    }
}
