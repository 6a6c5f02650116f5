package io.longshore.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ReplicaState;
import io.longshore.core.HttpHealthProbe;
import io.longshore.core.Orchestrator;
import io.longshore.core.OrchestratorBuilder;
import io.longshore.core.ReplicaView;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real orchestrator on the Kubernetes runtime, against the mock API server and the fake
 * kubelet: a killed pod is replaced at once, a restarted orchestrator adopts the pods by their
 * labels, and failed starts back off instead of looping.
 */
class KubernetesOrchestratorTest {
    private static final Duration AWAIT = Duration.ofSeconds(30);
    private static MockCluster cluster;
    private static KubernetesRuntime runtime;
    private static final List<KubernetesRuntime> ownRuntimes = new CopyOnWriteArrayList<>();

    private final List<Orchestrator> orchestrators = new CopyOnWriteArrayList<>();
    private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
    private final HttpHealthProbe health = HttpHealthProbe.of("/api/v1/_health");
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startCluster() {
        cluster = new MockCluster();
        runtime = cluster.runtime();
    }

    @AfterAll
    static void stopCluster() {
        runtime.close();
        cluster.close();
        ownRuntimes.forEach(KubernetesRuntime::close); // after the server is gone: see ownRuntime
    }

    @AfterEach
    void closeOrchestrators() {
        orchestrators.forEach(Orchestrator::close);
        health.close();
    }

    /**
     * A runtime of a test's own, on a namespace of its own, closed only once the mock server is
     * gone. The mock server (8.0.0) blocks its one event loop for up to 30 s when a watch is
     * closed while events are still being sent to it (MockCluster), as they are while the test's
     * pods are deleted; closed at the test's end, the runtime's watch stalled the next test's
     * requests past its 30 s wait (the adoption test, in CI and in a fresh clone).
     */
    private static KubernetesRuntime ownRuntime(UnaryOperator<KubernetesRuntimeBuilder> settings) {
        KubernetesRuntime own = settings.apply(cluster.runtimeBuilder(cluster.newNamespace())).build();
        ownRuntimes.add(own);
        return own;
    }

    private static ContainerSpec spec(String service, String image) {
        return ContainerSpec.builder(service).image(image).stopGrace(Duration.ofSeconds(1)).build();
    }

    private OrchestratorBuilder orchestrator(ContainerSpec spec, int replicas, int basePort) {
        return orchestrator(spec, replicas, basePort, runtime);
    }

