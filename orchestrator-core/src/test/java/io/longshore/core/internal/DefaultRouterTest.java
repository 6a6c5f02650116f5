package io.longshore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.longshore.api.Backend;
import io.longshore.api.Endpoint;
import io.longshore.api.HashKey;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.Metric;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** A new lease that holds a backend (the test fails when none is routable). */
    private Lease leased(DefaultRouter router) {
        Lease lease = router.newLease();
        assertThat(lease.acquire(GET, null, clock.nanoTime())).as("acquired").isTrue();
        return lease;
    }

    private Map<String, Integer> shares(DefaultRouter router, int requests) {
        Map<String, Integer> shares = new HashMap<>();
        Lease lease = router.newLease();
        for (int i = 0; i < requests; i++) {
            assertThat(lease.acquire(GET, null, clock.nanoTime())).isTrue();
            shares.merge(lease.backend().id(), 1, Integer::sum);
            lease.complete(200, clock.nanoTime());
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
    void aStrategyPickingAPositionOutsideTheCandidatesFallsBack() {
        DefaultRouter beyond = router((candidates, request) -> candidates.size(), backends(2));
        DefaultRouter negative = router((candidates, request) -> -7, backends(2));

        assertThat(leased(beyond).backend().id()).startsWith("r");
        assertThat(leased(negative).backend().id()).startsWith("r");
        assertThat(failures).hasSize(2);
        assertThat(failures.get(0)).contains("picked candidate 2 of 2");
    }

    @Test
    void aStrategyAnsweringNoneGivesNoLease() {
        DefaultRouter router = router((candidates, request) -> LoadBalancingStrategy.NONE, backends(2));

        Lease lease = router.newLease();
        assertThat(lease.acquire(GET, null, clock.nanoTime())).isFalse();
        assertThat(lease.isHeld()).isFalse();
        assertThat(failures).isEmpty();
    }

    @Test
    void aLeaseToldToExcludeABackendNeverAcquiresIt() {
        List<ReplicaBackend> backends = backends(3);
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends);
        Lease lease = router.newLease();

        for (int i = 0; i < 30; i++) {
            assertThat(lease.acquire(GET, backends.get(1), clock.nanoTime())).isTrue();
            assertThat(lease.backend()).isNotSameAs(backends.get(1));
            lease.complete(200, clock.nanoTime());
        }
        DefaultRouter single = router(LoadBalancingStrategy.roundRobin(), backends(1));
        assertThat(single.newLease().acquire(GET, single.routable().get(0), clock.nanoTime())).isFalse();
    }

    @Test
    void aLeaseCountsInFlightUntilItsFirstOutcomeOnly() {
        List<ReplicaBackend> backends = backends(1);
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends);

        Lease lease = leased(router);
        assertThat(backends.get(0).inFlight()).isEqualTo(1);
        assertThat(router.metrics().inFlight()).isEqualTo(1);
        lease.complete(200, clock.nanoTime());
        lease.complete(200, clock.nanoTime());
        lease.fail(Lease.Failure.RESET, clock.nanoTime());

        assertThat(backends.get(0).inFlight()).isZero();
        assertThat(router.metrics().inFlight()).isZero();
        assertThat(backends.get(0).requestCount()).isEqualTo(1);
    }

    @Test
    void theOutlierHookFiresOnceWhenTheFailureStreakReachesTheThreshold() {
        List<ReplicaBackend> backends = backends(1);
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends);

        for (int i = 0; i < 4; i++) {
            leased(router).complete(502, clock.nanoTime());
        }
        leased(router).complete(200, clock.nanoTime());
        for (int i = 0; i < 4; i++) {
            leased(router).fail(Lease.Failure.CONNECT, clock.nanoTime());
        }
        assertThat(outliers).isEmpty();

        for (int i = 0; i < 5; i++) {
            leased(router).fail(Lease.Failure.TIMEOUT, clock.nanoTime());
        }
        assertThat(outliers).containsExactly(backends.get(0));
    }

    @Test
    void metricsCountRequestsRateAndLatencyOverTheWindow() {
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends(2));
        for (int i = 0; i < 60; i++) {
            Lease lease = leased(router);
            clock.advance(Duration.ofMillis(20));
            lease.complete(200, clock.nanoTime());
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
                return 0;
            }
            return 0;
        }, backends);
        holder[0] = router;

        Lease lease = leased(router);

        assertThat(lease.backend()).isSameAs(backends.get(1));
        assertThat(backends.get(0).inFlight()).isZero();
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void anEmptySnapshotGivesNoLease() {
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), List.of());

        assertThat(router.newLease().acquire(GET, null, clock.nanoTime())).isFalse();
        assertThat(router.firstRequestAt()).isEmpty();
    }

    @Test
    void aLeaseMeasuresLatencyWithTheTimesItIsGivenAndIsReusable() {
        List<ReplicaBackend> backends = backends(2);
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends);
        Lease lease = router.newLease();

        assertThat(lease.acquire(GET, null, 1_000)).isTrue();
        ReplicaBackend first = (ReplicaBackend) lease.backend();
        assertThat(first.inFlight()).isEqualTo(1);
        assertThat(router.metrics().inFlight()).isEqualTo(1);
        lease.complete(200, 4_001_000);
        lease.complete(200, 9_000_000); // a second outcome is ignored

        assertThat(lease.isHeld()).isFalse();
        assertThat(first.inFlight()).isZero();
        assertThat(first.requestCount()).isEqualTo(1);
        assertThat(first.latencyEwmaNanos()).isEqualTo(4_000_000);
        assertThat(lease.acquire(GET, null, 5_000_000)).isTrue();
        assertThat(lease.backend()).isNotSameAs(first);
    }

    @Test
    void aLeaseLeasesElsewhereWhenToldAndReportsFailures() {
        List<ReplicaBackend> backends = backends(2);
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends);
        Lease lease = router.newLease();

        for (int i = 0; i < 5; i++) {
            assertThat(lease.acquire(GET, backends.get(0), 0)).isTrue();
            assertThat(lease.backend()).isSameAs(backends.get(1));
            lease.fail(Lease.Failure.CONNECT, 10);
        }

        assertThat(outliers).containsExactly(backends.get(1));
        assertThat(backends.get(1).inFlight()).isZero();
    }

    @Test
    void aLeaseRefusesASecondAcquireAndAcquiresNothingWithoutReplicas() {
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends(1));
        Lease lease = router.newLease();
        lease.acquire(GET, null, 0);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lease.acquire(GET, null, 0))
                .isInstanceOf(IllegalStateException.class);
        lease.complete(200, 1);
        router.publish(List.of());
        assertThat(lease.acquire(GET, null, 2)).isFalse();
        assertThat(lease.isHeld()).isFalse();
    }

    @Test
    void requestsInFlightOnARemovedReplicaStillCountUntilTheyFinish() {
        List<ReplicaBackend> backends = backends(2);
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends);
        Lease first = leased(router);
        Lease second = leased(router);

        router.publish(List.of(backends.get(0)));
        assertThat(router.metrics().inFlight()).isEqualTo(2);
        (first.backend() == backends.get(1) ? first : second).complete(200, clock.nanoTime());
        router.publish(List.of(backends.get(0)));

        assertThat(router.metrics().inFlight()).isEqualTo(1);
    }

    @Test
    void aCompletedLeaseFeedsThePeakEwmaOnTheRoutersClockWithTheStrategysDecay() {
        List<ReplicaBackend> backends = backends(1);
        DefaultRouter router = router(LoadBalancingStrategy.peakEwma(new java.util.SplittableRandom(1),
                Duration.ofSeconds(5)), backends);
        ReplicaBackend backend = backends.get(0);
        assertThat(backend.peakEwmaNanos()).isNaN();

        Lease lease = router.newLease();
        lease.acquire(GET, null, 0);
        lease.complete(200, 40_000_000);
        assertThat(backend.peakEwmaNanos()).isEqualTo(40_000_000);
        assertThat(backend.peakEwmaAtNanos()).isEqualTo(40_000_000);

        long later = 40_000_000 + Duration.ofSeconds(5).toNanos();
        lease.acquire(GET, null, later - 10_000_000);
        lease.complete(200, later); // 10 ms, one decay time after the last response

        double kept = Math.exp(-1);
        assertThat(backend.peakEwmaNanos()).isCloseTo(40e6 * kept + 10e6 * (1 - kept), within(1.0));
        lease.acquire(GET, null, later);
        lease.fail(Lease.Failure.TIMEOUT, later + 90_000_000);
        assertThat(backend.peakEwmaNanos()).as("a slower response is taken at once").isEqualTo(90_000_000);
    }

    @Test
    void theEwmaBarelyMovesOverAShortGapAndTheTaylorDecayMatchesTheExponential() {
        ReplicaBackend backend = new ReplicaBackend("r", Endpoint.loopback(8000));
        backend.recordLatency(100, 0, 1e10);
        backend.recordLatency(0, 1_000_000, 1e10);

        assertThat(backend.peakEwmaNanos()).isCloseTo(100 * Math.exp(-1e-4), within(1e-6));
        for (long gap : new long[] {1, 1_000, 9_999_999, 10_000_000, 10_000_001, 5_000_000_000L}) {
            assertThat(ReplicaBackend.decay(gap, 1e10)).isCloseTo(Math.exp(-gap / 1e10), within(1e-9));
        }
    }

    @Test
    void aRetryPicksFromTheWholeListWithoutTheFailedBackendThroughTheStrategy() {
        List<ReplicaBackend> backends = backends(3);
        DefaultRouter router = router((candidates, request) -> 0, backends);
        Lease lease = router.newLease();

        assertThat(lease.acquire(GET, backends.get(0), 0)).isTrue();

        assertThat(lease.backend()).as("the first of the others").isSameAs(backends.get(1));
        assertThat(failures).isEmpty();
    }

    @Test
    void aStrategyThatPicksTheExcludedBackendOnARetryFallsBackToRoundRobinAmongTheOthers() {
        List<ReplicaBackend> backends = backends(3);
        DefaultRouter router = router(new LoadBalancingStrategy() {
            @Override
            public int choose(List<io.longshore.api.Backend> candidates, RouteRequest request) {
                return 0;
            }

            @Override
            public int chooseExcept(List<io.longshore.api.Backend> candidates, RouteRequest request, int excluded) {
                return excluded;
            }
        }, backends);
        Lease lease = router.newLease();

        for (int i = 0; i < 10; i++) {
            assertThat(lease.acquire(GET, backends.get(1), 0)).isTrue();
            assertThat(lease.backend()).isNotSameAs(backends.get(1));
            lease.complete(200, 0);
        }
        assertThat(failures).singleElement().asString().contains("picked the excluded candidate 1");
    }

    @Test
    void aStrategyWhoseKnobsThrowGetsTheDefaultsAndIsReported() {
        LoadBalancingStrategy broken = new LoadBalancingStrategy() {
            @Override
            public int choose(List<io.longshore.api.Backend> candidates, RouteRequest request) {
                return 0;
            }

            @Override
            public Duration latencyDecay() {
                throw new IllegalStateException("no decay");
            }

            @Override
            public java.util.Optional<String> stickyCookie() {
                return null;
            }
        };

        DefaultRouter router = router(broken, backends(1));

        assertThat(router.stickyCookie()).isEmpty();
        assertThat(failures).singleElement().asString().contains("no decay");
        assertThat(router(LoadBalancingStrategy.stickySessions("lb", LoadBalancingStrategy.roundRobin()),
                backends(1)).stickyCookie()).contains("lb");
    }

    @Test
    void aReplicaAtItsConcurrencyLimitPassesTheRequestToTheNextWithRoomAndNoneLeftMeansWait() {
        List<ReplicaBackend> limited = List.of(new ReplicaBackend("a", Endpoint.loopback(8000), 1, 1),
                new ReplicaBackend("b", Endpoint.loopback(8001), 1, 1));
        DefaultRouter router = router((candidates, request) -> 0, limited);
        List<Runnable> told = new ArrayList<>();
        router.capacity().onCapacity(() -> told.add(() -> { }));

        Lease first = leased(router);
        Lease second = leased(router);
        Lease third = router.newLease();

        assertThat(first.backend().id()).isEqualTo("a");
        assertThat(second.backend().id()).as("the strategy's pick is full").isEqualTo("b");
        assertThat(router.capacity().room()).isZero();
        assertThat(third.acquire(GET, null, clock.nanoTime())).isFalse();
        assertThat(third.mayWait()).isTrue();
        assertThat(limited.get(0).requestCount()).as("a refused lease is not counted").isEqualTo(1);

        first.complete(200, clock.nanoTime());

        assertThat(told).hasSize(1);
        assertThat(router.capacity().room()).isEqualTo(1);
        assertThat(third.acquire(GET, null, clock.nanoTime())).isTrue();
    }

    @Test
    void withoutBackendsALeaseMayWaitAndWithoutALimitTheRoomIsUnbounded() {
        DefaultRouter empty = router(LoadBalancingStrategy.roundRobin(), List.of());
        Lease lease = empty.newLease();

        assertThat(lease.acquire(GET, null, clock.nanoTime())).isFalse();
        assertThat(lease.mayWait()).isTrue();
        assertThat(empty.capacity().hasRoutable()).isFalse();
        assertThat(router(LoadBalancingStrategy.roundRobin(), backends(2)).capacity().room())
                .isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void theConcurrencyAndArrivalsOfARouterAreMeasuredOnItsClock() {
        DefaultRouter router = router(LoadBalancingStrategy.roundRobin(), backends(2));
        clock.advance(Duration.ofSeconds(10));
        Lease a = leased(router);
        Lease b = leased(router);
        clock.advance(Duration.ofSeconds(1));
        a.complete(200, clock.nanoTime());
        clock.advance(Duration.ofSeconds(1));

        assertThat(router.metrics().value(Metric.CONCURRENCY, Duration.ofSeconds(2))).isEqualTo(1.5);
        assertThat(router.metrics().value(Metric.ARRIVAL_RATE, Duration.ofSeconds(2))).isEqualTo(1.0);
        assertThat(router.metrics().value(Metric.LATENCY_P50, Duration.ofSeconds(2))).isBetween(950.0, 1050.0);
        b.complete(200, clock.nanoTime());
    }

    /** A request whose {@code x-user} header is {@code user-<n>}. */
    private static RouteRequest user(int n) {
        return new RouteRequest() {
            @Override
            public String method() {
                return "GET";
            }

            @Override
            public String path() {
                return "/";
            }

            @Override
            public String header(String name) {
                return name.equalsIgnoreCase("x-user") ? "user-" + n : null;
            }
        };
    }

    @Test
    void aLeaseExcludingTwoBackendsGetsAThirdEvenWhenTheStrategyMapsTheRequestToAnExcludedOne() {
        List<ReplicaBackend> backends = backends(5);
        Set<List<Backend>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        DefaultRouter router = router(recording(LoadBalancingStrategy.consistentHash(HashKey.header("x-user")), seen),
                backends);
        Lease lease = router.newLease();
        for (int user = 0; user < 50; user++) {
            RouteRequest request = user(user);
            assertThat(lease.acquire(request, null, clock.nanoTime())).isTrue();
            Backend owner = lease.backend();
            lease.fail(Lease.Failure.CONNECT, clock.nanoTime());
            assertThat(lease.acquire(request, owner, clock.nanoTime())).isTrue();
            Backend next = lease.backend();
            lease.fail(Lease.Failure.CONNECT, clock.nanoTime());

            assertThat(lease.acquire(request, next, owner, clock.nanoTime())).as("user-" + user).isTrue();

            assertThat(lease.backend()).isNotIn(owner, next);
            lease.complete(200, clock.nanoTime());
        }
        assertThat(backends).allMatch(backend -> backend.inFlight() == 0);
        assertThat(failures).isEmpty();
        // and with no candidate list but the router's: a ring is kept per list, so another list
        // would rebuild it, and the next request's rebuild it back
        assertThat(seen).hasSize(1);
    }

    /** {@code strategy}, adding every candidate list it is handed to {@code seen}. */
    private static LoadBalancingStrategy recording(LoadBalancingStrategy strategy, Set<List<Backend>> seen) {
        return new LoadBalancingStrategy() {
            @Override
            public int choose(List<Backend> candidates, RouteRequest request) {
                seen.add(candidates);
                return strategy.choose(candidates, request);
            }

            @Override
            public int chooseExcept(List<Backend> candidates, RouteRequest request, int excluded) {
                seen.add(candidates);
                return strategy.chooseExcept(candidates, request, excluded);
            }
        };
    }

    @Test
    void aLeaseExcludingBothOfTwoBackendsGetsNone() {
        List<ReplicaBackend> backends = backends(2);
        DefaultRouter router = router(LoadBalancingStrategy.consistentHash(HashKey.header("x-user")), backends);
        Lease lease = router.newLease();

        assertThat(lease.acquire(GET, backends.get(0), backends.get(1), clock.nanoTime())).isFalse();
        assertThat(lease.acquire(GET, backends.get(1), backends.get(0), clock.nanoTime())).isFalse();
        assertThat(backends).allMatch(backend -> backend.inFlight() == 0 && backend.requestCount() == 0);
    }
}
