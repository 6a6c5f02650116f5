package io.longshore.jetty.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.ReplicaState;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.OrchestratorStatus;
import io.longshore.core.OutlierDetection;
import io.longshore.core.ReplicaView;
import io.longshore.core.Router;
import io.longshore.core.Routers;
import io.longshore.testkit.ManualClock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the admin API shows of fixed backends, an ejected one included. */
class StaticServiceViewTest {
    private final ManualClock clock = new ManualClock();
    private final Router router = Routers.fixed(List.of(Endpoint.loopback(9001), Endpoint.loopback(9002),
            Endpoint.loopback(9003)), LoadBalancingStrategy.roundRobin(), clock);
    private final StaticServiceView view = new StaticServiceView("static", router, id -> id.endsWith(":9002") ? 7 : 0);

    private void route(int requests, int failingPort) {
        for (int i = 0; i < requests; i++) {
            Lease lease = router.newLease();
            assertThat(lease.acquire(RouteRequest.of("GET", "/"), null, clock.nanoTime())).isTrue();
            if (lease.backend().endpoint().port() == failingPort) {
                lease.fail(Lease.Failure.CONNECT, clock.nanoTime());
            } else {
                lease.complete(200, clock.nanoTime());
            }
        }
    }

    @Test
    void everyBackendIsAReadyReplicaWhileRoutable() {
        assertThat(view.replicas()).extracting(ReplicaView::port, ReplicaView::state, ReplicaView::healthy)
                .containsExactly(
                        tuple(9001, ReplicaState.READY, true),
                        tuple(9002, ReplicaState.READY, true),
                        tuple(9003, ReplicaState.READY, true));
        OrchestratorStatus status = view.status();
        assertThat(status.desired()).isEqualTo(3);
        assertThat(status.ready()).isEqualTo(3);
    }

    @Test
    void anEjectedBackendStaysListedAsUnhealthyUntilItIsReadmitted() {
        route(15, 9002);

        assertThat(view.replicas()).extracting(ReplicaView::port, ReplicaView::state, ReplicaView::healthy)
                .containsExactly(
                        tuple(9001, ReplicaState.READY, true),
                        tuple(9002, ReplicaState.UNHEALTHY, false),
                        tuple(9003, ReplicaState.READY, true));
        assertThat(view.replicas().get(1).requests()).as("the gateway's own count").isEqualTo(7);
        assertThat(view.status().desired()).isEqualTo(3);
        assertThat(view.status().ready()).isEqualTo(2);

        clock.advance(OutlierDetection.DEFAULT_BASE_EJECTION);
        route(1, 0);

        assertThat(view.replicas()).extracting(ReplicaView::state).containsOnly(ReplicaState.READY);
        assertThat(view.status().ready()).isEqualTo(3);
    }
}
