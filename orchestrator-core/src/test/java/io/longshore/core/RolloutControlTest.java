package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.ContainerSpec;
import io.longshore.api.OrchestratorEvent.ReplicaDraining;
import io.longshore.api.OrchestratorEvent.RolloutPaused;
import io.longshore.api.OrchestratorEvent.RolloutResumed;
import io.longshore.api.OrchestratorEvent.RolloutRolledBack;
import io.longshore.api.OrchestratorEvent.RolloutStarted;
import io.longshore.core.RolloutStatus.State;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pause, resume, undo, a rollout superseded, and scaling in the middle of a rollout, on virtual time. */
class RolloutControlTest {
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    private void assertRefused(java.util.function.Supplier<java.util.concurrent.CompletionStage<RolloutStatus>> request,
                               String message) {
        assertThatThrownBy(() -> h.answer(request.get())).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RolloutException.class).hasMessageContaining(message);
    }

    @Test
    void aPausedRolloutReplacesNothingMoreUntilItIsResumedAndItsDeadlineDoesNotRun() {
        h.start(h.builder().initialReplicas(3)
                .rollout(RolloutConfig.builder().progressDeadline(Duration.ofSeconds(30)).build()));
        h.seconds(2);
        h.update(h.v2);
        h.seconds(9);
        assertThat(h.events(ReplicaDraining.class)).hasSize(1);

        RolloutStatus paused = h.answer(h.orchestrator.pauseRollout());

        assertThat(paused.state()).isEqualTo(State.PAUSED);
        assertThat(paused.reason()).isEqualTo("paused by request");
        h.seconds(120);
        assertThat(h.events(ReplicaDraining.class)).as("nothing more replaced while paused").hasSize(1);
        assertThat(h.rollout().state()).as("no deadline while paused").isEqualTo(State.PAUSED);
        assertThat(h.specs()).containsExactly(Harness.hash(h.v2), Harness.hash(h.spec), Harness.hash(h.spec),
                Harness.hash(h.v2));

        RolloutStatus resumed = h.answer(h.orchestrator.resumeRollout());

        assertThat(resumed.state()).isEqualTo(State.PROGRESSING);
        assertThat(resumed.reason()).isEqualTo("resumed by request");
        h.seconds(60);
        assertThat(h.rollout().state()).isEqualTo(State.COMPLETE);
        assertThat(h.events(RolloutPaused.class)).hasSize(1);
        assertThat(h.events(RolloutResumed.class)).hasSize(1);
    }

    @Test
    void pauseResumeAndUndoAreRefusedWhenTheyDoNotFit() {
        h.startReady(1);

        assertRefused(h.orchestrator::pauseRollout, "no rollout to pause: none was started");
        assertRefused(h.orchestrator::resumeRollout, "no rollout to resume: none was started");
        assertRefused(h.orchestrator::undoRollout, "no rollout to undo: none was started");

        h.update(h.v2);
        assertRefused(h.orchestrator::resumeRollout, "cannot resume the rollout to " + Harness.hash(h.v2)
                + ": it is PROGRESSING");
        h.answer(h.orchestrator.undoRollout());
        assertRefused(h.orchestrator::undoRollout, "is ROLLED_BACK; it cannot be rolled back");
        assertRefused(h.orchestrator::pauseRollout, "cannot pause the rollout to " + Harness.hash(h.v2)
                + ": it is ROLLED_BACK");
    }

    @Test
    void undoInTheMiddleRollsBackAndDrainsTheNewReplicasOnceTheOldSpecIsBack() {
        h.startReady(3);
        h.update(h.v2);
        h.seconds(9);

        RolloutStatus undone = h.answer(h.orchestrator.undoRollout());

        assertThat(undone.state()).isEqualTo(State.ROLLED_BACK);
        assertThat(undone.reason()).isEqualTo("undone by request");
        assertThat(h.events(RolloutRolledBack.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("undone by request"));
        h.seconds(60);
        assertThat(h.specs()).containsOnly(Harness.hash(h.spec)).hasSize(3);
        assertThat(h.orchestrator.spec()).isEqualTo(h.spec);
        assertThat(h.rollout().updated()).isZero();
    }

    @Test
    void undoAfterACompleteRolloutRollsBackToThePreviousSpec() {
        h.startReady(2);
        h.update(h.v2);
        h.seconds(60);
        assertThat(h.rollout().state()).isEqualTo(State.COMPLETE);

        RolloutStatus undo = h.answer(h.orchestrator.undoRollout());

        assertThat(undo).isEqualTo(new RolloutStatus(State.PROGRESSING, Harness.hash(h.v2), Harness.hash(h.spec), 0, 2,
                "undo of the rollout to " + Harness.hash(h.v2)));
        h.seconds(60);
        assertThat(h.rollout().state()).isEqualTo(State.COMPLETE);
        assertThat(h.specs()).containsOnly(Harness.hash(h.spec)).hasSize(2);
        assertThat(h.runtime.running()).allSatisfy(c -> assertThat(c.labels())
                .containsEntry("io.longshore.generation", "3"));
    }

    @Test
    void anUpdateDuringARolloutSupersedesItAndTheReplicasOfBothEarlierSpecsAreReplaced() {
        h.startReady(3);
        h.update(h.v2);
        h.seconds(9);
        ContainerSpec v3 = h.spec.toBuilder().env("ACTS_VERSION", "v3").build();

        RolloutStatus third = h.update(v3);

        assertThat(third.fromSpec()).isEqualTo(Harness.hash(h.v2));
        assertThat(third.reason()).isEqualTo("update requested (supersedes the rollout to " + Harness.hash(h.v2) + ")");
        h.seconds(90);
        assertThat(h.rollout().state()).isEqualTo(State.COMPLETE);
        assertThat(h.specs()).containsOnly(Harness.hash(v3)).hasSize(3);
        assertThat(h.events(RolloutStarted.class)).hasSize(2);
    }

    @Test
    void anUpdateWhileARolloutIsPausedStaysPausedUntilResumedAsAPausedDeploymentDoes() {
        h.start(h.builder().initialReplicas(3)
                .rollout(RolloutConfig.builder().progressDeadline(Duration.ofSeconds(30)).build()));
        h.seconds(2);
        h.update(h.v2);
        h.seconds(9);
        h.answer(h.orchestrator.pauseRollout());
        int drained = h.events(ReplicaDraining.class).size();
        ContainerSpec v3 = h.spec.toBuilder().env("ACTS_VERSION", "v3").build();

        RolloutStatus third = h.update(v3);

        assertThat(third.state()).isEqualTo(State.PAUSED);
        assertThat(third.toSpec()).isEqualTo(Harness.hash(v3));
        h.seconds(120);
        assertThat(h.events(ReplicaDraining.class)).as("nothing replaced while paused").hasSize(drained);
        assertThat(h.specs()).doesNotContain(Harness.hash(v3));
        assertThat(h.rollout().state()).as("no deadline while paused").isEqualTo(State.PAUSED);

        h.answer(h.orchestrator.resumeRollout());
        h.seconds(90);
        assertThat(h.rollout().state()).isEqualTo(State.COMPLETE);
        assertThat(h.specs()).containsOnly(Harness.hash(v3)).hasSize(3);
    }

    @Test
    void aScaleOutDuringARolloutStartsReplicasOfTheNewSpec() {
        h.startReady(2);
        h.update(h.v2);
        h.seconds(1);

        h.orchestrator.scaleTo(5);
        h.scheduler.runPending();

        assertThat(h.ports()).as("5 + surge 2").containsExactly(8000, 8001, 8002, 8003, 8004, 8005, 8006);
        assertThat(h.specs()).containsExactly(Harness.hash(h.spec), Harness.hash(h.spec), Harness.hash(h.v2),
                Harness.hash(h.v2), Harness.hash(h.v2), Harness.hash(h.v2), Harness.hash(h.v2));
        h.seconds(60);
        assertThat(h.rollout()).satisfies(status -> {
            assertThat(status.state()).isEqualTo(State.COMPLETE);
            assertThat(status.total()).isEqualTo(5);
            assertThat(status.updated()).isEqualTo(5);
        });
        assertThat(h.specs()).containsOnly(Harness.hash(h.v2)).hasSize(5);
    }

    @Test
    void aScaleInDuringARolloutTakesOldReplicasAwayFirst() {
        h.startReady(4);
        h.update(h.v2);
        h.seconds(1);

        h.orchestrator.scaleTo(2);
        h.scheduler.runPending();

        assertThat(h.events(ReplicaDraining.class)).extracting(ReplicaDraining::port)
                .as("2 + surge 1 stay: old ones leave, lowest port first").containsExactly(8000, 8001);
        h.seconds(60);
        assertThat(h.rollout().state()).isEqualTo(State.COMPLETE);
        assertThat(h.specs()).containsOnly(Harness.hash(h.v2)).hasSize(2);
    }

    @Test
    void aPausedRolloutStillFollowsTheScalingPolicyWithReplicasOfTheNewSpec() {
        h.start(h.builder().initialReplicas(2).maxReplicas(10).scalingInterval(Duration.ofSeconds(30))
                .scalingPolicy(context -> context.currentReplicas() < 4 ? 4 : context.currentReplicas()));
        h.seconds(2);
        h.update(h.v2);
        h.answer(h.orchestrator.pauseRollout());

        h.seconds(30);

        assertThat(h.orchestrator.status().desired()).isEqualTo(4);
        assertThat(h.specs()).containsExactly(Harness.hash(h.spec), Harness.hash(h.spec), Harness.hash(h.v2),
                Harness.hash(h.v2));
        assertThat(h.rollout().state()).isEqualTo(State.PAUSED);
    }

    @ParameterizedTest(name = "paused: {0}")
    @ValueSource(booleans = {true, false})
    void aRolloutScaledToZeroKeepsNoReplicaPausedOrNot(boolean paused) {
        h.start(h.builder().minReplicas(0).initialReplicas(2));
        h.seconds(2);
        h.update(h.v2);
        if (paused) {
            h.answer(h.orchestrator.pauseRollout());
        }
        h.seconds(10);

        h.orchestrator.scaleTo(0);
        h.seconds(60);

        assertThat(h.orchestrator.status().desired()).isZero();
        assertThat(h.ports()).as("zero means zero").isEmpty();
        assertThat(h.rollout().state()).isEqualTo(paused ? State.PAUSED : State.COMPLETE);
    }

    @Test
    void changesAskedForAtOnceAllApplyToTheSpecTheyFindOnTheLoop() {
        h.startReady(2);

        var first = h.orchestrator.update(spec -> spec.toBuilder().env("A", "1").build());
        var second = h.orchestrator.update(spec -> spec.toBuilder().env("B", "2").build());
        h.scheduler.runPending();

        assertThat(h.answer(first).state()).isEqualTo(State.PROGRESSING);
        assertThat(h.answer(second).reason()).contains("supersedes");
        assertThat(h.orchestrator.spec().env()).containsEntry("A", "1").containsEntry("B", "2");
        assertRefused(() -> h.orchestrator.update(spec -> spec.toBuilder().env("", "x").build()),
                "the change does not make a valid spec");
        assertRefused(() -> h.orchestrator.update(spec -> ContainerSpec.builder("other").command("x").build()),
                "the spec is of service 'other'");
    }
}
