package io.longshore.jetty.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.Router;
import io.longshore.core.Routers;
import io.longshore.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which route a path takes, for both transports. */
class RouteTableTest {
    private final Router router = Routers.fixed(List.of(Endpoint.loopback(9001)), LoadBalancingStrategy.roundRobin(),
            new ManualClock());
    private final RouteTable table = new RouteTable(List.of(ServiceRoute.of("/", "web", router),
            ServiceRoute.of("/api", "api", router), ServiceRoute.of("/api/v2", "v2", router)));

    private int match(String path) {
        byte[] bytes = ("GET " + path).getBytes(StandardCharsets.UTF_8);
        int byBytes = table.match(bytes, 4, bytes.length);
        assertThat(table.match(path)).as("the same route by string and by bytes").isEqualTo(byBytes);
        return byBytes;
    }

    @Test
    void theLongestPrefixMatchingInWholeSegmentsWins() {
        assertThat(match("/api/v2/items")).isEqualTo(2);
        assertThat(match("/api/v2")).isEqualTo(2);
        assertThat(match("/api/v20")).isEqualTo(1);
        assertThat(match("/api")).isEqualTo(1);
        assertThat(match("/apix")).isZero();
        assertThat(match("/")).isZero();
        assertThat(match("*")).isZero();
    }

    @Test
    void withoutARootRouteOtherPathsMatchNothing() {
        RouteTable apiOnly = new RouteTable(List.of(ServiceRoute.of("/api", "api", router)));

        assertThat(apiOnly.match("/other")).isEqualTo(RouteTable.NO_ROUTE);
        assertThat(apiOnly.match("/api/x")).isZero();
        assertThat(apiOnly.match("")).isEqualTo(RouteTable.NO_ROUTE);
    }

    @Test
    void percentEncodedPathsAreMatchedAsSent() {
        assertThat(match("/%61pi/x")).as("%61 is 'a', but the path is matched as sent").isZero();
    }
}
