package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.ReplicaState;
import io.longshore.core.Orchestrator;
import io.longshore.core.ReplicaView;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The seed document's 15-step evaluation against a running seed app, step by step with the
 * seed's own wording. Shared by the process and the Docker flavour; {@code apiPath} is a path
 * the workload answers with 200.
 */
final class SeedEvaluation {
    private final Orchestrator orchestrator;
    private final int basePort;
    private final int gatewayPort;
    private final Duration interval;
    private final String apiPath;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> log = new ArrayList<>();

    SeedEvaluation(Orchestrator orchestrator, int basePort, int gatewayPort, Duration interval, String apiPath) {
        this.orchestrator = orchestrator;
        this.basePort = basePort;
        this.gatewayPort = gatewayPort;
        this.interval = interval;
        this.apiPath = apiPath;
    }

    /** Runs the fifteen steps; returns the seed-style report lines. */
    List<String> run() throws Exception {
        ReplicaView first = awaitOnlyReplicaHealthyOnBasePort();
        sendThroughGateway(20);
        ReplicaView second = awaitSecondReplicaOnNextPort();
        assertTwoReplicasShareSixRequests();
        ReplicaView replacement = crashAndAwaitReplacement(first);
        awaitScaleInToTheReplacement(replacement, second);
        return List.copyOf(log);
    }

    private ReplicaView awaitOnlyReplicaHealthyOnBasePort() throws Exception {
        ReplicaView first = await("one healthy replica on the base port").atMost(startTimeout())
                .until(() -> readyOn(basePort), Optional::isPresent).orElseThrow();
        assertThat(orchestrator.replicas()).hasSize(1);
        note("1. One Acts container running with ID " + first.containerId());
        note("2. Acts container " + first.containerId() + " is listening on port " + first.port());
        assertThat(get(basePort, SeedPreset.HEALTH_PATH).statusCode()).isEqualTo(200);
        note("3. Acts container " + first.containerId() + " is healthy");
        return first;
    }

    private void sendThroughGateway(int requests) throws Exception {
        for (int i = 0; i < requests; i++) {
            assertThat(get(gatewayPort, apiPath).statusCode()).as("request %d through the gateway", i).isEqualTo(200);
        }
        note("4. " + requests + " successful API requests made to orchestrator");
    }

    private ReplicaView awaitSecondReplicaOnNextPort() throws Exception {
        note("5. Waited for the scaling interval (" + interval + ")");
        ReplicaView second = await("a second replica on base port + 1").atMost(interval.plus(startTimeout()))
                .until(() -> readyOn(basePort + 1), Optional::isPresent).orElseThrow();
        await("both replicas routable").atMost(startTimeout())
                .until(() -> orchestrator.router().routable().size() == 2);
        note("6. Second Acts container now running with ID " + second.containerId());
        note("7. Acts container " + second.containerId() + " is listening on port " + second.port());
        return second;
    }

    private void assertTwoReplicasShareSixRequests() throws Exception {
        Map<Integer, Long> before = requestsByPort();
        List<String> answeredBy = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = get(gatewayPort, apiPath);
            assertThat(response.statusCode()).isEqualTo(200);
            answeredBy.add(response.headers().firstValue("X-Replica").orElse("?"));
        }
        note("8. 6 successful API requests made to orchestrator");
        Map<String, Long> byReplica = answeredBy.stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(byReplica).as("X-Replica of the 6 responses").hasSize(2).containsValues(3L, 3L);
        await("the orchestrator counted 3 requests routed to each replica").atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> {
                    Map<Integer, Long> after = requestsByPort();
                    assertThat(after.get(basePort) - before.get(basePort)).as("to the base port").isEqualTo(3);
                    assertThat(after.get(basePort + 1) - before.get(basePort + 1)).as("to base port + 1").isEqualTo(3);
                });
        note("9. API requests evenly distributed b/w 2 Acts containers in round-robin manner: " + byReplica);
    }

    private ReplicaView crashAndAwaitReplacement(ReplicaView first) throws Exception {
        HttpResponse<String> crash = send(basePort, "/api/v1/_crash", "POST");
        assertThat(crash.statusCode()).isEqualTo(200);
        note("10. Successfully crashed container " + first.containerId() + " with /api/v1/_crash");
        ReplicaView replacement = await("a replacement on the base port").atMost(startTimeout().multipliedBy(2))
                .until(() -> readyOn(basePort).filter(r -> !r.containerId().equals(first.containerId())),
                        Optional::isPresent)
                .orElseThrow();
        note("11. Replacement Acts container running with ID " + replacement.containerId());
        note("12. Replacement Acts container " + replacement.containerId() + " is listening on port "
                + replacement.port());
        await("the replacement answers its health check").atMost(startTimeout()).ignoreExceptions()
                .until(() -> get(basePort, SeedPreset.HEALTH_PATH).statusCode() == 200);
        note("13. Replacement Acts container " + replacement.containerId() + " is healthy");
        return replacement;
    }

    private void awaitScaleInToTheReplacement(ReplicaView replacement, ReplicaView second) {
        note("14. Waited for the scaling interval (" + interval + ")");
        await("scale-in to one replica on the base port").atMost(interval.multipliedBy(2).plus(startTimeout()))
                .until(() -> orchestrator.replicas().size() == 1 && orchestrator.replicas().get(0).port() == basePort);
        ReplicaView last = orchestrator.replicas().get(0);
        assertThat(last.containerId()).isEqualTo(replacement.containerId());
        await("nothing listens on base port + 1 any more").atMost(startTimeout())
                .until(() -> !listening(basePort + 1));
        note("15. Orchestrator successfully scaled down containers. Only 1 Acts container running with ID "
                + last.containerId() + " (removed " + second.containerId() + ")");
    }

    private Optional<ReplicaView> readyOn(int port) {
        return orchestrator.replicas().stream()
                .filter(r -> r.port() == port && r.state() == ReplicaState.READY && r.healthy())
                .findFirst();
    }

    private Map<Integer, Long> requestsByPort() {
        return orchestrator.replicas().stream().collect(Collectors.toMap(ReplicaView::port, ReplicaView::requests));
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return send(port, path, "GET");
    }

    private HttpResponse<String> send(int port, String path, String method) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static Duration startTimeout() {
        return Duration.ofSeconds(30);
    }

    private void note(String line) {
        log.add(line);
        System.out.println("[seed evaluation] " + line);
    }
}
