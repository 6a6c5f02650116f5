package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Endpoint;
import io.longshore.api.OrchestratorEvent.ReplicaStartFailed;
import io.longshore.api.OrchestratorEvent.ReplicaStopping;
import io.longshore.api.ReplicaState;
import io.longshore.api.Scheduler;
import io.longshore.testkit.FakeContainerRuntime;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A runtime whose {@code start} hangs, or that never says where a replica serves: after the start
 * timeout the replica is retried or replaced instead of staying {@code STARTING} forever, and a
 * container a late start still returns is stopped.
 */
class StartTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final Harness h = new Harness();
    private final HoldingExecutor executor = new HoldingExecutor();

    @AfterEach
    void close() {
        h.close();
    }

    private OrchestratorBuilder builder() {
        return h.builder().runtimeExecutor(executor).startTimeout(TIMEOUT).initialReplicas(1).maxReplicas(3)
                .scalingInterval(Duration.ofHours(1)); // the tests scale by hand
    }

    /** One ready replica on 8000, then a second on 8001 whose start hangs until released. */
    private void scaleOutWithAHungStart() {
        h.start(builder());
        h.seconds(2);
        executor.hold();
        h.orchestrator.scaleTo(2);
        h.scheduler.runPending();
        executor.stopHolding();
        assertThat(executor.held).hasSize(1);
    }

    @Test
    void aStartThatDoesNotReturnCountsAsFailedAtTheTimeoutAndIsRetried() {
        scaleOutWithAHungStart();

        h.advance(TIMEOUT.minusSeconds(1));
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.STARTING);
        assertThat(h.events(ReplicaStartFailed.class)).isEmpty();

        h.seconds(1);
        assertThat(h.events(ReplicaStartFailed.class)).singleElement().satisfies(failed -> {
            assertThat(failed.error()).isEqualTo("the runtime's start did not return within PT1M");
            assertThat(failed.retryIn()).isEqualTo(Duration.ofSeconds(1));
        });

        h.seconds(3);
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.READY);
        assertThat(h.replicaAt(8001).restarts()).isEqualTo(1);
    }

    @Test
    void aContainerTheTimedOutStartReturnsLateIsStoppedAndTheRetryServes() {
        scaleOutWithAHungStart();
        h.advance(TIMEOUT.plusMillis(500));
        assertThat(h.events(ReplicaStartFailed.class)).hasSize(1);

        executor.releaseHeld(); // the hung start returns while the replica waits out its backoff
        h.scheduler.runPending();
        assertThat(h.runtime.startedIds()).containsExactly("fake-1", "fake-2");
        assertThat(h.runtime.stoppedIds()).containsExactly("fake-2");

        h.seconds(3);
        assertThat(h.runningPorts()).containsExactly(8000, 8001);
        assertThat(h.replicaAt(8001).containerId()).isEqualTo("fake-3");
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.READY);
    }

    @Test
    void aTimedOutStartThatReturnsWhileItsRetryIsUnderWayNeverBecomesTheReplicasContainer() {
        scaleOutWithAHungStart();
        h.advance(TIMEOUT);
        executor.hold(); // the retry, a second after the timeout, hangs too
        h.seconds(1);
        executor.stopHolding();
        assertThat(executor.held).hasSize(2);
        assertThat(h.orchestrator.replicas()).filteredOn(r -> r.port() == 8001).singleElement()
                .satisfies(r -> assertThat(r.containerId()).isEmpty());

        executor.releaseFirst(); // the first start returns while the second is under way
        h.scheduler.runPending();
        assertThat(h.runtime.stoppedIds()).containsExactly("fake-2");
        assertThat(h.replicaAt(8001).containerId()).isEmpty();

        executor.releaseHeld();
        h.seconds(3);
        assertThat(h.replicaAt(8001).containerId()).isEqualTo("fake-3");
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.READY);
        assertThat(h.runningPorts()).containsExactly(8000, 8001);
    }

    @Test
    void aStartThatHangsThroughCloseIsGivenUpAndWhatItReturnsLateIsStoppedAfterTheLoopIsGone() {
        scaleOutWithAHungStart();
        h.orchestrator.close(); // the scheduler is the test's: close only begins the shutdown
        h.seconds(10);
        assertThat(h.ports()).containsExactly(8001); // 8000 stopped; 8001 waits for its start

        h.advance(TIMEOUT);
        assertThat(h.ports()).isEmpty();

        executor.releaseHeld();
        assertThat(h.runtime.stoppedIds()).containsExactly("fake-1", "fake-2");
        assertThat(h.runtime.running()).isEmpty();
    }

    /** A start under way when the loop's scheduler is shut down (close() gave up waiting for it). */
    private RefusingScheduler startHangingThroughClose(OrchestratorBuilder builder) {
        RefusingScheduler scheduler = new RefusingScheduler(h.scheduler);
        executor.hold();
        h.start(builder.scheduler(scheduler));
        executor.releaseFirst(); // the runtime's list: nothing to adopt
        h.scheduler.runPending();
        executor.stopHolding();
        assertThat(executor.held).as("the start of 8000").hasSize(1);
        h.orchestrator.close();
        h.scheduler.runPending();
        scheduler.shutDown();
        return scheduler;
    }

    @Test
    void aStartThatReturnsAfterTheLoopIsShutDownStopsItsContainerOnItsOwnThread() {
        startHangingThroughClose(builder());

        executor.releaseHeld(); // the start returns well within its timeout, but no loop takes the answer

        assertThat(h.runtime.startedIds()).containsExactly("fake-1");
        assertThat(h.runtime.stoppedIds()).containsExactly("fake-1");
        assertThat(h.runtime.running()).isEmpty();
    }

    @Test
    void aStartThatReturnsAfterTheLoopIsShutDownLeavesItsContainerWhenReplicasOutliveTheOrchestrator() {
        startHangingThroughClose(builder().stopReplicasOnClose(false));

        executor.releaseHeld();

        assertThat(h.runtime.stoppedIds()).isEmpty();
        assertThat(h.runningPorts()).containsExactly(8000);
    }

    @Test
    void aStartThatReturnsWithinTheTimeoutIsNotDisturbedByIt() {
        scaleOutWithAHungStart();
        h.advance(TIMEOUT.minusSeconds(10));
        executor.releaseHeld();
        h.scheduler.runPending();

        h.advance(TIMEOUT.multipliedBy(3));
        assertThat(h.events(ReplicaStartFailed.class)).isEmpty();
        assertThat(h.runtime.stoppedIds()).isEmpty();
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.READY);
        assertThat(h.replicaAt(8001).containerId()).isEqualTo("fake-2");
    }

    @Test
    void aReplicaScaledAwayWhileItsStartHangsIsGivenUpAtTheTimeoutAndItsLateContainerStopped() {
        scaleOutWithAHungStart();
        h.seconds(1);
        h.orchestrator.scaleTo(1); // the new replica on 8001 leaves while its start hangs
        h.scheduler.runPending();
        assertThat(h.ports()).containsExactly(8000, 8001);

        h.advance(TIMEOUT);
        assertThat(h.ports()).containsExactly(8000);

        executor.releaseHeld();
        h.scheduler.runPending();
        assertThat(h.runtime.stoppedIds()).containsExactly("fake-2");
        assertThat(h.runningPorts()).containsExactly(8000);
    }

    @Test
    void aReplicaWhoseEndpointIsNeverReportedIsReplacedAtTheTimeout() {
        FakeContainerRuntime runtime = FakeContainerRuntime.assigningEndpointsLater(h.clock,
                n -> Endpoint.loopback(40_000 + n), Duration.ofHours(1), h.scheduler);
        h.start(builder().runtime(runtime).runtimeExecutor(Runnable::run));

        h.advance(TIMEOUT.minusSeconds(1));
        assertThat(h.replicaAt(8000).containerId()).isEqualTo("fake-1");
        assertThat(runtime.stoppedIds()).isEmpty();

        h.seconds(1);
        assertThat(runtime.stoppedIds()).containsExactly("fake-1");
        assertThat(h.events(ReplicaStopping.class)).singleElement()
                .satisfies(stopping -> assertThat(stopping.reason()).isEqualTo("no endpoint reported within PT1M"));

        h.seconds(2); // the replacement, after the restart backoff, also waits for its endpoint
        assertThat(runtime.startedIds()).containsExactly("fake-1", "fake-2");
        assertThat(h.replicaAt(8000).containerId()).isEqualTo("fake-2");
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.STARTING);
    }

    @Test
    void theTimeoutMustBePositive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.builder().startTimeout(Duration.ZERO))
                .hasMessageContaining("startTimeout");
    }

    /** The test's scheduler, refusing tasks once shut down, as the orchestrator's own does after close(). */
    private static final class RefusingScheduler implements Scheduler {
        private final Scheduler scheduler;
        private volatile boolean shutDown;

        RefusingScheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        void shutDown() {
            shutDown = true;
        }

        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            if (shutDown) {
                throw new RejectedExecutionException("shut down");
            }
            return scheduler.schedule(task, delay);
        }
    }
}
