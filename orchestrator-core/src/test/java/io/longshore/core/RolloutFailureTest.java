package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerInfo;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.OrchestratorEvent.ReplicaDraining;
import io.longshore.api.OrchestratorEvent.ReplicaStarted;
import io.longshore.api.OrchestratorEvent.RolloutRolledBack;
import io.longshore.core.RolloutStatus.State;
import io.longshore.testkit.ScriptedProbe;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What ends a rollout early on virtual time: the progress deadline, a crash loop; and crashes in the middle of one. */
class RolloutFailureTest {
    private final Harness h = new Harness();
    /** Containers of these spec hashes exit as soon as they start. */
    private final Set<String> crashingSpecs = ConcurrentHashMap.newKeySet();

    @AfterEach
    void close() {
        h.close();
    }

    private OrchestratorBuilder builder(int replicas) {
        return h.builder().initialReplicas(replicas).listener(event -> {
            if (event instanceof ReplicaStarted started) {
                h.runtime.running().stream().filter(c -> c.id().equals(started.containerId()))
                        .filter(c -> crashingSpecs.contains(c.labels().get("io.longshore.spec-hash")))
                        .findFirst().ifPresent(c -> h.runtime.crash(c.id(), 1));
            }
        });
    }

    private long running(String specHash) {
        return h.runtime.running().stream().map(ContainerInfo::labels)
                .filter(labels -> specHash.equals(labels.get("io.longshore.spec-hash"))).count();
    }

