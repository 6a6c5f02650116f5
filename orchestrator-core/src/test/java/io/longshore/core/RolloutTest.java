package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.OrchestratorEvent.ReplicaDraining;
import io.longshore.api.OrchestratorEvent.ReplicaStarting;
import io.longshore.api.OrchestratorEvent.RolloutCompleted;
import io.longshore.api.OrchestratorEvent.RolloutProgressed;
import io.longshore.api.OrchestratorEvent.RolloutStarted;
import io.longshore.api.ReplicaState;
import io.longshore.core.RolloutStatus.State;
import io.longshore.testkit.FakeContainerRuntime;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rolling updates on virtual time: surge, readiness gating, minReady, the port set, the status and events. */
class RolloutTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    private void stepSeconds(int seconds, Runnable check) {
        for (int i = 0; i < seconds * 10; i++) {
            h.advance(Duration.ofMillis(100));
            check.run();
        }
    }

    @Test
    void aNewReplicaStartsOnTheLowestFreePortBesideTheOldOnesAndNothingIsDrainedBeforeItIsAvailable() {
        h.startReady(3);

        RolloutStatus started = h.update(h.v2);

        assertThat(started).isEqualTo(new RolloutStatus(State.PROGRESSING, Harness.hash(h.spec), Harness.hash(h.v2),
                0, 3, "update requested"));
        assertThat(h.ports()).containsExactly(8000, 8001, 8002, 8003);
        assertThat(h.replicaAt(8003).specHash()).isEqualTo(Harness.hash(h.v2));
        assertThat(h.events(ReplicaStarting.class)).last()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("rolling out spec " + Harness.hash(h.v2)));
        h.seconds(2);
        assertThat(h.replicaAt(8003).state()).as("ready after rise probes").isEqualTo(ReplicaState.READY);
        assertThat(h.routablePorts()).containsExactly(8000, 8001, 8002, 8003);
        h.advance(Duration.ofMillis(4_999));
        assertThat(h.events(ReplicaDraining.class)).as("minReady (5 s) is not over yet").isEmpty();
        h.advance(Duration.ofMillis(1));
        assertThat(h.events(ReplicaDraining.class)).singleElement().satisfies(e -> {
            assertThat(e.port()).isEqualTo(8000);
            assertThat(e.reason()).isEqualTo("replaced by spec " + Harness.hash(h.v2));
        });
    }

    @Test
    void aRolloutReplacesEveryReplicaOldestPortFirstNeverBelowTheDesiredCountAndEndsOnTheDocumentedPorts() {
        h.startReady(3);
        h.update(h.v2);

        stepSeconds(60, () -> {
            assertThat(h.routablePorts()).as("maxUnavailable 0: never fewer routable").hasSizeGreaterThanOrEqualTo(3);
            assertThat(h.runtime.running()).as("maxSurge 1: never more running").hasSizeLessThanOrEqualTo(4);
        });

        assertThat(h.rollout()).isEqualTo(new RolloutStatus(State.COMPLETE, Harness.hash(h.spec),
                Harness.hash(h.v2), 3, 3, "every replica runs " + Harness.hash(h.v2)));
        assertThat(h.ports()).as("the last old port stays free; the surge port stays taken").containsExactly(8000, 8001, 8003);
        assertThat(h.specs()).containsOnly(Harness.hash(h.v2));
        assertThat(h.runtime.running()).extracting(ContainerInfo::labels)
                .allSatisfy(labels -> assertThat(labels).containsEntry("io.longshore.spec-hash", Harness.hash(h.v2))
                        .containsEntry("io.longshore.generation", "2"));
        assertThat(h.events(ReplicaDraining.class)).extracting(ReplicaDraining::port).containsExactly(8000, 8001, 8002);
        assertThat(h.events(RolloutProgressed.class)).extracting(RolloutProgressed::updated).containsExactly(1, 2, 3);
        assertThat(h.events(RolloutStarted.class)).hasSize(1);
        assertThat(h.events(RolloutCompleted.class)).singleElement().satisfies(e -> {
            assertThat(e.fromSpec()).isEqualTo(Harness.hash(h.spec));
            assertThat(e.toSpec()).isEqualTo(Harness.hash(h.v2));
            assertThat(e.total()).isEqualTo(3);
        });
        assertThat(h.orchestrator.spec()).isEqualTo(h.v2);
    }

    @Test
    void minReadyZeroDrainsAnOldReplicaAsSoonAsTheNewOneIsReady() {
        h.start(h.builder().initialReplicas(2).rollout(RolloutConfig.builder().minReady(Duration.ZERO).build()));
        h.seconds(2);
        h.update(h.v2);

        h.seconds(2);

        assertThat(h.events(ReplicaDraining.class)).extracting(ReplicaDraining::port).containsExactly(8000);
    }

    @Test
    void aLargerSurgeAndAllowedUnavailabilityReplaceSeveralAtOnce() {
        h.start(h.builder().initialReplicas(4).maxReplicas(10)
                .rollout(RolloutConfig.builder().maxSurge(2).maxUnavailable(1).build()));
        h.seconds(2);

        h.update(h.v2);

        assertThat(h.ports()).containsExactly(8000, 8001, 8002, 8003, 8004, 8005);
        assertThat(h.events(ReplicaDraining.class)).as("one may be unavailable: the lowest old port goes at once")
                .extracting(ReplicaDraining::port).containsExactly(8000);
        h.seconds(60);
        assertThat(h.rollout().state()).isEqualTo(State.COMPLETE);
        assertThat(h.specs()).hasSize(4).containsOnly(Harness.hash(h.v2));
    }

    @Test
    void aNewReplicaThatIsNotReadyHoldsTheRolloutWithoutTouchingAnOldOne() {
        h.start(h.builder().initialReplicas(2).startGracePeriod(Duration.ofMinutes(5)));
        h.seconds(2);
        h.probe.set(8002, io.longshore.testkit.ScriptedProbe.Answer.FAIL);
        h.update(h.v2);

        h.seconds(30);

        assertThat(h.events(ReplicaDraining.class)).isEmpty();
        assertThat(h.routablePorts()).containsExactly(8000, 8001);
        assertThat(h.rollout().state()).isEqualTo(State.PROGRESSING);
        assertThat(h.rollout().updated()).isZero();
    }

    @Test
    void anUpdateToTheDesiredSpecOrOfAnotherServiceIsRefused() {
        h.startReady(1);

        assertThatThrownBy(() -> h.update(h.spec)).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RolloutException.class)
                .hasMessageContaining("the spec is unchanged: " + Harness.hash(h.spec) + " is the desired spec already");
        assertThatThrownBy(() -> h.orchestrator.update(io.longshore.api.ContainerSpec.builder("other").command("x").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service 'other'");
        assertThat(h.orchestrator.rollout()).isEmpty();
        assertThat(h.events(RolloutStarted.class)).isEmpty();
    }

    @Test
    void thereIsNoRolloutStatusBeforeTheFirstUpdate() {
        h.startReady(1);

        assertThat(h.orchestrator.rollout()).isEmpty();
        assertThat(h.orchestrator.spec()).isEqualTo(h.spec);
        assertThat(h.specs()).containsExactly(Harness.hash(h.spec));
    }

    @Test
    void aReplicaOfAnUpdatedSpecIsDrainedAndStoppedWithThatSpecsStopGrace() {
        h.startReady(1);
        ContainerSpec patient = h.spec.toBuilder().env("V", "2").stopGrace(Duration.ofSeconds(60)).build();
        h.update(patient);
        h.seconds(30);                                  // the rollout completes: 1 replica of the new spec
        assertThat(h.specs()).containsExactly(Harness.hash(patient));
        assertThat(h.runtime.stops()).singleElement().extracting(FakeContainerRuntime.Stop::grace)
                .as("the old replica, with the configured spec's grace").isEqualTo(h.spec.stopGrace());

        h.orchestrator.close();
        h.scheduler.runPending();

        assertThat(h.runtime.stops()).hasSize(2).last().extracting(FakeContainerRuntime.Stop::grace)
                .isEqualTo(Duration.ofSeconds(60));
    }
}
