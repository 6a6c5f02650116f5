package io.longshore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.Backend;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The benchmarks measure what they claim: their states set up and their operations work. */
class BenchmarkStatesTest {

    @ParameterizedTest
    @EnumSource(Strategies.class)
    void everyStrategyLeasesOnlyReplicasOfTheRouterAndReleasesThem(Strategies strategy) {
        Router router = RouterBenchmark.newRouter(10, strategy);
        Lease lease = router.newLease();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertThat(lease.acquire(RouteRequest.of("GET", "/"), null, i)).isTrue();
            ports.add(lease.backend().endpoint().port());
            lease.complete(200, i + 1);
        }
        assertThat(ports).allMatch(p -> p >= RouterBenchmark.BASE_PORT && p < RouterBenchmark.BASE_PORT + 10);
        assertThat(router.routable()).allMatch(b -> b.inFlight() == 0);
    }

    @Test
    void theClockReadingBenchmarkVisitsEveryReplicaAndReleasesThem() {
        Router router = RouterBenchmark.newRouter(10, Strategies.ROUND_ROBIN);
        RecordingLease lease = new RecordingLease(router.newLease());
        for (int i = 0; i < 10; i++) {
            RouterBenchmark.leaseReadingTheClock(router, lease, RouteRequest.of("GET", "/"));
            assertThat(lease.isHeld()).isFalse();
        }
        assertThat(lease.leased).containsExactlyInAnyOrderElementsOf(router.routable());
        assertThat(lease.completed).isEqualTo(10);
        assertThat(router.routable()).allMatch(b -> b.inFlight() == 0);
    }

    @Test
    void routingThroughEveryStrategyFirstLeavesTheMeasuredRouterUntouched() {
        RouterBenchmark benchmark = new RouterBenchmark();
        benchmark.replicas = 10;
        benchmark.strategy = "p2c";
        benchmark.otherStrategiesSeen = true;
        benchmark.setUp();

        // a backend that answered once has a latency average and a peak-EWMA reading
        assertThat(benchmark.router().routable())
                .allMatch(b -> b.latencyEwmaNanos() == 0 && Double.isNaN(b.peakEwmaNanos()) && b.peakEwmaAtNanos() == 0);
    }

    @ParameterizedTest
    @EnumSource(Strategies.class)
    void theLeaseBenchmarkLeasesAndReleasesThroughOneReusableLease(Strategies strategy) {
        RouterBenchmark benchmark = new RouterBenchmark();
        benchmark.replicas = 10;
        benchmark.strategy = strategy.paramName();
        benchmark.setUp();
        RouterBenchmark.Caller caller = new RouterBenchmark.Caller();
        caller.setUp(benchmark);
        RecordingLease lease = new RecordingLease(caller.lease);
        caller.lease = lease;
        for (int i = 0; i < 100; i++) {
            RouterBenchmark.leaseAndComplete(caller, RouteRequest.of("GET", "/"));
            assertThat(caller.lease.isHeld()).isFalse();
        }
        assertThat(lease.leased).hasSize(100).isSubsetOf(benchmark.router().routable());
        assertThat(lease.completed).isEqualTo(100);
        assertThat(benchmark.router().routable()).allMatch(b -> b.inFlight() == 0);
        if (strategy == Strategies.ROUND_ROBIN) {
            assertThat(lease.leased.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting())))
                    .hasSize(10)
                    .allSatisfy((backend, count) -> assertThat(count).isEqualTo(10));
        }
    }

    @ParameterizedTest
    @EnumSource(Strategies.class)
    void theStrategyBenchmarkPicksACandidateForEveryStrategyWithEqualAndUnequalWeightsAndAfterSeeingTheOthers(
            Strategies strategy) {
        for (String weights : new String[] {"equal", "unequal"}) {
            StrategyBenchmark benchmark = new StrategyBenchmark();
            benchmark.replicas = 100;
            benchmark.strategy = strategy.paramName();
            benchmark.weights = weights;
            benchmark.otherStrategiesSeen = strategy == Strategies.STICKY;
            benchmark.setUp();
            for (int i = 0; i < 50; i++) {
                assertThat(benchmark.choose()).isBetween(0, 99);
            }
        }
    }

    @Test
    void theUnequalCandidatesWeighOneToFiveAndTheRequestCarriesEveryKey() {
        List<Backend> candidates = StrategyBenchmark.candidates(10, Strategies.ROUND_ROBIN, "unequal");
        BenchRequest request = new BenchRequest();

        assertThat(candidates).extracting(Backend::weight).containsExactly(1, 2, 3, 4, 5, 1, 2, 3, 4, 5);
        assertThat(candidates).extracting(Backend::endpoint)
                .isEqualTo(StrategyBenchmark.candidates(10, Strategies.ROUND_ROBIN, "equal").stream()
                        .map(Backend::endpoint).toList());
        assertThat(request.headerView("x-user")).hasToString("user-4711");
        assertThat(request.header("Cookie")).contains("session=3f2a9c1e").contains("lb=127.0.0.1:");
        assertThat(request.headerView("X-Missing")).isNull();
        assertThat(request.cookieView("missing")).isNull();
        assertThat(request.cookieView("session")).hasToString("3f2a9c1e-5b7d-4e1a-9c2b-7d6e5f4a3b2c");
        assertThat(request.cookieView("lb")).hasToString("127.0.0.1:" + (RouterBenchmark.BASE_PORT + 50));
        assertThat(request.pathView()).hasToString("/api/v1/acts");
        assertThatThrownBy(() -> StrategyBenchmark.candidates(10, Strategies.ROUND_ROBIN, "heavy"))
                .hasMessageContaining("equal or unequal");
    }

    @Test
    void theStickyBenchmarkRequestStaysOnTheBackendItsCookieNames() {
        List<Backend> candidates = StrategyBenchmark.candidates(100, Strategies.STICKY, "equal");
        LoadBalancingStrategy sticky = Strategies.STICKY.create();

        assertThat(candidates.get(sticky.choose(candidates, new BenchRequest())).endpoint().port())
                .isEqualTo(RouterBenchmark.BASE_PORT + 50);
    }

    @Test
    void strategyParameterNamesAreResolvedAndUnknownOnesRejected() {
        assertThat(Strategies.byParamName("p2c")).isEqualTo(Strategies.POWER_OF_TWO_CHOICES);
        assertThatThrownBy(() -> Strategies.byParamName("weighted"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weighted");
    }

    @Test
    void controlPlaneSettlesWithEveryReplicaRoutableAndStaysSoWhileTicking() {
        try (ControlPlane controlPlane = new ControlPlane(200).startAndSettle()) {
            for (int i = 0; i < 30; i++) {
                controlPlane.tick();
            }
            assertThat(controlPlane.orchestrator().router().routable()).hasSize(200);
            assertThat(controlPlane.orchestrator().status().ready()).isEqualTo(200);
        }
    }

    /** Passes every call to the router's lease and records the backends it leased and the outcomes reported. */
    private static final class RecordingLease implements Lease {
        private final Lease lease;
        final List<Backend> leased = new ArrayList<>();
        int completed;

        RecordingLease(Lease lease) {
            this.lease = lease;
        }

        @Override
        public boolean acquire(RouteRequest request, Backend excluded, long nowNanos) {
            boolean acquired = lease.acquire(request, excluded, nowNanos);
            if (acquired) {
                leased.add(lease.backend());
            }
            return acquired;
        }

        @Override
        public boolean isHeld() {
            return lease.isHeld();
        }

        @Override
        public Backend backend() {
            return lease.backend();
        }

        @Override
        public void complete(int status, long nowNanos) {
            completed++;
            lease.complete(status, nowNanos);
        }

        @Override
        public void fail(Failure failure, long nowNanos) {
            lease.fail(failure, nowNanos);
        }
    }
}
