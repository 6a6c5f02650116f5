package io.longshore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Backend;
import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.Metric;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DefaultRouterTest {
    private static final RouteRequest GET = RouteRequest.of("GET", "/");
    private final ManualClock clock = new ManualClock();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<ReplicaBackend> outliers = new CopyOnWriteArrayList<>();
    private final DefaultRouter.Hooks hooks = new DefaultRouter.Hooks() {
        @Override
        public void outlier(ReplicaBackend backend) {
            outliers.add(backend);
        }

        @Override
        public void userCodeFailed(String component, String error) {
            failures.add(component + ": " + error);
        }
    };

    static List<ReplicaBackend> backends(int count) {
        List<ReplicaBackend> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new ReplicaBackend("r" + i, Endpoint.loopback(8000 + i)));
        }
        return list;
    }

    private DefaultRouter router(LoadBalancingStrategy strategy, List<ReplicaBackend> backends) {
        DefaultRouter router = new DefaultRouter(strategy, clock, 5, hooks);
        router.publish(backends);
        return router;
    }

    private static Map<String, Integer> shares(DefaultRouter router, int requests) {
        Map<String, Integer> shares = new HashMap<>();
        for (int i = 0; i < requests; i++) {
            Lease lease = router.lease(GET).orElseThrow();
            shares.merge(lease.backend().id(), 1, Integer::sum);
            lease.complete(200);
        }
        return shares;
    }

    @Test
    void roundRobinGivesEveryReplicaTheSameShareWithinOne() {
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends(7));

        Map<String, Integer> shares = shares(router, 1000);

        assertThat(shares).hasSize(7);
        int min = shares.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        int max = shares.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
    }

    @Test
    void aThrowingStrategyFallsBackToRoundRobinAndIsReportedAtMostOncePerInterval() {
        DefaultRouter router = router((candidates, request) -> {
            throw new IllegalStateException("strategy bug");
        }, backends(3));

        Map<String, Integer> shares = shares(router, 300);
        assertThat(shares).containsOnly(Map.entry("r0", 100), Map.entry("r1", 100), Map.entry("r2", 100));
        assertThat(failures).hasSize(1);

        clock.advance(FailureReporter.DEFAULT_INTERVAL);
        shares(router, 1);
        assertThat(failures).hasSize(2);
        assertThat(failures.get(1)).contains("strategy bug").contains("299 similar failures");
    }

    @Test
    void aStrategyPickingOutsideTheCandidatesOrReturningNullFallsBack() {
        Backend stranger = new ReplicaBackend("stranger", Endpoint.loopback(9999));
        DefaultRouter foreign = router((candidates, request) -> Optional.of(stranger), backends(2));
        DefaultRouter nulls = router((candidates, request) -> null, backends(2));

        assertThat(foreign.lease(GET).orElseThrow().backend().id()).startsWith("r");
        assertThat(nulls.lease(GET).orElseThrow().backend().id()).startsWith("r");
        assertThat(failures).hasSize(2);
    }

    @Test
    void aStrategyAnsweringNoneGivesNoLease() {
        DefaultRouter router = router((candidates, request) -> Optional.empty(), backends(2));

        assertThat(router.lease(GET)).isEmpty();
        assertThat(failures).isEmpty();
    }

    @Test
    void leaseExcludingNeverReturnsTheExcludedBackend() {
        List<ReplicaBackend> backends = backends(3);
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends);

        for (int i = 0; i < 30; i++) {
            router.leaseExcluding(GET, backends.get(1)).ifPresent(lease -> {
                assertThat(lease.backend()).isNotSameAs(backends.get(1));
                lease.complete(200);
            });
        }
        DefaultRouter single = router(LoadBalancingStrategy.roundRobin(), backends(1));
        assertThat(single.leaseExcluding(GET, single.routable().get(0))).isEmpty();
    }

    @Test
    void aLeaseCountsInFlightUntilItsFirstOutcomeOnly() {
        List<ReplicaBackend> backends = backends(1);
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends);

        Lease lease = router.lease(GET).orElseThrow();
        assertThat(backends.get(0).inFlight()).isEqualTo(1);
        assertThat(router.metrics().inFlight()).isEqualTo(1);
        lease.complete(200);
        lease.complete(200);
        lease.fail(Lease.Failure.RESET);

        assertThat(backends.get(0).inFlight()).isZero();
        assertThat(router.metrics().inFlight()).isZero();
        assertThat(backends.get(0).requestCount()).isEqualTo(1);
    }

    @Test
    void theOutlierHookFiresOnceWhenTheFailureStreakReachesTheThreshold() {
        List<ReplicaBackend> backends = backends(1);
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends);

        for (int i = 0; i < 4; i++) {
            router.lease(GET).orElseThrow().complete(502);
        }
        router.lease(GET).orElseThrow().complete(200);
        for (int i = 0; i < 4; i++) {
            router.lease(GET).orElseThrow().fail(Lease.Failure.CONNECT);
        }
        assertThat(outliers).isEmpty();

        for (int i = 0; i < 5; i++) {
            router.lease(GET).orElseThrow().fail(Lease.Failure.TIMEOUT);
        }
        assertThat(outliers).containsExactly(backends.get(0));
    }

    @Test
    void metricsCountRequestsRateAndLatencyOverTheWindow() {
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends(2));
        for (int i = 0; i < 60; i++) {
            Lease lease = router.lease(GET).orElseThrow();
            clock.advance(Duration.ofMillis(20));
            lease.complete(200);
        }

        assertThat(router.metrics().requestCount(Duration.ofMinutes(1))).isEqualTo(60);
        assertThat(router.metrics().requestRate(Duration.ofMinutes(1))).isEqualTo(1.0);
        assertThat(router.metrics().value(Metric.LATENCY_MS, Duration.ofMinutes(1))).isEqualTo(20.0);
        assertThat(router.metrics().value(Metric.CPU_PERCENT, Duration.ofMinutes(1))).isNaN();
        assertThat(router.routable().get(0).latencyEwmaNanos()).isEqualTo(Duration.ofMillis(20).toNanos());
        assertThat(router.firstRequestAt()).contains(clock.instant().minusMillis(1200));

        clock.advance(Duration.ofMinutes(2));
        assertThat(router.metrics().requestCount(Duration.ofMinutes(1))).isZero();
        assertThat(router.metrics().requestCount(Duration.ofMinutes(5))).isEqualTo(60);
        assertThat(router.metrics().value(Metric.LATENCY_MS, Duration.ofMinutes(1))).isNaN();
    }

    @Test
    void aLeaseRacingARemovalIsRetriedOnTheNewSnapshot() {
        List<ReplicaBackend> backends = backends(2);
        AtomicInteger calls = new AtomicInteger();
        DefaultRouter[] holder = new DefaultRouter[1];
        DefaultRouter router = router((candidates, request) -> {
            if (calls.getAndIncrement() == 0) {
                holder[0].publish(List.of(backends.get(1)));
                return candidates.get(0).asChoice();
            }
            return candidates.get(0).asChoice();
        }, backends);
        holder[0] = router;

        Lease lease = router.lease(GET).orElseThrow();

        assertThat(lease.backend()).isSameAs(backends.get(1));
        assertThat(backends.get(0).inFlight()).isZero();
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void backendsAnswerWithACachedChoice() {
        ReplicaBackend backend = backends(1).get(0);

        assertThat(backend.asChoice()).isSameAs(backend.asChoice()).contains(backend);
    }

    @Test
    void anEmptySnapshotGivesNoLease() {
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), List.of());

        assertThat(router.lease(GET)).isEmpty();
        assertThat(router.firstRequestAt()).isEmpty();
    }

    @Test
    void aLeaseHandleCountsLikeALeaseWithTheTimesItIsGiven() {
        List<ReplicaBackend> backends = backends(2);
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends);
        io.longshore.core.LeaseHandle handle = router.newHandle();

        assertThat(handle.acquire(GET, null, 1_000)).isTrue();
        ReplicaBackend first = (ReplicaBackend) handle.backend();
        assertThat(first.inFlight()).isEqualTo(1);
        assertThat(router.metrics().inFlight()).isEqualTo(1);
        handle.complete(200, 4_001_000);
        handle.complete(200, 9_000_000); // a second outcome is ignored

        assertThat(handle.isHeld()).isFalse();
        assertThat(first.inFlight()).isZero();
        assertThat(first.requestCount()).isEqualTo(1);
        assertThat(first.latencyEwmaNanos()).isEqualTo(4_000_000);
        assertThat(handle.acquire(GET, null, 5_000_000)).isTrue();
        assertThat(handle.backend()).isNotSameAs(first);
    }

    @Test
    void aLeaseHandleLeasesElsewhereWhenToldAndReportsFailures() {
        List<ReplicaBackend> backends = backends(2);
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends);
        io.longshore.core.LeaseHandle handle = router.newHandle();

        for (int i = 0; i < 5; i++) {
            assertThat(handle.acquire(GET, backends.get(0), 0)).isTrue();
            assertThat(handle.backend()).isSameAs(backends.get(1));
            handle.fail(Lease.Failure.CONNECT, 10);
        }

        assertThat(outliers).containsExactly(backends.get(1));
        assertThat(backends.get(1).inFlight()).isZero();
    }

    @Test
    void aLeaseHandleRefusesASecondAcquireAndAcquiresNothingWithoutReplicas() {
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends(1));
        io.longshore.core.LeaseHandle handle = router.newHandle();
        handle.acquire(GET, null, 0);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> handle.acquire(GET, null, 0))
                .isInstanceOf(IllegalStateException.class);
        handle.complete(200, 1);
        router.publish(List.of());
        assertThat(handle.acquire(GET, null, 2)).isFalse();
        assertThat(handle.isHeld()).isFalse();
    }

    @Test
    void requestsInFlightOnARemovedReplicaStillCountUntilTheyFinish() {
        List<ReplicaBackend> backends = backends(2);
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends);
        Lease first = router.lease(GET).orElseThrow();
        Lease second = router.lease(GET).orElseThrow();

        router.publish(List.of(backends.get(0)));
        assertThat(router.metrics().inFlight()).isEqualTo(2);
        (first.backend() == backends.get(1) ? first : second).complete(200);
        router.publish(List.of(backends.get(0)));

        assertThat(router.metrics().inFlight()).isEqualTo(1);
    }
}
