package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ContainerSpec;
import io.longshore.api.ReplicaState;
import io.longshore.api.RouteRequest;
import io.longshore.testkit.TestWorkload;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing end to end: the process runtime runs test-kit workloads, the HTTP probe
 * checks them, a replica whose health turns 500 is replaced on the same port, and close
 * leaves no process behind. Ports are found free at run time.
 */
class OrchestratorWithProcessesTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path logs;

    @Test
    void anUnhealthyProcessIsReplacedOnTheSamePortAndCloseLeavesNothingRunning() throws Exception {
        int basePort = twoFreePorts();
        ProcessRuntime runtime = ProcessRuntime.builder().logDirectory(logs).stateDirectory(logs.resolve("state")).build();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (HttpHealthProbe probe = HttpHealthProbe.of(TestWorkload.HEALTH_PATH)) {
            Orchestrator orchestrator = Orchestrator.builder()
                    .service(ContainerSpec.builder("core-it").command(TestWorkload.command())
                            .stopGrace(Duration.ofSeconds(2)).build())
                    .runtime(runtime).basePort(basePort).initialReplicas(2)
                    .healthProbe(probe).probeInterval(Duration.ofMillis(200)).rise(2).fall(2)
                    .startGracePeriod(Duration.ofSeconds(20))
                    .build().start();
            try {
                await().atMost(PATIENCE).until(() -> orchestrator.status().ready() == 2);
                Lease lease = orchestrator.router().newLease();
                assertThat(lease.acquire(RouteRequest.of("GET", "/hello"), null, orchestrator.router().clock().nanoTime())).isTrue();
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + lease.backend().endpoint() + "/hello")).build(),
                        HttpResponse.BodyHandlers.ofString());
                lease.complete(answer.statusCode(), orchestrator.router().clock().nanoTime());
                assertThat(answer.body()).contains("GET /hello");

                String before = containerAt(orchestrator, basePort + 1);
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (basePort + 1)
                        + TestWorkload.CRASH_PATH)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());

                await().atMost(PATIENCE).until(() -> !containerAt(orchestrator, basePort + 1).equals(before)
                        && orchestrator.status().ready() == 2);
                assertThat(orchestrator.replicas()).extracting(ReplicaView::port).containsExactly(basePort, basePort + 1);
                assertThat(orchestrator.replicas()).allMatch(r -> r.state() == ReplicaState.READY);
            } finally {
                orchestrator.close();
            }
            assertThat(runtime.list(java.util.Map.of("io.longshore.service", "core-it")))
                    .noneMatch(io.longshore.api.ContainerInfo::running);
        } finally {
            runtime.close();
        }
    }

    private static String containerAt(Orchestrator orchestrator, int port) {
        List<ReplicaView> replicas = orchestrator.replicas();
        return replicas.stream().filter(r -> r.port() == port).map(ReplicaView::containerId).findFirst().orElse("");
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
