package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Backend;
import io.longshore.api.HealthProbe;
import io.longshore.api.OrchestratorEvent.ReplicaStopping;
import io.longshore.api.OrchestratorEvent.UserCodeFailed;
import io.longshore.api.ProbeResult;
import io.longshore.api.ReplicaState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A health probe whose {@code probe()} call blocks (it should return a stage at once, but user
 * code does not always): the call runs on the probe executor, so the control loop goes on, the
 * other replicas are probed and become ready, and the replica whose check hangs fails its probes
 * and is replaced. On the loop itself such a call would stop the whole orchestrator (here: the
 * test thread, which {@link Timeout} turns into a failure).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BlockingProbeTest {
    private final Harness h = new Harness();
    private final ExecutorService probeThreads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "test-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger submitted = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    /** The probe threads, counting the calls that ran to the end (their answers are on the loop's queue then). */
    private final Executor counted = task -> {
        submitted.incrementAndGet();
        probeThreads.execute(() -> {
            try {
                task.run();
            } finally {
                finished.incrementAndGet();
            }
        });
    };
    private final CountDownLatch unblock = new CountDownLatch(1);
    private final BlockingOnce probe = new BlockingOnce();

    @AfterEach
    void close() {
        unblock.countDown();
        h.close();
        probeThreads.shutdownNow();
    }

    /** Blocks in {@code probe()} for the first replica on port 8001; answers healthy at once for every other. */
    private final class BlockingOnce implements HealthProbe {
        final AtomicInteger blocked = new AtomicInteger();
        volatile String blockedReplica;
        volatile java.time.Instant blockedAt;

        @Override
        public CompletionStage<ProbeResult> probe(Backend backend) {
            if (backend.endpoint().port() == 8001 && (blockedReplica == null || blockedReplica.equals(backend.id()))) {
                blockedReplica = backend.id();
                blockedAt = h.clock.instant();
                blocked.incrementAndGet();
                try {
                    unblock.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return CompletableFuture.completedFuture(ProbeResult.pass());
        }
    }

    /** Advances virtual time a second at a time, letting the probe threads answer, until {@code done}. */
    private void advanceUntil(BooleanSupplier done, int maxSeconds) {
        for (int second = 0; second < maxSeconds && !done.getAsBoolean(); second++) {
            h.seconds(1);
            // every call but the blocked one has returned, so its answer waits on the loop's queue
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                    .until(() -> finished.get() + probe.blocked.get() >= submitted.get());
            h.scheduler.runPending();
        }
    }

    /**
     * A probe executor that does not take the call (saturated by calls that never return) gives
     * no verdict: it says nothing about this replica, so nothing is counted against it; the
     * failure is reported as user code's.
     */
    @Test
    void aProbeCallTheExecutorRefusesGivesNoVerdictAndIsReported() {
        h.start(h.builder().probeExecutor(task -> {
            throw new java.util.concurrent.RejectedExecutionException("saturated");
        }).initialReplicas(1));

        h.seconds(10);
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.STARTING);
        assertThat(h.events(ReplicaStopping.class)).isEmpty();
        assertThat(h.events(UserCodeFailed.class)).first().satisfies(failed -> assertThat(failed.error())
                .startsWith("did not take a probe call: java.util.concurrent.RejectedExecutionException: saturated"));
    }

    @Test
    void aProbeThatBlocksHoldsUpOnlyItsOwnReplicaWhichIsReplaced() {
        h.start(h.builder().healthProbe(probe).probeExecutor(counted).initialReplicas(3).maxReplicas(3));

        advanceUntil(() -> h.orchestrator.replicas().stream()
                .filter(r -> r.port() != 8001 && r.state() == ReplicaState.READY).count() == 2, 10);
        assertThat(h.replicaAt(8000).state()).isEqualTo(ReplicaState.READY);
        assertThat(h.replicaAt(8002).state()).isEqualTo(ReplicaState.READY);
        String stuck = probe.blockedReplica;
        assertThat(stuck).isNotNull();
        assertThat(h.replicaAt(8001).id()).isEqualTo(stuck);
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.STARTING);

        advanceUntil(() -> !h.replicaAt(8001).id().equals(stuck), 10);
        ReplicaStopping stopping = h.events(ReplicaStopping.class).stream()
                .filter(e -> e.replicaId().equals(stuck)).findFirst().orElseThrow();
        assertThat(stopping.reason()).isEqualTo(
                "failed 3 probes in a row: the probe's call has not returned (probe() must not block)");
        assertThat(Duration.between(probe.blockedAt, stopping.at())).as("one failure per interval: the timeout, then "
                + "each interval the call has not returned").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(probe.blocked.get()).as("one call of the stuck replica, never a second").isEqualTo(1);

        advanceUntil(() -> h.replicaAt(8001).state() == ReplicaState.READY, 10);
        assertThat(h.replicaAt(8001).state()).isEqualTo(ReplicaState.READY);
        assertThat(h.routablePorts()).containsExactlyInAnyOrder(8000, 8001, 8002);
    }
}
