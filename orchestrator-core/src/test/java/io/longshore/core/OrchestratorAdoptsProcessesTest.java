package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.OrchestratorEvent.ReplicaAdopted;
import io.longshore.api.RouteRequest;
import io.longshore.core.process.Pids;
import io.longshore.core.process.ProcessRuntimeUser;
import io.longshore.testkit.RuntimeUserJvm;
import io.longshore.testkit.TestWorkload;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An orchestrator on the process runtime, started after its predecessor's JVM was SIGKILLed,
 * takes over what that one left in the state directory: the replica running its spec is adopted
 * (same container, same replica id, probed and routed), the one with another spec hash is stopped
 * and replaced on its port, and closing the orchestrator leaves no process and no record.
 */
class OrchestratorAdoptsProcessesTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SERVICE = "adopt-it";

    @TempDir
    Path logs;
    @TempDir
    Path state;

    @Test
    void aRestartedOrchestratorAdoptsTheReplicaWithItsSpecAndReplacesTheOneWithAnother() throws Exception {
        int base = twoFreePorts();
        ContainerSpec spec = ContainerSpec.builder(SERVICE).command(TestWorkload.command())
                .stopGrace(Duration.ofSeconds(2)).build();
        String current = leftByADeadOrchestrator(base, SERVICE + "-" + base + "-7", ContainerLabels.specHash(spec));
        String stale = leftByADeadOrchestrator(base + 1, SERVICE + "-" + (base + 1) + "-8", "an-older-spec");
        awaitServing(base);
        awaitServing(base + 1);
        List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
        ProcessRuntime runtime = ProcessRuntime.builder().logDirectory(logs).stateDirectory(state).build();
        Set<String> containers = new HashSet<>();

        try (HttpHealthProbe probe = HttpHealthProbe.of(TestWorkload.HEALTH_PATH);
             Orchestrator orchestrator = Orchestrator.builder().service(spec).runtime(runtime).basePort(base)
                     .initialReplicas(2).healthProbe(probe).probeInterval(Duration.ofMillis(500))
                     .probeTimeout(Duration.ofSeconds(2)).rise(1).fall(3)
                     .startGracePeriod(Duration.ofSeconds(20)).listener(events::add).build().start()) {
            await().atMost(PATIENCE).until(() -> orchestrator.status().ready() == 2);

            assertThat(orchestrator.replicas()).filteredOn(r -> r.port() == base).singleElement().satisfies(r -> {
                assertThat(r.containerId()).isEqualTo(current);
                assertThat(r.id()).isEqualTo(SERVICE + "-" + base + "-7");
            });
            assertThat(orchestrator.replicas()).filteredOn(r -> r.port() == base + 1).singleElement()
                    .satisfies(r -> assertThat(r.containerId()).isNotEqualTo(stale));
            assertThat(events).filteredOn(ReplicaAdopted.class::isInstance).singleElement()
                    .satisfies(e -> assertThat(((ReplicaAdopted) e).containerId()).isEqualTo(current));
            assertThat(Pids.running(Pids.of(stale))).as("the replica with the older spec").isFalse();
            assertThat(leasedPorts(orchestrator)).containsExactlyInAnyOrder(base, base + 1);
            orchestrator.replicas().forEach(r -> containers.add(r.containerId()));
        } finally {
            runtime.close();
        }

        assertThat(containers).noneMatch(id -> Pids.running(Pids.of(id)));
        try (Stream<Path> files = Files.list(state)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).noneMatch(name -> name.endsWith(".properties"));
        }
    }

    /** Starts a workload on {@code port} labelled as an orchestrator of the service would, in a JVM then killed. */
    private String leftByADeadOrchestrator(int port, String replicaId, String specHash) {
        return RuntimeUserJvm.runThenKill(ProcessRuntimeUser.class, ProcessRuntimeUser.args(state, logs,
                OrphanPolicy.ADOPT, SERVICE, List.of(Endpoint.loopback(port)),
                ContainerLabels.of(SERVICE, SERVICE, replicaId, port, specHash)), PATIENCE).get(0);
    }

    /** Waits until the workload on {@code port} answers its health check, as a replica left running would. */
    private static void awaitServing(int port) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + TestWorkload.HEALTH_PATH))
                .timeout(Duration.ofSeconds(1)).build();
        await().atMost(PATIENCE).ignoreExceptions()
                .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private static Set<Integer> leasedPorts(Orchestrator orchestrator) {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            Lease lease = orchestrator.router().newLease();
            long now = orchestrator.router().clock().nanoTime();
            assertThat(lease.acquire(RouteRequest.of("GET", "/"), null, now)).isTrue();
            ports.add(lease.backend().endpoint().port());
            lease.complete(200, orchestrator.router().clock().nanoTime());
        }
        return ports;
    }

    /** A port p with p and p + 1 free now. */
    private static int twoFreePorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = first.getLocalPort();
                if (port < 65_535 && free(port + 1)) {
                    return port;
                }
            }
        }
        throw new IllegalStateException("no two consecutive free ports");
    }

    private static boolean free(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
