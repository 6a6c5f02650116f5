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

    @Test
    void aFixedRouterRoutesOverItsEndpointsAndMeters() {
        Router router = Routers.fixed(List.of(Endpoint.loopback(9001), Endpoint.loopback(9002)),
                LoadBalancingStrategy.roundRobin(), clock);

        List<Integer> ports = java.util.stream.IntStream.range(0, 4).mapToObj(i -> {
            Lease lease = router.lease(RouteRequest.of("GET", "/")).orElseThrow();
            lease.complete(500);
            return lease.backend().endpoint().port();
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
}
