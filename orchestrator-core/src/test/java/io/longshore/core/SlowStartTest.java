package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.longshore.api.Backend;
import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.internal.DefaultRouter;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlowStartTest {
    private static final long SECOND = 1_000_000_000L;
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    private double weightAt(int port) {
        return h.orchestrator.router().routable().stream().filter(b -> b.endpoint().port() == port)
                .mapToDouble(Backend::effectiveWeight).findFirst().orElseThrow();
    }

    /** Starts two replicas, lets them warm up, then scales to three: 8002 becomes ready at the return. */
    private void thirdReplicaJustReady(LoadBalancingStrategy strategy) {
        h.start(h.builder().initialReplicas(2).maxReplicas(3).strategy(strategy).slowStart(SlowStart.defaults()));
        h.seconds(40);
        h.orchestrator.scaleTo(3);
        h.scheduler.runPending();
        h.seconds(2);
        assertThat(h.routablePorts()).containsExactly(8000, 8001, 8002);
    }

    /** The share of {@code requests} that went to port 8002. */
    private double shareOfTheNewReplica(int requests) {
        long before = h.replicaAt(8002).requests();
        h.requests(requests, 200);
        return (h.replicaAt(8002).requests() - before) / (double) requests;
    }

    @Test
    void theRampStartsAtTheMinimumShareGrowsLinearlyAndEndsAtTheWholeWeight() {
        SlowStart ramp = SlowStart.defaults();

        assertThat(ramp.share(0)).isEqualTo(0.1);
        assertThat(ramp.share(2 * SECOND)).isEqualTo(0.1);
        assertThat(ramp.share(6 * SECOND)).isCloseTo(0.2, within(1e-9));
        assertThat(ramp.share(15 * SECOND)).isCloseTo(0.5, within(1e-9));
        assertThat(ramp.share(30 * SECOND)).isEqualTo(1.0);
        assertThat(ramp.share(-5)).as("ready since before the clock began").isEqualTo(1.0);
        SlowStart aggressive = ramp.toBuilder().aggression(2).minWeightPercent(5).build();
        assertThat(aggressive.share(15 * SECOND)).isCloseTo(Math.sqrt(0.5), within(1e-9));
        assertThat(aggressive.share(0)).isEqualTo(0.05);
        assertThat(ramp.step()).isEqualTo(Duration.ofSeconds(1));
        assertThat(SlowStart.over(Duration.ofSeconds(2)).step()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> SlowStart.over(Duration.ofDays(36_501)))
                .hasMessageContaining("window must be at most 100 years");
        assertThatThrownBy(() -> SlowStart.builder().minWeightPercent(0))
                .hasMessageContaining("minWeightPercent must be in 1..100, was 0");
        assertThatThrownBy(() -> SlowStart.builder().aggression(0))
                .hasMessageContaining("aggression must be a finite number > 0, was 0.0");
        assertThatThrownBy(() -> SlowStart.over(Duration.ofSeconds(-1))).hasMessageContaining("window must not be negative");
        assertThat(SlowStart.disabled().enabled()).isFalse();
    }

    @Test
    void aReplicaThatJustBecameReadyRampsFromTenPercentToItsWholeWeightOverThirtySeconds() {
        thirdReplicaJustReady(LoadBalancingStrategy.roundRobin());

        assertThat(weightAt(8002)).isCloseTo(0.1, within(0.04));
        assertThat(weightAt(8000)).isEqualTo(1.0);
        assertThat(shareOfTheNewReplica(2100)).isCloseTo(weightAt(8002) / (2 + weightAt(8002)), within(0.01));

        h.seconds(15);
        assertThat(weightAt(8002)).isCloseTo(0.5, within(0.04));
        assertThat(shareOfTheNewReplica(2500)).isCloseTo(weightAt(8002) / (2 + weightAt(8002)), within(0.01));

        h.seconds(15);
        assertThat(weightAt(8002)).isEqualTo(1.0);
        assertThat(shareOfTheNewReplica(3000)).isCloseTo(1 / 3.0, within(0.01));
    }

    @Test
    void theRouterGetsTheGrowingShareEverySecondOfTheRampAndNothingMoreAfterIt() {
        thirdReplicaJustReady(LoadBalancingStrategy.roundRobin());
        DefaultRouter router = (DefaultRouter) h.orchestrator.router();
        h.seconds(5); // past the 10 % floor

        long before = router.snapshotSequence();
        h.seconds(10);
        assertThat(router.snapshotSequence() - before).isBetween(9L, 11L);

        h.seconds(20);
        long after = router.snapshotSequence();
        h.seconds(30);
        assertThat(router.snapshotSequence()).isEqualTo(after);
    }

    @Test
    void leastRequestHonoursTheRampToo() {
        thirdReplicaJustReady(LoadBalancingStrategy.leastRequest(new SplittableRandom(1)));

        assertThat(shareOfTheNewReplica(2100)).isCloseTo(weightAt(8002) / (2 + weightAt(8002)), within(0.01));
    }

    @Test
    void aReplicaReadmittedAfterAnEjectionRampsAgain() {
        h.start(h.builder().initialReplicas(3).slowStart(SlowStart.defaults()));
        h.seconds(40);
        for (int i = 0; i < 20; i++) {
            Lease lease = h.lease();
            lease.complete(lease.backend().endpoint().port() == 8001 ? 503 : 200, h.now());
        }
        h.scheduler.runPending();
        assertThat(h.routablePorts()).containsExactly(8000, 8002);

        h.seconds(30);

        assertThat(h.routablePorts()).containsExactly(8000, 8001, 8002);
        assertThat(weightAt(8001)).isCloseTo(0.1, within(0.04));
    }

    @Test
    void withoutSlowStartANewReplicaGetsItsWholeWeightAtOnce() {
        h.start(h.builder().initialReplicas(2).maxReplicas(3));
        h.seconds(40);
        h.orchestrator.scaleTo(3);
        h.scheduler.runPending();
        h.seconds(2);

        assertThat(weightAt(8002)).isEqualTo(1.0);
    }

    @Test
    void fixedEndpointsAreWarmButOneReadmittedAfterAnEjectionRamps() {
        ManualClock clock = new ManualClock();
        Router router = Routers.fixed(List.of(Endpoint.loopback(9001), Endpoint.loopback(9002)),
                LoadBalancingStrategy.roundRobin(), clock, OutlierDetection.defaults(), SlowStart.defaults());
        assertThat(router.routable()).extracting(Backend::effectiveWeight).containsExactly(1.0, 1.0);
        Lease lease = router.newLease();
        for (int i = 0; i < 10; i++) {
            lease.acquire(Harness.GET, null, clock.nanoTime());
            lease.complete(lease.backend().endpoint().port() == 9002 ? 503 : 200, clock.nanoTime());
        }
        assertThat(router.routable()).hasSize(1);

        clock.advance(OutlierDetection.DEFAULT_BASE_EJECTION);
        lease.acquire(Harness.GET, null, clock.nanoTime());
        lease.complete(200, clock.nanoTime());
        assertThat(router.routable()).extracting(Backend::effectiveWeight).containsExactly(1.0, 0.1);

        clock.advance(Duration.ofSeconds(15));
        lease.acquire(Harness.GET, null, clock.nanoTime());
        lease.complete(200, clock.nanoTime());
        assertThat(router.routable().get(1).effectiveWeight()).isCloseTo(0.5, within(1e-9));
    }
}