    private OrchestratorBuilder orchestrator(ContainerSpec spec, int replicas, int basePort, KubernetesRuntime runtime) {
        return Orchestrator.builder().service(spec).runtime(runtime)
                .minReplicas(replicas).maxReplicas(replicas).initialReplicas(replicas).basePort(basePort)
                .healthProbe(health).probeInterval(Duration.ofMillis(200))
                .rise(1).fall(2).startGracePeriod(Duration.ofSeconds(2))
                .restartBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMinutes(10))
                .listener(events::add);
    }

    private Orchestrator start(OrchestratorBuilder builder) {
        Orchestrator orchestrator = builder.build();
        orchestrators.add(orchestrator);
        return orchestrator.start();
    }

    private static int freeBasePort(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 27_100 + (int) (Math.random() * 800);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " free ports in 27100..27999");
    }

    private static boolean allFree(int base, int count) {
        for (int port = base; port < base + count; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static Optional<ReplicaView> readyOn(Orchestrator orchestrator, int port) {
        return orchestrator.replicas().stream()
                .filter(r -> r.port() == port && r.state() == ReplicaState.READY && !r.containerId().isEmpty())
                .findFirst();
    }

    private ReplicaView awaitReady(Orchestrator orchestrator, int port) {
        await().atMost(AWAIT).until(() -> readyOn(orchestrator, port).isPresent());
        return readyOn(orchestrator, port).orElseThrow();
    }

    private static Set<String> runningPodsOf(String service) {
        return runtime.list(Map.of("io.longshore.service", service)).stream()
                .filter(ContainerInfo::running).map(ContainerInfo::id).collect(Collectors.toSet());
    }

    private int status(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aPodWhoseContainerIsKilledIsReportedAtOnceAndReplacedOnTheSamePort() throws Exception {
        int port = freeBasePort(1);
        Orchestrator orchestrator = start(orchestrator(spec("k8s-kill", "acts:1"), 1, port));
        String first = awaitReady(orchestrator, port).containerId();

        cluster.kubelet().terminate(first, 137, "Error");

        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(
                e -> e instanceof OrchestratorEvent.ReplicaExited exited && exited.containerId().equals(first)));
        String replacement = await().atMost(AWAIT).until(() -> readyOn(orchestrator, port)
                .filter(r -> !r.containerId().equals(first)).map(ReplicaView::containerId), Optional::isPresent).get();
        assertThat(status(port, "/api/v1/_health")).isEqualTo(200);
        await().atMost(AWAIT).until(() -> runningPodsOf("k8s-kill").equals(Set.of(replacement)));
        assertThat(runtime.list(Map.of("io.longshore.service", "k8s-kill"))).extracting(ContainerInfo::id)
                .doesNotContain(first);
    }

    @Test
    void aNewOrchestratorAdoptsThePodsOfTheOldOneByTheirLabels() {
        int port = freeBasePort(2);
        ContainerSpec spec = spec("k8s-adopt", "acts:1");
        Orchestrator first = start(orchestrator(spec, 2, port).stopReplicasOnClose(false));
        Set<String> before = Set.of(awaitReady(first, port).containerId(), awaitReady(first, port + 1).containerId());
        first.close();
        assertThat(runningPodsOf("k8s-adopt")).isEqualTo(before);

        Orchestrator second = start(orchestrator(spec, 2, port));
        awaitReady(second, port);
        awaitReady(second, port + 1);

        assertThat(second.replicas()).extracting(ReplicaView::containerId).containsExactlyInAnyOrderElementsOf(before);
        assertThat(runningPodsOf("k8s-adopt")).isEqualTo(before);
        assertThat(events).filteredOn(OrchestratorEvent.ReplicaAdopted.class::isInstance).hasSize(2);
        second.close();
        assertThat(runtime.list(Map.of("io.longshore.service", "k8s-adopt"))).isEmpty();
    }

    @Test
    void anImageThatCannotBePulledYieldsStartFailuresWithTheReasonAndAGrowingDelayNotAHotLoop() {
        cluster.kubelet().failPulls("registry.example/acts:missing");
        start(orchestrator(spec("k8s-pull", "registry.example/acts:missing"), 1, freeBasePort(1)));

        await().atMost(AWAIT).until(() -> failures().size() >= 3);

        List<OrchestratorEvent.ReplicaStartFailed> failures = failures();
        assertThat(failures.get(0).error()).contains("ErrImagePull").contains("registry.example/acts:missing");
        assertThat(failures.get(1).retryIn()).isGreaterThan(failures.get(0).retryIn());
        assertThat(failures.get(2).retryIn()).isGreaterThan(failures.get(1).retryIn());
        await().until(() -> runtime.list(Map.of("io.longshore.service", "k8s-pull")).isEmpty());
    }

    @Test
    void aPodPendingPastTheDeadlineIsAStartFailureAndAReplacementFollows() {
        cluster.kubelet().leavePending("acts:huge");
        KubernetesRuntime impatient = ownRuntime(builder -> builder.pendingTimeout(Duration.ofSeconds(2)));
        start(orchestrator(spec("k8s-pending", "acts:huge"), 1, freeBasePort(1), impatient));

        await().atMost(AWAIT).until(() -> failures().size() >= 2);
        orchestrators.forEach(Orchestrator::close);

        assertThat(failures().get(0).error()).contains("still pending").contains("Unschedulable");
        assertThat(events).filteredOn(OrchestratorEvent.ReplicaStarting.class::isInstance).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aReplicaWhosePodRunsAfterItsStartReturnedIsProbedAndRoutedOnlyFromThen() {
        cluster.kubelet().leavePending("acts:slow-node");
        int port = freeBasePort(1);
        KubernetesRuntime patient = ownRuntime(builder -> builder.startWait(Duration.ofMillis(100)));
        Orchestrator orchestrator = start(orchestrator(spec("k8s-later", "acts:slow-node"), 1, port, patient));
        String pod = await().atMost(AWAIT).until(() -> orchestrator.replicas().stream().map(ReplicaView::containerId)
                .filter(id -> !id.isEmpty()).findFirst(), Optional::isPresent).get();
        assertThat(orchestrator.replicas()).singleElement()
                .satisfies(r -> assertThat(r.state()).isEqualTo(ReplicaState.STARTING));
        assertThat(orchestrator.router().routable()).isEmpty();

        cluster.kubelet().schedule(pod);

        awaitReady(orchestrator, port);
        assertThat(events).filteredOn(OrchestratorEvent.ReplicaEndpointAssigned.class::isInstance)
                .singleElement().satisfies(e -> assertThat(((OrchestratorEvent.ReplicaEndpointAssigned) e).endpoint())
                        .isEqualTo(new io.longshore.api.Endpoint(FakeKubelet.POD_IP, port)));
    }

    @Test
    void aPodStillPendingAtItsDeadlineAfterItsStartReturnedIsReportedAsAnExitAndReplaced() {
        cluster.kubelet().leavePending("acts:no-room");
        List<KubernetesRuntimeEvent> runtimeEvents = new CopyOnWriteArrayList<>();
        KubernetesRuntime patient = ownRuntime(builder -> builder.startWait(Duration.ofMillis(100))
                .pendingTimeout(Duration.ofSeconds(1)).listener(runtimeEvents::add));
        start(orchestrator(spec("k8s-no-room", "acts:no-room"), 1, freeBasePort(1), patient));

        await().atMost(AWAIT).until(() -> events.stream().filter(OrchestratorEvent.ReplicaExited.class::isInstance)
                .count() >= 2);

        assertThat(events).filteredOn(OrchestratorEvent.ReplicaStarting.class::isInstance).hasSizeGreaterThanOrEqualTo(2);
        assertThat(runtimeEvents).filteredOn(KubernetesRuntimeEvent.PodPendingTooLong.class::isInstance)
                .hasSizeGreaterThanOrEqualTo(2);
    }

    private List<OrchestratorEvent.ReplicaStartFailed> failures() {
        return events.stream().filter(OrchestratorEvent.ReplicaStartFailed.class::isInstance)
                .map(OrchestratorEvent.ReplicaStartFailed.class::cast).toList();
    }
}
