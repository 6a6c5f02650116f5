package io.longshore.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A load balancer in front of the API server whose idle timeout (2.5 s here) is far shorter than
 * the runtime's request timeout ends every quiet watch early, having delivered nothing. That is no
 * outage while the server answers: the runtime lists again and watches on, and still follows its
 * pods. A server that stops answering behind the same load balancer is one.
 */
class ApiServerIdleTimeoutTest {
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(2500);

    private MockCluster cluster;
    private ApiServerProxy balancer;
    private KubernetesRuntime runtime;
    private final List<KubernetesRuntimeEvent> events = new CopyOnWriteArrayList<>();
    private final List<RuntimeEvent> exits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        cluster = new MockCluster();
        balancer = new ApiServerProxy(cluster.server().getPort(), IDLE_TIMEOUT);
        runtime = KubernetesRuntime.builder().masterUrl(balancer.url()).namespace(MockCluster.NAMESPACE)
                .connectTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(5))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .listener(events::add).build();
        runtime.watch(exits::add);
    }

    @AfterEach
    void stop() throws IOException {
        runtime.close();
        balancer.close();
        cluster.close();
    }

    @Test
    void quietWatchesEndedByTheIdleTimeoutAreNoOutageAndThePodsAreStillFollowed() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> balancer.idleClosed() >= 2);
        assertThat(events).as("no outage reported for quiet watches the balancer ended").isEmpty();

        ContainerInfo info = runtime.start(ContainerSpec.builder("quiet").image("acts:1").build(), freeEndpoint(),
                Map.of());
        int closedBefore = balancer.idleClosed();
        await().atMost(Duration.ofSeconds(30)).until(() -> balancer.idleClosed() >= closedBefore + 1);
        cluster.kubelet().terminate(info.id(), 4, "Error");

        await().atMost(Duration.ofSeconds(10)).until(() -> exits.size() == 1);
        assertThat(exits.get(0).containerId()).isEqualTo(info.id());
        assertThat(exits.get(0).exitCode()).isEqualTo(4);
        assertThat(events).isEmpty();
    }

    @Test
    void aServerThatStopsAnsweringBehindTheBalancerIsAnOutage() {
        await().atMost(Duration.ofSeconds(20)).until(() -> balancer.idleClosed() >= 1);
        assertThat(events).isEmpty();

        balancer.stall();

        // the open watch is ended by the idle timeout, then each list the tracker tries is (with the
        // client's one retry): about 16 s in a local run, more than 20 s in a loaded CI run; if the
        // stall caught a watch being opened, that watch fails first, at connect + request timeout
        await().atMost(Duration.ofSeconds(60))
                .until(() -> events.stream().anyMatch(KubernetesRuntimeEvent.ApiServerUnreachable.class::isInstance));
        assertThat(events.get(0)).isInstanceOfSatisfying(KubernetesRuntimeEvent.ApiServerUnreachable.class,
                e -> assertThat(e.error()).containsAnyOf("cannot list pods", "cannot watch pods"));
        balancer.restore();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> events.stream().anyMatch(KubernetesRuntimeEvent.ApiServerReachable.class::isInstance));
    }

    private static Endpoint freeEndpoint() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Endpoint.loopback(socket.getLocalPort());
        }
    }
}
