package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.OrchestratorEvent.ReplicaStopped;
import io.longshore.api.ReplicaState;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A runtime whose {@code stop} hangs: after the replica's stop grace and the stop timeout the
 * replica is given up as stopped, so its slot is filled again instead of waiting forever, and
 * what the late {@code stop} returns changes nothing.
 */
class StopTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    /** The harness's spec keeps the default stop grace. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final Harness h = new Harness();
    private final HoldingExecutor executor = new HoldingExecutor();

    @AfterEach
    void close() {
        executor.stopHolding();
        executor.releaseHeld();
        h.close();
    }

    private OrchestratorBuilder builder(int replicas) {
        return h.builder().runtimeExecutor(executor).stopTimeout(TIMEOUT).initialReplicas(replicas).maxReplicas(3)
                .scalingInterval(Duration.ofHours(1)); // the tests scale by hand
    }

    /** Two ready replicas, then a scale-in to one whose stop of the replica on 8001 hangs. */
    private void scaleInWithAHungStop() {
        h.start(builder(2));
        h.seconds(2);
        executor.hold();
        h.orchestrator.scaleTo(1);
        h.scheduler.runPending();
        executor.stopHolding();
        assertThat(executor.held).as("the stop call under way").hasSize(1);
        assertThat(h.ports()).containsExactly(8000, 8001);
    }

    @Test
    void aStopThatDoesNotReturnIsGivenUpAfterTheGraceAndTheTimeout() {
        scaleInWithAHungStop();

        h.advance(GRACE.plus(TIMEOUT).minusSeconds(1));
        assertThat(h.ports()).containsExactly(8000, 8001);
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.DRAINING);
        assertThat(h.events(ReplicaStopped.class)).isEmpty();

        h.seconds(1);
        assertThat(h.ports()).containsExactly(8000);
        assertThat(h.events(ReplicaStopped.class)).singleElement().satisfies(stopped -> {
            assertThat(stopped.port()).isEqualTo(8001);
            assertThat(stopped.reason()).endsWith("; the runtime's stop did not return within PT1M10S, given up");
        });
    }

    @Test
    void whatAStopGivenUpReturnsLateChangesNothing() {
        scaleInWithAHungStop();
        h.advance(GRACE.plus(TIMEOUT));
        assertThat(h.events(ReplicaStopped.class)).hasSize(1);

        executor.releaseHeld(); // the runtime's stop returns at last
        h.scheduler.runPending();
        h.seconds(10);

        assertThat(h.runtime.stoppedIds()).containsExactly("fake-2");
        assertThat(h.events(ReplicaStopped.class)).hasSize(1);
        assertThat(h.ports()).containsExactly(8000);
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.READY);
    }

    @Test
    void aStopThatReturnsWithinTheTimeoutIsNotGivenUp() {
        scaleInWithAHungStop();
        h.advance(GRACE.plus(TIMEOUT).minusSeconds(5));

        executor.releaseHeld();
        h.scheduler.runPending();
        h.advance(TIMEOUT.multipliedBy(3));

        assertThat(h.events(ReplicaStopped.class)).singleElement()
                .satisfies(stopped -> assertThat(stopped.reason()).doesNotContain("given up"));
        assertThat(h.ports()).containsExactly(8000);
    }

    @Test
    void aCrashedReplicaWhoseStopHangsIsReplacedOnItsPortAfterTheTimeout() {
        h.start(builder(1));
        h.seconds(2);
        executor.hold();
        h.runtime.crash(h.containerAt(8000), 1);
        h.scheduler.runPending();
        executor.stopHolding();
        assertThat(executor.held).as("the stop of the crashed container").hasSize(1);

        h.advance(TIMEOUT.minusSeconds(1)); // a crashed replica is stopped without grace
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.DRAINING);
        assertThat(h.runtime.startedIds()).containsExactly("fake-1");

        h.seconds(1);
        assertThat(h.events(ReplicaStopped.class)).singleElement()
                .satisfies(stopped -> assertThat(stopped.reason()).startsWith("exited with code 1")
                        .endsWith("did not return within PT1M, given up"));
        h.seconds(5); // the restart backoff, then rise
        assertThat(h.runtime.startedIds()).containsExactly("fake-1", "fake-2");
        assertThat(h.replicaAt(8000).containerId()).isEqualTo("fake-2");
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.READY);
    }

    @Test
    void theStopTimeoutMustBePositive() {
        assertThatThrownBy(() -> h.builder().stopTimeout(Duration.ZERO)).hasMessageContaining("stopTimeout");
    }
}
