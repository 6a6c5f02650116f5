package io.longshore.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ReplicaState;
import io.longshore.api.RuntimeEvent;
import io.longshore.core.HttpHealthProbe;
import io.longshore.core.Orchestrator;
import io.longshore.core.ReplicaView;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * lists again with backoff once the server is back, and reports the exit that happened meanwhile;
 * an orchestrator on the runtime keeps its replica ready and routed through the outage.
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

    @Test
    void duringAnOutageTheOrchestratorKeepsRoutingToTheReplicaItKnows() throws Exception {
        int port = freeEndpoint().port();
        List<OrchestratorEvent> orchestratorEvents = new CopyOnWriteArrayList<>();
        try (HttpHealthProbe health = HttpHealthProbe.of("/api/v1/_health");
             Orchestrator orchestrator = Orchestrator.builder()
                     .service(ContainerSpec.builder("steady").image("acts:1").stopGrace(Duration.ofSeconds(1)).build())
                     .runtime(runtime).minReplicas(1).maxReplicas(1).initialReplicas(1).basePort(port)
                     .healthProbe(health).probeInterval(Duration.ofMillis(100)).rise(1).fall(2)
                     .listener(orchestratorEvents::add).build().start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> orchestrator.router().routable().size() == 1);
            Endpoint routed = orchestrator.router().routable().get(0).endpoint();
            String pod = orchestrator.replicas().get(0).containerId();

            proxy.cut();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> events.stream().anyMatch(KubernetesRuntimeEvent.ApiServerUnreachable.class::isInstance));

            // many probe intervals: the probes go straight to the pod, not through the API server
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                    orchestrator.router().routable().stream().map(b -> b.endpoint()).toList().equals(List.of(routed))
                            && orchestrator.replicas().stream().map(ReplicaView::state).toList()
                                    .equals(List.of(ReplicaState.READY)));
            assertThat(status(routed, "/api/v1/_health")).isEqualTo(200);
            assertThat(orchestratorEvents).noneMatch(e -> e instanceof OrchestratorEvent.ReplicaExited
                    || e instanceof OrchestratorEvent.ReplicaStartFailed);

            proxy.restore();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> events.stream().anyMatch(KubernetesRuntimeEvent.ApiServerReachable.class::isInstance));
            assertThat(orchestrator.replicas()).singleElement()
                    .satisfies(r -> assertThat(r.containerId()).isEqualTo(pod));
        }
    }

    private static int status(Endpoint endpoint, String path) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        return http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint.host() + ":" + endpoint.port() + path))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
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
