package io.longshore.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.RuntimeEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connection to the API server breaks, through a proxy: a dropped watch is resumed from the
 * last resource version seen; during an outage the runtime keeps the pod, says so in one event,
 * lists again with backoff once the server is back, and reports the exit that happened meanwhile.
 */
class ApiServerOutageTest {
    private MockCluster cluster;
    private ApiServerProxy proxy;
    private KubernetesRuntime runtime;
    private final List<KubernetesRuntimeEvent> events = new CopyOnWriteArrayList<>();
    private final List<RuntimeEvent> exits = new CopyOnWriteArrayList<>();
    private final List<String> taken = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        cluster = new MockCluster();
        proxy = new ApiServerProxy(cluster.server().getPort());
        runtime = KubernetesRuntime.builder().masterUrl(proxy.url()).namespace(MockCluster.NAMESPACE)
                .connectTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(2))
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
    void aDroppedWatchConnectionIsResumedFromTheLastResourceVersionSeen() throws Exception {
        ContainerInfo info = runtime.start(ContainerSpec.builder("dropped").image("acts:1").build(), freeEndpoint(),
                Map.of());
        String lastVersion = podVersion(info.id());
        int before = cluster.server().getRequestCount();

        proxy.drop();

        await().atMost(Duration.ofSeconds(10)).until(() -> !watchRequestsAfter(before).isEmpty());
        assertThat(watchRequestsAfter(before)).first().asString().contains("resourceVersion=" + lastVersion);
        cluster.kubelet().terminate(info.id(), 4, "Error");
        await().atMost(Duration.ofSeconds(10)).until(() -> exits.size() == 1);
        assertThat(exits.get(0).exitCode()).isEqualTo(4);
        assertThat(events).isEmpty();
    }

    @Test
    void anOutageKeepsThePodIsOneEventAndTheExitThatHappenedMeanwhileIsReportedAfterIt() throws Exception {
        ContainerInfo info = runtime.start(ContainerSpec.builder("outage").image("acts:1").build(), freeEndpoint(),
                Map.of());

        proxy.cut();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream().anyMatch(KubernetesRuntimeEvent.ApiServerUnreachable.class::isInstance));
        cluster.kubelet().terminate(info.id(), 3, "Error");
        assertThat(runtime.stats(info.id())).isEmpty();
        assertThat(exits).isEmpty();
        proxy.restore();

        await().atMost(Duration.ofSeconds(10)).until(() -> exits.size() == 1);
        assertThat(exits.get(0).containerId()).isEqualTo(info.id());
        assertThat(exits.get(0).exitCode()).isEqualTo(3);
        await().until(() -> events.size() == 2);
        assertThat(events.get(0)).isInstanceOf(KubernetesRuntimeEvent.ApiServerUnreachable.class);
        assertThat(events.get(1)).isInstanceOf(KubernetesRuntimeEvent.ApiServerReachable.class);
    }

    private String podVersion(String pod) {
        return cluster.client().pods().inNamespace(MockCluster.NAMESPACE).withName(pod).get().getMetadata()
                .getResourceVersion();
    }

    /** The paths of the runtime's watch requests after the first {@code count} requests the server got. */
    private List<String> watchRequestsAfter(int count) throws InterruptedException {
        while (taken.size() < cluster.server().getRequestCount()) {
            RecordedRequest request = cluster.server().takeRequest(1, TimeUnit.SECONDS);
            if (request == null) {
                break;
            }
            taken.add(request.getPath());
        }
        List<String> paths = new ArrayList<>();
        for (int i = count; i < taken.size(); i++) {
            if (taken.get(i).contains("watch=true") && taken.get(i).contains("labelSelector")) {
                paths.add(taken.get(i));
            }
        }
        return paths;
    }

    private static Endpoint freeEndpoint() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Endpoint.loopback(socket.getLocalPort());
        }
    }
}
