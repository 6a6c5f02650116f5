package io.longshore.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.ReplicaState;
import io.longshore.api.RuntimeEvent;
import io.longshore.core.HttpHealthProbe;
import io.longshore.core.Orchestrator;
import io.longshore.core.ReplicaView;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Label isolation: containers that someone else started on the same engine (here through
 * Testcontainers, never through {@link DockerRuntime}) are invisible to the runtime and to an
 * orchestrator of the same service, even when they carry that service's orchestrator labels.
 * Only {@link DockerRuntime#MANAGED_LABEL} makes a container the runtime's own.
 */
@RequiresDocker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForeignContainerIsolationTest {
    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final String SERVICE = "foreign-iso";
    private static final String SERVICE_LABEL = "io.longshore.service";

    private DockerTestSupport docker;
    private DockerRuntime runtime;
    private GenericContainer<?> foreign;
    private int foreignPort;

    @BeforeAll
    void startAForeignContainerOfTheSameService() {
        docker = new DockerTestSupport(22_700, 22_799);
        runtime = docker.runtime();
        foreignPort = docker.freePort();
        foreign = foreignWorkload(foreignPort)
                .waitingFor(Wait.forLogMessage(".*serving on 127\\.0\\.0\\.1:" + foreignPort + ".*\\n", 1));
        foreign.start();
    }

    @AfterAll
    void removeEveryContainer() {
        try {
            if (foreign != null) {
                foreign.stop();
            }
        } finally {
            if (docker != null) {
                docker.close();
            }
        }
    }

    /**
     * The locally built workload image, never pulled, on the host network bound to 127.0.0.1,
     * labelled like replica 0 of {@link #SERVICE} but without the runtime's managed label.
     */
    private GenericContainer<?> foreignWorkload(int port) {
        Map<String, String> labels = new HashMap<>(Map.of(
                "io.longshore.orchestrator", SERVICE, SERVICE_LABEL, SERVICE, "io.longshore.replica", "0",
                "io.longshore.port", Integer.toString(port), "io.longshore.spec-hash", "foreign"));
        labels.put(DockerTestSupport.TEST_LABEL, "true");
        return new GenericContainer<>(DockerImageName.parse(BusyboxWorkloadImage.TAG))
                .withImagePullPolicy(image -> false)
                .withNetworkMode("host")
                .withEnv("PORT", Integer.toString(port))
                .withEnv("HOST", Endpoint.LOOPBACK)
                .withEnv("REPLICA", "foreign")
                .withLabels(labels);
    }

    @Test
    void theRuntimeDoesNotListAContainerItDidNotStartEvenWithTheServicesLabels() {
        assertThat(DockerTestSupport.call(foreignPort, "GET", "/api/v1/_health").replica()).isEqualTo("foreign");

        assertThat(runtime.list(Map.of(SERVICE_LABEL, SERVICE))).extracting(ContainerInfo::id)
                .doesNotContain(foreign.getContainerId());
        assertThat(runtime.list(Map.of())).extracting(ContainerInfo::id)
                .doesNotContain(foreign.getContainerId());
    }

    @Test
    void anOrchestratorOfTheSameServiceNeitherAdoptsNorStopsAForeignContainer() {
        List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
        int port = docker.freePort();
        ContainerSpec spec = docker.labelled(BusyboxWorkloadImage.spec(SERVICE)).stopGrace(Duration.ofSeconds(1)).build();
        try (HttpHealthProbe health = HttpHealthProbe.of("/api/v1/_health");
             Orchestrator orchestrator = Orchestrator.builder().service(spec).runtime(runtime)
                     .minReplicas(1).maxReplicas(1).initialReplicas(1).basePort(port)
                     .healthProbe(health).probeInterval(Duration.ofMillis(250))
                     .listener(events::add).build().start()) {
            await().atMost(AWAIT).until(() -> orchestrator.replicas().stream()
                    .anyMatch(r -> r.port() == port && r.state() == ReplicaState.READY));

            assertThat(orchestrator.replicas()).extracting(ReplicaView::containerId)
                    .hasSize(1).doesNotContain(foreign.getContainerId());
            assertThat(events).noneMatch(OrchestratorEvent.ReplicaAdopted.class::isInstance);
        }

        assertThat(runtime.list(Map.of(SERVICE_LABEL, SERVICE))).as("the orchestrator's own replica is removed").isEmpty();
        assertThat(runtime.client().inspectContainerCmd(foreign.getContainerId()).exec().getState().getRunning())
                .as("the foreign container still runs after the orchestrator closed").isTrue();
        assertThat(DockerTestSupport.status(foreignPort, "GET", "/api/v1/_health")).isEqualTo(200);
    }

    @Test
    void theExitOfAForeignContainerIsNotReportedToWatchers() throws Exception {
        List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
        String exitedId;
        try (AutoCloseable watch = runtime.watch(events::add);
             GenericContainer<?> exiting = foreignWorkload(docker.freePort())
                     .withCommand("sh", "-c", "exit 0")
                     .withStartupCheckStrategy(new OneShotStartupCheckStrategy())) {
            exiting.start();
            exitedId = exiting.getContainerId();
            ContainerInfo sentinel = runtime.start(docker.labelled(BusyboxWorkloadImage.spec(SERVICE + "-sentinel")).build(),
                    Endpoint.loopback(docker.freePort()), Map.of());
            runtime.client().killContainerCmd(sentinel.id()).exec();

            await().atMost(AWAIT).until(() -> events.stream().anyMatch(e -> e.containerId().equals(sentinel.id())));
        }

        assertThat(events).extracting(RuntimeEvent::containerId).doesNotContain(exitedId);
    }
}
