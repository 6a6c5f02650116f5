package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.RouteRequest;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutersTest {
    private final ManualClock clock = new ManualClock();

    /** A new lease holding one of the router's endpoints. */
    private Lease leased(Router router) {
        Lease lease = router.newLease();
        assertThat(lease.acquire(RouteRequest.of("GET", "/"), null, clock.nanoTime())).isTrue();
        return lease;
    }

    @Test
    void aFixedRouterRoutesOverItsEndpointsAndMeters() {
        Router router = Routers.fixed(List.of(Endpoint.loopback(9001), Endpoint.loopback(9002)),
                LoadBalancingStrategy.roundRobin(), clock);

        List<Integer> ports = java.util.stream.IntStream.range(0, 4).mapToObj(i -> {
            Lease lease = leased(router);
            int port = lease.backend().endpoint().port();
            lease.complete(500, clock.nanoTime());
            return port;
        }).toList();

        assertThat(ports).containsExactly(9001, 9002, 9001, 9002);
        assertThat(router.routable()).extracting(b -> b.id()).containsExactly("127.0.0.1:9001", "127.0.0.1:9002");
        assertThat(router.metrics().requestCount(Duration.ofMinutes(1))).isEqualTo(4);
        assertThat(router.strategyName()).isEqualTo("round-robin");
    }

    @Test
    void aFixedRouterNeedsDistinctEndpoints() {
        LoadBalancingStrategy rr = LoadBalancingStrategy.roundRobin();
        assertThatThrownBy(() -> Routers.fixed(List.of(), rr, clock)).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> Routers.fixed(List.of(Endpoint.loopback(1), Endpoint.loopback(1)), rr, clock))
                .hasMessageContaining("must not repeat");
    }

    @Test
    void aFixedRouterEjectsAnEndpointThatKeepsFailingAndReadmitsItLater() {
        Router router = Routers.fixed(List.of(Endpoint.loopback(9001), Endpoint.loopback(9002),
                Endpoint.loopback(9003)), LoadBalancingStrategy.roundRobin(), clock);

        for (int i = 0; i < 15; i++) {
            Lease lease = leased(router);
            if (lease.backend().endpoint().port() == 9002) {
                lease.fail(Lease.Failure.CONNECT, clock.nanoTime());
            } else {
                lease.complete(200, clock.nanoTime());
            }
        }
        assertThat(router.routable()).extracting(b -> b.endpoint().port()).containsExactly(9001, 9003);
        assertThat(router.backends()).as("the ejected one is still known")
                .extracting(b -> b.endpoint().port()).containsExactly(9001, 9002, 9003);

        clock.advance(OutlierDetection.DEFAULT_BASE_EJECTION);
        leased(router).complete(200, clock.nanoTime());

        assertThat(router.routable()).extracting(b -> b.endpoint().port()).containsExactly(9001, 9002, 9003);
    }

    @Test
    void aFixedRouterNeverEjectsMoreThanTheMaximumShare() {
        Router router = Routers.fixed(List.of(Endpoint.loopback(9001), Endpoint.loopback(9002)),
                LoadBalancingStrategy.roundRobin(), clock,
                new OutlierDetection(true, 2, Duration.ofSeconds(10), Duration.ofSeconds(10), 50, 0));

        for (int i = 0; i < 20; i++) {
            leased(router).complete(503, clock.nanoTime());
        }

        assertThat(router.routable()).hasSize(1);
    }

    @Test
    void aFixedRouterBelowThePanicThresholdRoutesEveryEndpointAsAnOrchestratorDoes() {
        OutlierDetection anyShare = OutlierDetection.builder().consecutiveFailures(2).maxEjectedPercent(100).build();
        Router router = Routers.fixed(List.of(Endpoint.loopback(9001), Endpoint.loopback(9002),
                Endpoint.loopback(9003), Endpoint.loopback(9004)), LoadBalancingStrategy.roundRobin(), clock, anyShare);

        for (int i = 0; i < 8; i++) {
            Lease lease = leased(router);
            lease.complete(lease.backend().endpoint().port() == 9002 ? 503 : 200, clock.nanoTime());
        }
        assertThat(router.routable()).extracting(b -> b.endpoint().port()).containsExactly(9001, 9003, 9004);
        for (int i = 0; i < 12; i++) {
            Lease lease = leased(router);
            lease.complete(lease.backend().endpoint().port() == 9003 ? 503 : 200, clock.nanoTime());
        }
        assertThat(router.routable()).as("2 of 4 is not below 50 %").extracting(b -> b.endpoint().port())
                .containsExactly(9001, 9004);
        for (int i = 0; i < 12; i++) {
            Lease lease = leased(router);
            lease.complete(lease.backend().endpoint().port() == 9004 ? 503 : 200, clock.nanoTime());
        }

        assertThat(router.routable()).as("1 of 4 is: panic").extracting(b -> b.endpoint().port())
                .containsExactly(9001, 9002, 9003, 9004);
    }
}