    @Test
    void aNewReplicaThatNeverBecomesReadyRollsTheRolloutBackAtTheProgressDeadline() {
        h.start(builder(3).startGracePeriod(Duration.ofMinutes(10)));
        h.seconds(2);
        h.probe.set(8003, ScriptedProbe.Answer.FAIL);
        h.update(h.v2);

        h.advance(Duration.ofSeconds(119));
        assertThat(h.rollout().state()).isEqualTo(State.PROGRESSING);
        h.seconds(1);

        String reason = "progress deadline exceeded: no replica of " + Harness.hash(h.v2)
                + " became available within PT2M";
        assertThat(h.rollout()).isEqualTo(new RolloutStatus(State.ROLLED_BACK, Harness.hash(h.spec),
                Harness.hash(h.v2), 0, 3, reason));
        assertThat(h.events(RolloutRolledBack.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo(reason));
        assertThat(h.orchestrator.spec()).isEqualTo(h.spec);
        h.scheduler.runPending();
        assertThat(running(Harness.hash(h.v2))).as("the new replica is stopped").isZero();
        assertThat(h.ports()).containsExactly(8000, 8001, 8002);
        assertThat(h.specs()).containsOnly(Harness.hash(h.spec));
        assertThat(h.events(ReplicaDraining.class)).extracting(ReplicaDraining::port).containsExactly(8003);
    }

    @Test
    void progressResetsTheDeadline() {
        h.start(builder(2).rollout(RolloutConfig.builder().progressDeadline(Duration.ofSeconds(20)).build())
                .startGracePeriod(Duration.ofMinutes(10)));
        h.seconds(2);
        h.probe.set(8000, ScriptedProbe.Answer.FAIL);
        h.update(h.v2);

        h.seconds(19);
        assertThat(h.rollout().updated()).as("8002 became available, 8000 is the next new one").isEqualTo(1);
        assertThat(h.events(ReplicaDraining.class)).extracting(ReplicaDraining::port).containsExactly(8000);
        h.seconds(5);

        assertThat(h.rollout().state()).as("20 s from the start, but not from the last progress")
                .isEqualTo(State.PROGRESSING);
        h.seconds(20);
        assertThat(h.rollout().state()).isEqualTo(State.ROLLED_BACK);
    }

    @Test
    void newReplicasThatExitAtOnceAreRestartedThenTheRolloutIsRolledBackWithoutTouchingTheOldOnes() {
        h.start(builder(3));
        h.seconds(2);
        crashingSpecs.add(Harness.hash(h.v2));
        var oldContainers = h.runtime.running().stream().map(ContainerInfo::id).toList();

        h.update(h.v2);
        h.seconds(10);

        assertThat(h.rollout().state()).isEqualTo(State.ROLLED_BACK);
        assertThat(h.rollout().reason()).isEqualTo("crash loop: replicas of " + Harness.hash(h.v2)
                + " on port 8003 failed 3 times (the last: exited with code 1)");
        assertThat(h.events(OrchestratorEvent.ReplicaExited.class)).hasSize(3);
        assertThat(h.runtime.running()).extracting(ContainerInfo::id).containsExactlyElementsOf(oldContainers);
        assertThat(h.ports()).containsExactly(8000, 8001, 8002);
        assertThat(h.routablePorts()).containsExactly(8000, 8001, 8002);
        assertThat(h.events(ReplicaDraining.class)).isEmpty();
        h.seconds(60);
        assertThat(running(Harness.hash(h.v2))).as("no replica of the rolled back spec starts again").isZero();
    }

    @Test
    void aRollbackInTheMiddleRestoresTheOldSpecBeforeItDrainsTheNewReplicas() {
        h.start(builder(3).rollout(RolloutConfig.builder().progressDeadline(Duration.ofSeconds(30)).build())
                .startGracePeriod(Duration.ofMinutes(10)));
        h.seconds(2);
        h.probe.set(8000, ScriptedProbe.Answer.FAIL);
        h.update(h.v2);
        h.seconds(15);
        assertThat(h.specs()).as("8003 is new and available, 8000 new and failing")
                .containsExactly(Harness.hash(h.v2), Harness.hash(h.spec), Harness.hash(h.spec), Harness.hash(h.v2));

        h.seconds(30);
        assertThat(h.rollout().state()).isEqualTo(State.ROLLED_BACK);
        h.probe.set(8000, ScriptedProbe.Answer.PASS);
        h.seconds(30);

        assertThat(h.specs()).containsOnly(Harness.hash(h.spec)).hasSize(3);
        assertThat(h.ports()).containsExactly(8000, 8001, 8002);
        assertThat(h.rollout().updated()).isZero();
    }

    @Test
    void aCrashedOldReplicaIsReplacedOnItsPortWithItsOwnSpecAndANewOneWithTheNewSpec() {
        h.start(builder(3));
        h.seconds(2);
        h.update(h.v2);
        h.seconds(9);
        assertThat(h.specs()).containsExactly(Harness.hash(h.v2), Harness.hash(h.spec), Harness.hash(h.spec),
                Harness.hash(h.v2));

        h.runtime.crash(h.containerAt(8001), 137);
        h.runtime.crash(h.containerAt(8003), 137);
        h.scheduler.runPending();

        assertThat(h.ports()).containsExactly(8000, 8001, 8002, 8003);
        assertThat(h.specs()).containsExactly(Harness.hash(h.v2), Harness.hash(h.spec), Harness.hash(h.spec),
                Harness.hash(h.v2));
        h.seconds(60);
        assertThat(h.rollout().state()).isEqualTo(State.COMPLETE);
        assertThat(h.specs()).containsOnly(Harness.hash(h.v2)).hasSize(3);
    }

    /**
     * Taking away a replica in restart backoff removes it at once; the loop must not plan again
     * from inside that pass (it would start replicas the outer plan starts too, beyond the surge,
     * and the next pass would drain an available old replica to trim them).
     */
    @Test
    void aRolloutThatTakesAwayAReplicaInBackoffKeepsToTheSurgeAndTheAllowedUnavailability() {
        h.start(builder(3).maxReplicas(10).rollout(RolloutConfig.builder().maxSurge(1).maxUnavailable(1).build()));
        h.seconds(2);
        h.runtime.failNextStarts(1, "boom");
        h.runtime.crash(h.containerAt(8000), 1);        // replaced at once; that start fails: 8000 in backoff
        h.scheduler.runPending();
        assertThat(h.replicaAt(8000).state()).isEqualTo(io.longshore.api.ReplicaState.STARTING);

        h.update(h.v2);

        assertThat(h.routablePorts()).as("maxUnavailable 1: at least 2 of 3 available").hasSize(2);
        assertThat(h.events(OrchestratorEvent.ReplicaStarting.class))
                .filteredOn(e -> e.reason().startsWith("rolling out"))
                .as("2 old replicas hold ports: desired 3 + maxSurge 1 leaves room for 2 new").hasSize(2);
        h.seconds(60);
        assertThat(h.rollout().state()).isEqualTo(State.COMPLETE);
        assertThat(h.specs()).containsOnly(Harness.hash(h.v2)).hasSize(3);
    }
}
