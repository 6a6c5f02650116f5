package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.api.OrchestratorEvent;
import io.longshore.api.OrchestratorEvent.ReplicaEjected;
import io.longshore.api.OrchestratorEvent.ReplicaStarting;
import io.longshore.api.ReplicaState;
import io.longshore.core.Orchestrator;
import io.longshore.examples.acts.H2DatabaseServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database outage, with the seed app on an existing database ({@code --database}, here an H2
 * server the test stops and starts): every replica's health check turns 500, so the replicas
 * are ejected and replaced under the restart backoff, not in a hot loop; when the
 * database is back on its port the replicas are ready again and nothing was lost.
 */
class DatabaseOutageTest {
    private final ActsClient client = new ActsClient();
    @TempDir
    Path dir;

    @Test
    void whileTheDatabaseIsDownReplicasAreEjectedAndReplacedUnderBackoffAndAfterItNothingIsLost() throws Exception {
        H2DatabaseServer database = H2DatabaseServer.start(dir.resolve("db"));
        SeedOptions options = SeedOptions.parse(database.settings().environment(), "--runtime", "process",
                "--base-port", "24530", "--port", "24586", "--admin-port", "24587", "--min", "1", "--max", "2",
                "--scale-interval", "15m", "--data-dir", dir.resolve("seed").toString());
        try (SeedApp app = SeedApp.start(options)) {
            Orchestrator orchestrator = app.orchestrator().orElseThrow();
            orchestrator.scaleTo(2);
            awaitTwoReady(orchestrator);
            assertThat(client.createCategory(24586, "outage")).isEqualTo("201");
            int port = database.port();
            Instant down = Instant.now();

            database.close();

            await("both replicas ejected for answering their health check with 500").atMost(Duration.ofSeconds(10))
                    .until(() -> portsEjectedFor500Since(orchestrator, down), ports -> ports.size() == 2);
            await("no replica routable").atMost(Duration.ofSeconds(10))
                    .until(() -> orchestrator.router().routable().isEmpty());
            assertThat(client.get(24586, "/api/v1/categories").statusCode()).as("through the gateway").isEqualTo(503);
            List<Instant> starts = await("a port replaced twice during the outage").atMost(Duration.ofSeconds(45))
                    .until(() -> replacementsSince(orchestrator, down), byPort -> byPort.values().stream()
                            .anyMatch(times -> times.size() >= 2))
                    .values().stream().filter(times -> times.size() >= 2).findFirst().orElseThrow();
            assertThat(Duration.between(starts.get(0), starts.get(1))).as("restart backoff between replacements")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));

            database = H2DatabaseServer.start(dir.resolve("db"));

            assertThat(database.port()).as("back on its port").isEqualTo(port);
            awaitTwoReady(orchestrator);
            assertThat(client.get(24586, "/api/v1/categories").body()).isEqualTo("{\"outage\":0}");
        } finally {
            database.close();
        }
    }

    /** The ports whose replica was ejected since {@code since} because its health check answered 500. */
    private static Set<Integer> portsEjectedFor500Since(Orchestrator orchestrator, Instant since) {
        return orchestrator.recentEvents(1000).stream()
                .filter(ReplicaEjected.class::isInstance).map(ReplicaEjected.class::cast)
                .filter(e -> e.at().isAfter(since) && e.reason().contains("500"))
                .map(ReplicaEjected::port)
                .collect(Collectors.toSet());
    }

    /** When each port's replicas started since {@code since}, oldest first. */
    private static Map<Integer, List<Instant>> replacementsSince(Orchestrator orchestrator, Instant since) {
        return orchestrator.recentEvents(1000).stream()
                .filter(ReplicaStarting.class::isInstance).map(ReplicaStarting.class::cast)
                .filter(e -> e.at().isAfter(since))
                .sorted((a, b) -> a.at().compareTo(b.at()))
                .collect(Collectors.groupingBy(ReplicaStarting::port,
                        Collectors.mapping(OrchestratorEvent::at, Collectors.toList())));
    }

    private static void awaitTwoReady(Orchestrator orchestrator) {
        await("two ready replicas").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> orchestrator.replicas().stream()
                        .filter(r -> r.state() == ReplicaState.READY && r.healthy()).count() == 2
                        && orchestrator.router().routable().size() == 2);
    }
}
