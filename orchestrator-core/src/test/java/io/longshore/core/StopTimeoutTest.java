package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.longshore.api.OrchestratorEvent.ReplicaStopped;
import io.longshore.api.ReplicaState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A runtime whose {@code stop} hangs: once the call has run for the replica's stop grace and the
 * stop timeout, the replica is given up as stopped, so its slot is filled again instead of
 * waiting forever, and what the late {@code stop} returns changes nothing. A stop still waiting
 * for a runtime thread is not timed. The hung call runs on a thread of its own and blocks there;
 * everything else runs on the test's thread in virtual time.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StopTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);
    /** The harness's spec keeps the default stop grace. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final Harness h = new Harness();
    private final HoldingExecutor executor = new HoldingExecutor();
    private final HangingStops runtime = new HangingStops();

    @AfterEach
    void close() {
        runtime.release.countDown();
        executor.stopHolding();
        executor.releaseHeld();
        h.close();
    }

    /** The harness's fake runtime, whose next {@code stop} blocks (after it began) until released. */
    private final class HangingStops extends DelegatingRuntime {
        final CountDownLatch began = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch returned = new CountDownLatch(1);
        volatile boolean hangNext;

        HangingStops() {
            super(h.runtime);
        }

        @Override
        public void stop(String containerId, Duration grace) {
            if (!hangNext) {
                super.stop(containerId, grace);
                return;
            }
            hangNext = false;
            began.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.stop(containerId, grace);
            returned.countDown();
        }
    }

    private OrchestratorBuilder builder(int replicas) {
        return h.builder().runtime(runtime).runtimeExecutor(executor).stopTimeout(TIMEOUT).initialReplicas(replicas)
                .maxReplicas(3).scalingInterval(Duration.ofHours(1)); // the tests scale by hand
    }

    /** Two ready replicas, then a scale-in to one whose stop of the replica on 8001 begins and hangs. */
    private void scaleInWithAHungStop() throws InterruptedException {
        h.start(builder(2));
        h.seconds(2);
        runtime.hangNext = true;
        executor.nextOnThread();
        h.orchestrator.scaleTo(1);
        h.scheduler.runPending();
        assertThat(runtime.began.await(10, TimeUnit.SECONDS)).as("the stop call began").isTrue();
        assertThat(h.ports()).containsExactly(8000, 8001);
    }

    @Test
    void aStopThatDoesNotReturnIsGivenUpAfterTheGraceAndTheTimeout() throws Exception {
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
    void whatAStopGivenUpReturnsLateChangesNothing() throws Exception {
        scaleInWithAHungStop();
        h.advance(GRACE.plus(TIMEOUT));
        assertThat(h.events(ReplicaStopped.class)).hasSize(1);

        runtime.release.countDown(); // the runtime's stop returns at last
        assertThat(runtime.returned.await(10, TimeUnit.SECONDS)).isTrue();
        h.seconds(10);

        assertThat(h.runtime.stoppedIds()).containsExactly("fake-2");
        assertThat(h.events(ReplicaStopped.class)).hasSize(1);
        assertThat(h.ports()).containsExactly(8000);
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.READY);
    }

    @Test
    void aStopThatReturnsWithinTheTimeoutIsNotGivenUp() throws Exception {
        scaleInWithAHungStop();
        h.advance(GRACE.plus(TIMEOUT).minusSeconds(5));

        runtime.release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            h.scheduler.runPending(); // the answer is posted from the call's thread
            return h.ports().equals(List.of(8000));
        });
        h.advance(TIMEOUT.multipliedBy(3));

        assertThat(h.events(ReplicaStopped.class)).singleElement()
                .satisfies(stopped -> assertThat(stopped.reason()).doesNotContain("given up"));
    }

    @Test
    void aStopStillWaitingForARuntimeThreadIsNotTimed() {
        h.start(builder(2));
        h.seconds(2);
        executor.hold(); // every runtime thread busy: the stop is queued, not called
        h.orchestrator.scaleTo(1);
        h.scheduler.runPending();
        executor.stopHolding();

        h.advance(GRACE.plus(TIMEOUT).multipliedBy(3));
        assertThat(h.events(ReplicaStopped.class)).isEmpty();
        assertThat(h.ports()).containsExactly(8000, 8001);

        executor.releaseHeld(); // a thread takes it: the stop runs and returns
        h.scheduler.runPending();
        assertThat(h.ports()).containsExactly(8000);
        assertThat(h.events(ReplicaStopped.class)).singleElement()
                .satisfies(stopped -> assertThat(stopped.reason()).doesNotContain("given up"));
    }

    @Test
    void aCrashedReplicaWhoseStopHangsIsReplacedOnItsPortAfterTheTimeout() throws Exception {
        h.start(builder(1));
        h.seconds(2);
        runtime.hangNext = true;
        executor.nextOnThread();
        h.runtime.crash(h.containerAt(8000), 1);
        h.scheduler.runPending();
        assertThat(runtime.began.await(10, TimeUnit.SECONDS)).as("the stop of the crashed container began").isTrue();

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
