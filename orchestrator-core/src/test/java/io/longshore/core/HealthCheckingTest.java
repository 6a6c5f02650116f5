package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.OrchestratorEvent.ReplicaEjected;
import io.longshore.api.OrchestratorEvent.ReplicaReadmitted;
import io.longshore.api.OrchestratorEvent.ReplicaReady;
import io.longshore.api.OrchestratorEvent.ReplicaStopped;
import io.longshore.api.OrchestratorEvent.UserCodeFailed;
import io.longshore.api.ReplicaState;
import io.longshore.testkit.ScriptedProbe.Answer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HealthCheckingTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void replicasBecomeReadyAfterRisePassesAndAreThenRouted() {
        h.start(h.builder().initialReplicas(2));

        assertThat(h.ports()).containsExactly(8000, 8001);
        assertThat(h.orchestrator.replicas()).allMatch(r -> r.state() == ReplicaState.STARTING);
        assertThat(h.routablePorts()).isEmpty();

        h.seconds(1);
        assertThat(h.routablePorts()).isEmpty();
        h.seconds(1);

        assertThat(h.orchestrator.replicas()).allMatch(r -> r.state() == ReplicaState.READY);
        assertThat(h.routablePorts()).containsExactly(8000, 8001);
        assertThat(h.events(ReplicaReady.class)).hasSize(2);
    }

    @Test
    void anUnhealthyReplicaIsReplacedOnTheSamePortWithANewContainer() {
        h.startReady(3);
        String before = h.containerAt(8001);
        String replicaBefore = h.replicaAt(8001).id();

        h.probe.set(8001, Answer.FAIL);
        h.seconds(3);

        assertThat(h.runtime.stoppedIds()).contains(before);
        assertThat(h.ports()).containsExactly(8000, 8001, 8002);
        assertThat(h.containerAt(8001)).isNotEqualTo(before);
        assertThat(h.replicaAt(8001).id()).isNotEqualTo(replicaBefore);
        assertThat(h.replicaAt(8001).restarts()).isEqualTo(1);
        assertThat(h.events(ReplicaStopped.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("failed 3 probes"));
    }

    @Test
    void theFirstFailedProbeEjectsAReadyReplicaAndRisePassesReadmitIt() {
        h.startReady(3);

        h.probe.set(8002, Answer.FAIL);
        h.seconds(1);

        assertThat(h.routablePorts()).containsExactly(8000, 8001);
        assertThat(h.replicaAt(8002).state()).isEqualTo(ReplicaState.UNHEALTHY);
        assertThat(h.events(ReplicaEjected.class)).singleElement().satisfies(e -> assertThat(e.port()).isEqualTo(8002));

        h.probe.set(8002, Answer.PASS);
        h.seconds(1);
        assertThat(h.routablePorts()).containsExactly(8000, 8001);
        h.seconds(1);

        assertThat(h.routablePorts()).containsExactly(8000, 8001, 8002);
        assertThat(h.events(ReplicaReadmitted.class)).singleElement().satisfies(e -> assertThat(e.port()).isEqualTo(8002));
        assertThat(h.runtime.stoppedIds()).isEmpty();
    }

    @Test
    void fewerThanFallFailuresInARowDoNotReplace() {
        h.startReady(3);

        for (int round = 0; round < 5; round++) {
            h.probe.set(8000, Answer.FAIL);
            h.seconds(2);
            h.probe.set(8000, Answer.PASS);
            h.seconds(1);
        }

        assertThat(h.runtime.stoppedIds()).isEmpty();
    }

    @Test
    void failuresDuringTheStartGraceDoNotCountButPassesDo() {
        h.probe.set(8000, Answer.FAIL);
        h.start(h.builder().initialReplicas(1).startGracePeriod(Duration.ofSeconds(10)));

        h.seconds(9);
        assertThat(h.runtime.stoppedIds()).isEmpty();
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.STARTING);

        h.seconds(3);
        assertThat(h.runtime.stoppedIds()).hasSize(1);
    }

    @Test
    void aReplicaPassingDuringItsGraceBecomesReadyBeforeTheGraceEnds() {
        h.start(h.builder().initialReplicas(1).startGracePeriod(Duration.ofSeconds(10)));

        h.seconds(2);

        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.READY);
    }

    @Test
    void aFailureDuringTheStartGraceStillBreaksTheRunOfPasses() {
        h.start(h.builder().initialReplicas(1).startGracePeriod(Duration.ofSeconds(10)));
        h.probe.set(8000, Answer.PASS);
        h.seconds(1);                                   // pass 1
        h.probe.set(8000, Answer.FAIL);
        h.seconds(1);                                   // failed in the grace: not counted, but the run is over
        h.probe.set(8000, Answer.PASS);
        h.seconds(1);                                   // pass 1 again

        assertThat(h.replicaAt(8000).state()).as("rise 2 needs 2 passes in a row").isEqualTo(ReplicaState.STARTING);
        h.seconds(1);
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.READY);
        assertThat(h.runtime.stoppedIds()).isEmpty();
    }

    @Test
    void fallOfOneReplacesOnTheFirstFailure() {
        h.start(h.builder().initialReplicas(3).fall(1));
        h.seconds(2);
        String before = h.containerAt(8000);

        h.probe.set(8000, Answer.FAIL);
        h.seconds(1);

        assertThat(h.runtime.stoppedIds()).containsExactly(before);
    }

    @ParameterizedTest
    @EnumSource(value = Answer.class, names = {"THROW", "NULL", "HANG"})
    void aProbeThatThrowsReturnsNullOrHangsReadsAsUnhealthyAndTheLoopGoesOn(Answer answer) {
        h.startReady(3);

        h.probe.set(8001, answer);
        h.seconds(10);

        assertThat(h.runtime.stoppedIds()).isNotEmpty();
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.READY);
        assertThat(h.replicaAt(8002).state()).isEqualTo(ReplicaState.READY);
        assertThat(h.probe.probesOf(8000)).isGreaterThanOrEqualTo(10);
        if (answer == Answer.THROW) {
            assertThat(h.events(UserCodeFailed.class)).isNotEmpty();
        }
    }

    @Test
    void aHungProbeCountsAsFailedAfterTheProbeTimeout() {
        h.start(h.builder().initialReplicas(3).probeInterval(Duration.ofSeconds(5))
                .probeTimeout(Duration.ofSeconds(1)));
        h.seconds(10);
        assertThat(h.routablePorts()).containsExactly(8000, 8001, 8002);

        h.probe.set(8001, Answer.HANG);
        h.seconds(5);
        assertThat(h.routablePorts()).containsExactly(8000, 8001, 8002);
        h.seconds(1);

        assertThat(h.routablePorts()).containsExactly(8000, 8002);
        assertThat(h.replicaAt(8001).healthy()).isFalse();
    }

    @Test
    void aHungReplicaIsKilledWithoutDrainOrGraceAsSoonAsItsProbesDeclareItDeadAndRestoredWithinThreeSeconds() {
        h.start(h.builder().initialReplicas(2).drainTimeout(Duration.ofSeconds(30)));
        h.seconds(2);
        String hung = h.containerAt(8001);
        Lease stuck = h.leaseOn(8001);

        h.probe.set(8001, Answer.HANG);
        while (h.runtime.stops().isEmpty()) {
            h.advance(Duration.ofMillis(100));
        }
        h.probe.set(8001, Answer.PASS); // the replacement answers
        h.seconds(3);

        assertThat(h.runtime.stops()).first()
                .isEqualTo(new io.longshore.testkit.FakeContainerRuntime.Stop(hung, Duration.ZERO));
        assertThat(h.events(io.longshore.api.OrchestratorEvent.ReplicaDraining.class)).isEmpty();
        var stopping = h.events(io.longshore.api.OrchestratorEvent.ReplicaStopping.class).get(0);
        assertThat(stopping.grace()).isZero();
        assertThat(stopping.reason()).contains("failed 3 probes in a row: probe timed out");
        var restored = h.events(ReplicaReady.class).stream().filter(e -> e.port() == 8001)
                .filter(e -> e.at().isAfter(stopping.at())).findFirst().orElseThrow();
        assertThat(Duration.between(stopping.at(), restored.at())).isLessThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(stuck.backend().inFlight()).as("its stuck request did not hold it").isEqualTo(1);
    }

    @Test
    void aReplicaRemovedByScaleInStillDrainsAndStopsWithTheSpecsGrace() {
        h.startReady(2);

        h.orchestrator.scaleTo(1);
        h.scheduler.runPending();

        assertThat(h.runtime.stops()).singleElement()
                .satisfies(stop -> assertThat(stop.grace()).isEqualTo(h.spec.stopGrace()));
        assertThat(h.events(io.longshore.api.OrchestratorEvent.ReplicaDraining.class)).hasSize(1);
    }

    @Test
    void aCrashedReplicaIsRemovedWithoutGrace() {
        h.startReady(1);

        h.runtime.crash(h.containerAt(8000), 137);
        h.scheduler.runPending();

        assertThat(h.runtime.stops()).singleElement().satisfies(stop -> assertThat(stop.grace()).isZero());
    }
}
