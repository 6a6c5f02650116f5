package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.longshore.core.ProcessRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed main on local processes when it is killed (issue 19): started in a child JVM with two
 * replicas, killed with SIGKILL, started again on the same {@code --data-dir}. By default the next
 * seed main adopts the replicas (same processes, same ids, no new process, no port conflict), also
 * under load, and a graceful stop leaves nothing; with {@code --orphans die-with-parent} no replica
 * outlives the killed seed main by a second. Fixed ports 24400-24499 (run under the heavy lock).
 */
@Timeout(300)
class SeedRestartTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String PATH = "/api/v1/categories";

    @TempDir
    Path dir;
    private final List<SeedMainJvm> seeds = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void leaveNothingBehind() throws Exception {
        for (SeedMainJvm seed : seeds) {
            seed.kill();
            seed.printLog();
        }
        try (ProcessRuntime leftovers = ProcessRuntime.builder().stateDirectory(dataDir().resolve("processes"))
                .logDirectory(dir.resolve("logs")).build()) {
            leftovers.list(Map.of()).forEach(c -> leftovers.stop(c.id(), Duration.ZERO));
        }
    }

    @Test
    void aKilledSeedMainsReplicasAreAdoptedByTheNextOneAndAGracefulStopLeavesNothing() throws Exception {
        List<String> args = args(24480, 24481, 24400, "adopt");
        SeedMainJvm first = launch(args);
        Map<String, String> before = replicaIdsByContainer(first.awaitReady(2, PATIENCE));
        List<Long> pids = pids(before.keySet());

        first.kill();

        assertThat(pids).as("replicas outlive the killed seed main").allMatch(SeedRestartTest::running);
        SeedMainJvm second = launch(args);
        awaitAnswer(24480);
        Map<String, String> after = replicaIdsByContainer(second.awaitReady(2, PATIENCE));
        assertThat(after).as("the same containers with their original replica ids, and no other").isEqualTo(before);
        assertThat(second.process().descendants()).as("processes the second seed main started").isEmpty();
        assertThat(servingReplicas(24480)).containsExactlyInAnyOrder("127.0.0.1:24400", "127.0.0.1:24401");
        assertThat(pids).allMatch(SeedRestartTest::running);
        assertThat(records()).hasSize(2);

        assertThat(second.stop()).as("the seed main exits on SIGTERM").isTrue();

        await("no replica left").atMost(PATIENCE).until(() -> pids.stream().noneMatch(SeedRestartTest::running));
        assertThat(records()).isEmpty();
    }

    @Test
    void withDieWithParentNoReplicaOutlivesTheKilledSeedMainByASecond() throws Exception {
        List<String> args = args(24482, 24483, 24410, "die-with-parent");
        SeedMainJvm first = launch(args);
        List<Long> pids = pids(replicaIdsByContainer(first.awaitReady(2, PATIENCE)).keySet());

        first.process().destroyForcibly();

        await("every replica gone").atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> pids.stream().noneMatch(SeedRestartTest::running));
        first.kill();
        SeedMainJvm second = launch(args);
        Map<String, String> fresh = replicaIdsByContainer(second.awaitReady(2, PATIENCE));
        assertThat(pids(fresh.keySet())).doesNotContainAnyElementsOf(pids);
        assertThat(records()).hasSize(2);
        assertThat(second.stop()).isTrue();
        await("no replica left").atMost(PATIENCE).until(() -> pids(fresh.keySet()).stream().noneMatch(SeedRestartTest::running));
        assertThat(records()).isEmpty();
    }

    @Test
    void underLoadEveryRequestSentToTheNewGatewayAfterItsFirstAnswerSucceeds() throws Exception {
        List<String> args = args(24484, 24485, 24420, "adopt");
        SeedMainJvm first = launch(args);
        Map<String, String> before = replicaIdsByContainer(first.awaitReady(2, PATIENCE));
        awaitAnswer(24484);

        try (GatewayLoad load = new GatewayLoad(24484, PATH, 8)) {
            await().atMost(PATIENCE).until(() -> load.succeeded() >= 200);
            first.process().destroyForcibly();
            load.gatewayDied();
            first.kill();
            SeedMainJvm second = launch(args);
            await("500 requests after the new gateway's first answer").atMost(PATIENCE)
                    .until(() -> load.newGatewayAnswered() && load.checked() >= 500);
            load.close();
            System.out.printf("load across the restart: %d requests answered in all, %d sent after the new gateway's"
                    + " first answer, %d of them failed%n", load.succeeded(), load.checked(), load.checkedFailures().size());

            assertThat(load.checkedFailures()).as("failures among %d requests", load.checked()).isEmpty();
            assertThat(replicaIdsByContainer(second.replicas())).isEqualTo(before);
        }
    }

    private List<String> args(int port, int adminPort, int basePort, String orphans) {
        return List.of("--runtime", "process", "--min", "2", "--max", "2", "--port", String.valueOf(port),
                "--admin-port", String.valueOf(adminPort), "--base-port", String.valueOf(basePort),
                "--data-dir", dataDir().toString(), "--orphans", orphans);
    }

    private SeedMainJvm launch(List<String> args) throws IOException {
        SeedMainJvm seed = SeedMainJvm.start(dir.resolve("seed-" + seeds.size() + ".log"), Integer.parseInt(args.get(9)),
                args);
        seeds.add(seed);
        return seed;
    }

    private Path dataDir() {
        return dir.resolve("data");
    }

    private List<Path> records() throws IOException {
        try (Stream<Path> files = Files.list(dataDir().resolve("processes"))) {
            return files.filter(file -> file.toString().endsWith(".properties")).toList();
        }
    }

    private void awaitAnswer(int port) {
        await("the gateway answers").atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> get(port).statusCode() == 200);
    }

    /** The {@code X-Replica} values of 20 answers through the gateway. */
    private Set<String> servingReplicas(int port) throws Exception {
        Set<String> replicas = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = get(port);
            assertThat(response.statusCode()).isEqualTo(200);
            response.headers().firstValue("X-Replica").ifPresent(replicas::add);
        }
        return replicas;
    }

    private HttpResponse<String> get(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> replicaIdsByContainer(List<Map<String, Object>> replicas) {
        return replicas.stream().collect(Collectors.toMap(r -> (String) r.get("containerId"), r -> (String) r.get("id"),
                (a, b) -> a + "," + b, TreeMap::new));
    }

    private static List<Long> pids(Set<String> containerIds) {
        return containerIds.stream().map(id -> Long.parseLong(id.substring("pid-".length()))).toList();
    }

    /** Alive and not a zombie (an orphan killed where PID 1 does not reap stays one). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException gone) {
            return false;
        }
    }
}
