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
 * An API server that takes connections but goes silent as a watch is being opened, with nothing
 * in between that closes idle connections: fabric8 would wait for the WebSocket handshake for
 * ever, so the runtime gives up on the watch at {@code connectTimeout + requestTimeout} (2 s here)
 * and reports the outage.
 */
class ApiServerSilentAtWatchTest {
    private MockCluster cluster;
    private ApiServerProxy proxy;
    private KubernetesRuntime runtime;
    private final List<KubernetesRuntimeEvent> events = new CopyOnWriteArrayList<>();
    private final List<RuntimeEvent> exits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        cluster = new MockCluster();
        proxy = new ApiServerProxy(cluster.server().getPort());
        runtime = KubernetesRuntime.builder().masterUrl(proxy.url()).namespace(MockCluster.NAMESPACE)
                .connectTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(1))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .listener(events::add).build();
        runtime.watch(exits::add);
    }

    @AfterEach
    void stop() throws IOException {
        runtime.close();
        proxy.close();
        cluster.close();
    }

    @Test
    void aServerThatGoesSilentAsAWatchIsBeingOpenedIsAnOutageWithoutABalancerClosingTheConnection()
            throws IOException {
        ContainerInfo info = runtime.start(ContainerSpec.builder("silent").image("acts:1").build(), freeEndpoint(),
                Map.of());
        proxy.stallAtNextWatch();

        // the watch ends having delivered nothing; the list after it is answered, the watch after that is not
        proxy.drop();

        await().atMost(Duration.ofSeconds(15))
                .until(() -> events.stream().anyMatch(KubernetesRuntimeEvent.ApiServerUnreachable.class::isInstance));
        assertThat(proxy.stalled()).isTrue();
        assertThat(events.get(0)).isInstanceOfSatisfying(KubernetesRuntimeEvent.ApiServerUnreachable.class,
                e -> assertThat(e.error()).contains("cannot watch pods").contains("not established within 2000 ms"));

        proxy.restore();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> events.stream().anyMatch(KubernetesRuntimeEvent.ApiServerReachable.class::isInstance));
        cluster.kubelet().terminate(info.id(), 4, "Error");
        await().atMost(Duration.ofSeconds(10)).until(() -> exits.size() == 1);
        assertThat(exits.get(0).exitCode()).isEqualTo(4);
    }

    private static Endpoint freeEndpoint() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Endpoint.loopback(socket.getLocalPort());
        }
    }
}
