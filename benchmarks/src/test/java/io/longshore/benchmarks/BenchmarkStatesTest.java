package io.longshore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import io.longshore.core.internal.ReplicaBackend;
import java.util.HashSet;
import java.util.Set;
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
        Lease lease = router.newLease();
        for (int i = 0; i < 10; i++) {
            RouterBenchmark.leaseReadingTheClock(router, lease, RouteRequest.of("GET", "/"));
            assertThat(lease.isHeld()).isFalse();
        }
        assertThat(router.routable()).allMatch(b -> ((ReplicaBackend) b).requestCount() == 1 && b.inFlight() == 0);
    }

    @Test
    void routingThroughEveryStrategyFirstLeavesTheMeasuredRouterUntouched() {
        RouterBenchmark benchmark = new RouterBenchmark();
        benchmark.replicas = 10;
        benchmark.strategy = "p2c";
        benchmark.otherStrategiesSeen = true;
        benchmark.setUp();

        assertThat(benchmark.router().routable()).allMatch(b -> ((ReplicaBackend) b).requestCount() == 0);
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
        for (int i = 0; i < 100; i++) {
            RouterBenchmark.leaseAndComplete(caller, RouteRequest.of("GET", "/"));
            assertThat(caller.lease.isHeld()).isFalse();
        }
        long routed = 0;
        for (var backend : benchmark.router().routable()) {
            ReplicaBackend replica = (ReplicaBackend) backend;
            assertThat(replica.inFlight()).isZero();
            if (strategy == Strategies.ROUND_ROBIN) {
                assertThat(replica.requestCount()).isEqualTo(10);
            }
            routed += replica.requestCount();
        }
        assertThat(routed).isEqualTo(100);
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
}
