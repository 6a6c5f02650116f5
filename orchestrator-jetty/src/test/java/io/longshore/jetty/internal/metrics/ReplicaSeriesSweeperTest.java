package io.longshore.jetty.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ReplicaState;
import io.longshore.core.ReplicaView;
import io.longshore.testkit.DeterministicScheduler;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweeper's rounds on virtual time: gone replicas' series end one grace after they went. */
class ReplicaSeriesSweeperTest {
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    private final ManualClock clock = new ManualClock(T0);
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final ServiceMetrics acts = metrics.service("acts");
    private volatile List<ReplicaView> replicas = List.of();
    private final ReplicaSeriesSweeper sweeper = new ReplicaSeriesSweeper(
            List.of(new ReplicaSeriesSweeper.Service("acts", acts, () -> replicas)), clock);

    private static ReplicaView replica(String id) {
        return new ReplicaView(id, "c-" + id, 8000, ReplicaState.READY, true, 0, 0, T0, 0);
    }

    @Test
    void aReplacedReplicasSeriesLeaveTheScrapeOneGraceAfterItIsGone() {
        replicas = List.of(replica("acts-8000-1"));
        acts.outcome(new StubBackend("acts-8000-1"), 200, clock.nanoTime(), 1_000_000);
        acts.outcome(new StubBackend("acts-8000-1"), 0, clock.nanoTime(), 1_000_000);
        sweeper.sweep();
        assertThat(metrics.scrape()).contains("replica=\"acts-8000-1\"");

        // replaced: the new replica takes over, the old one is gone from the view
        replicas = List.of(replica("acts-8000-2"));
        acts.outcome(new StubBackend("acts-8000-2"), 200, clock.nanoTime(), 1_000_000);
        sweeper.sweep();
        clock.advance(ServiceMetrics.GONE_REPLICA_GRACE.minusSeconds(1));
        sweeper.sweep();
        assertThat(metrics.scrape()).as("kept through the grace, for a last scrape")
                .contains("replica=\"acts-8000-1\"");

        clock.advance(Duration.ofSeconds(1));
        sweeper.sweep();

        assertThat(metrics.scrape()).doesNotContain("acts-8000-1").contains("replica=\"acts-8000-2\"");
        assertThat(acts.requests("acts-8000-1")).isZero();
        // a late answer from the gone replica registers it again, and it goes again after the grace
        acts.outcome(new StubBackend("acts-8000-1"), 200, clock.nanoTime(), 1_000_000);
        sweeper.sweep();
        clock.advance(ServiceMetrics.GONE_REPLICA_GRACE);
        sweeper.sweep();
        assertThat(metrics.scrape()).doesNotContain("acts-8000-1");
    }

    @Test
    void startedOnATimerItSweepsEveryIntervalSoAGoneReplicasSeriesEndOneGraceAfterItWent() {
        DeterministicScheduler timer = new DeterministicScheduler(clock);
        replicas = List.of(replica("acts-8000-1"));
        acts.outcome(new StubBackend("acts-8000-1"), 200, clock.nanoTime(), 1_000_000);
        sweeper.start(timer);
        sweeper.start(timer); // idempotent: still one round planned
        assertThat(timer.pendingTasks()).isOne();

        clock.advance(ReplicaSeriesSweeper.INTERVAL);
        replicas = List.of();
        clock.advance(ReplicaSeriesSweeper.INTERVAL); // the round that sees it gone
        clock.advance(ServiceMetrics.GONE_REPLICA_GRACE.minus(ReplicaSeriesSweeper.INTERVAL));
        assertThat(metrics.scrape()).as("kept through the grace").contains("replica=\"acts-8000-1\"");

        clock.advance(ReplicaSeriesSweeper.INTERVAL);

        assertThat(metrics.scrape()).doesNotContain("acts-8000-1");
        assertThat(timer.pendingTasks()).as("the next round is planned").isOne();
    }

    @Test
    void stoppedItPlansNoMoreRoundsAndCanStartAgain() {
        DeterministicScheduler timer = new DeterministicScheduler(clock);
        acts.outcome(new StubBackend("acts-8000-1"), 200, clock.nanoTime(), 1_000_000);
        sweeper.start(timer);
        clock.advance(ReplicaSeriesSweeper.INTERVAL); // seen gone

        sweeper.stop();
        sweeper.stop();
        clock.advance(ServiceMetrics.GONE_REPLICA_GRACE.multipliedBy(2));

        assertThat(timer.pendingTasks()).isZero();
        assertThat(metrics.scrape()).as("no round ran while stopped").contains("replica=\"acts-8000-1\"");
        sweeper.start(timer);
        clock.advance(ReplicaSeriesSweeper.INTERVAL);
        assertThat(metrics.scrape()).doesNotContain("acts-8000-1");
    }

    @Test
    void aTimerThatStoppedFirstEndsTheSweepingQuietly() {
        sweeper.start((task, delay) -> {
            throw new java.util.concurrent.RejectedExecutionException("timer stopped");
        });

        DeterministicScheduler timer = new DeterministicScheduler(clock);
        sweeper.start(timer); // the failed run is over: this one starts
        assertThat(timer.pendingTasks()).isOne();
    }

    @Test
    void theLoadWindowOfAReplicaThatIsGoneIsDroppedAtTheNextSweep() {
        acts.trackLoad(true);
        acts.outcome(new StubBackend("acts-8000-1"), 200, clock.nanoTime(), 1_000_000);
        assertThat(acts.load("acts-8000-1", clock.nanoTime()).requestsPerSecond()).isGreaterThan(0);

        sweeper.sweep(); // acts lists no replica

        assertThat(acts.load("acts-8000-1", clock.nanoTime()).requestsPerSecond()).isZero();
    }

    @Test
    void aServiceWhoseReplicasCannotBeReadIsSkippedAndTheOthersAreSwept() {
        ServiceMetrics broken = metrics.service("broken");
        ReplicaSeriesSweeper both = new ReplicaSeriesSweeper(List.of(
                new ReplicaSeriesSweeper.Service("broken", broken, () -> {
                    throw new IllegalStateException("replicas unavailable");
                }),
                new ReplicaSeriesSweeper.Service("acts", acts, () -> replicas)), clock);
        acts.outcome(new StubBackend("acts-8000-1"), 200, clock.nanoTime(), 1_000_000);

        both.sweep();
        clock.advance(ServiceMetrics.GONE_REPLICA_GRACE);
        both.sweep();

        assertThat(metrics.scrape()).doesNotContain("acts-8000-1");
    }
}
